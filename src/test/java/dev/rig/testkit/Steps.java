package dev.rig.testkit;

import org.opentest4j.AssertionFailedError;

/**
 * Steps of one test that build on each other (plan, apply, apply again, drift...), run in order inside
 * one {@code @Test} instead of separate tests that depend on JUnit's method order:
 *
 * <pre>
 * &#64;Test
 * void theStackThroughItsLifecycle() throws Exception {
 *     step("plan", this::planChangesNothing);
 *     step("first apply", this::applyStartsTheStack);
 * }
 * </pre>
 *
 * A failing step stops the test, and its failure names the step: "step 'first apply': expected ...".
 */
public final class Steps {
    private Steps() {
    }

    /** A step's body: a private method of the test. */
    @FunctionalInterface
    public interface Step {
        void run() throws Exception;
    }

    /** Runs body; an assertion failure or exception in it fails with the step's name in front of its message. */
    public static void step(String name, Step body) {
        try {
            body.run();
        } catch (AssertionFailedError e) {
            String message = prefix(name) + e.getMessage();
            throw e.isExpectedDefined() || e.isActualDefined()
                    ? new AssertionFailedError(message, e.getExpected(), e.getActual(), e)
                    : new AssertionFailedError(message, e);
        } catch (AssertionError e) {
            throw new AssertionFailedError(prefix(name) + e.getMessage(), e);
        } catch (Exception e) {
            throw new AssertionFailedError(prefix(name) + e, e);
        }
    }

    private static String prefix(String name) {
        return "step '" + name + "': ";
    }
}

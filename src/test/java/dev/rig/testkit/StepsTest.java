package dev.rig.testkit;

import org.junit.jupiter.api.Test;
import org.opentest4j.AssertionFailedError;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static dev.rig.testkit.Steps.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StepsTest {
    @Test
    void stepsRunInOrderAndAFailureNamesItsStepAndStopsTheRest() {
        List<String> ran = new ArrayList<>();
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> {
            step("plan", () -> ran.add("plan"));
            step("apply", () -> {
                ran.add("apply");
                assertEquals(0, 2, "exit code");
            });
            step("drift", () -> ran.add("drift"));
        });
        assertEquals(List.of("plan", "apply"), ran);
        assertTrue(e.getMessage().startsWith("step 'apply': exit code"), e.getMessage());
        assertEquals(0, e.getExpected().getValue(), "expected and actual survive for the IDE's diff");
        assertEquals(2, e.getActual().getValue());
    }

    @Test
    void anExceptionInAStepIsAFailureOfThatStep() {
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> step("backup", () -> {
            throw new IOException("disk full");
        }));
        assertEquals("step 'backup': java.io.IOException: disk full", e.getMessage());
        assertTrue(e.getCause() instanceof IOException);
    }
}

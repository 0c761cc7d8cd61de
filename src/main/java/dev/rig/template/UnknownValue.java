package dev.rig.template;

/**
 * A value that only exists after apply (e.g. a registered result of a task that has not run).
 * Touching it in an expression makes the whole task "known after apply" instead of a guess.
 */
public final class UnknownValue {
    private final String origin;

    public UnknownValue(String origin) {
        this.origin = origin;
    }

    public String origin() {
        return origin;
    }

    @Override
    public String toString() {
        return "(known after apply: " + origin + ")";
    }
}

package dev.rig.template;

/** An expression touched a value that only exists after apply. */
public class KnownAfterApplyException extends RuntimeException {
    public KnownAfterApplyException(String origin) {
        super("known after apply (depends on " + origin + ")");
    }
}

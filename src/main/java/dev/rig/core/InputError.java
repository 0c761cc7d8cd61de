package dev.rig.core;

/** One problem in the operator's input: where it is and what was expected. */
public record InputError(Source source, String message) {
    @Override
    public String toString() {
        return source + ": " + message;
    }
}

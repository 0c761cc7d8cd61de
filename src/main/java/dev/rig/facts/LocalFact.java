package dev.rig.facts;

/**
 * A fact read on the operator's machine rather than on a host: the state behind an API, such as a
 * DigitalOcean firewall. The counterpart of a {@link Fact}'s probe and parser for state no shell
 * snippet reaches: {@link #read} does the I/O and returns a typed value (a record). The engine reads
 * it before the module's plan, which only compares desired with this value.
 */
@FunctionalInterface
public interface LocalFact<T> {
    /** Reads the current state; the only place where I/O happens for the task before apply. */
    T read() throws Unreadable;

    /** The state could not be read; the message says what was read and why it failed, and is the task's failure. */
    final class Unreadable extends Exception {
        public Unreadable(String message, Throwable cause) {
            super(message, cause);
        }
    }
}

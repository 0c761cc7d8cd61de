package dev.rig.ssh;

/**
 * A connection or command that failed, with a message meant for the operator. connect() throws
 * UNREACHABLE (refused, timed out, unknown address, closed during the handshake), HOST_KEY_UNKNOWN,
 * HOST_KEY_CHANGED (also for a key marked @revoked), AUTH_FAILED and CONFIG (ssh_config gives the host
 * something rig cannot use); exec() throws TIMEOUT, CHANNEL, and UNREACHABLE when the connection is lost.
 */
public class SshException extends Exception {
    public enum Kind { UNREACHABLE, HOST_KEY_UNKNOWN, HOST_KEY_CHANGED, AUTH_FAILED, CONFIG, TIMEOUT, CHANNEL }

    private final Kind kind;

    public SshException(Kind kind, String message) {
        this(kind, message, null);
    }

    public SshException(Kind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    public Kind kind() {
        return kind;
    }

    /** The first cause of failure (itself included) that is a type, or null. */
    static <T extends Throwable> T causeOfType(Throwable failure, Class<T> type) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (type.isInstance(cause)) return type.cast(cause);
        }
        return null;
    }
}

package dev.rig.ssh;

import java.io.Console;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Passphrases for encrypted private keys: the value of {@value #ENVIRONMENT_VARIABLE}, else asked on the
 * terminal without echo (up to three tries, as OpenSSH does). Each key file is decrypted once per run
 * ({@link ClientIdentities} keeps it), so it is asked for at most once. Passphrases are never logged or
 * put into messages.
 */
public final class Passphrases {
    public static final String ENVIRONMENT_VARIABLE = "RIG_SSH_KEY_PASSPHRASE";
    /** Neither variable nor terminal: encrypted keys cannot be used. */
    public static final Passphrases NONE = new Passphrases(null, null);

    static final int TERMINAL_TRIES = 3;

    private final String fromEnvironment;
    private final Console terminal;

    private Passphrases(String fromEnvironment, Console terminal) {
        this.fromEnvironment = fromEnvironment;
        this.terminal = terminal;
    }

    /** $RIG_SSH_KEY_PASSPHRASE if set, and the terminal if rig runs on one. */
    public static Passphrases fromEnvironmentAndTerminal() {
        return new Passphrases(System.getenv(ENVIRONMENT_VARIABLE), System.console());
    }

    /** A given passphrase and no terminal (tests, and callers that read it elsewhere). */
    public static Passphrases of(String passphrase) {
        return new Passphrases(passphrase, null);
    }

    /** The environment's passphrase, so the caller can mask it in all output. */
    public Optional<String> environmentValue() {
        return Optional.ofNullable(fromEnvironment).filter(value -> !value.isEmpty());
    }

    /**
     * The passphrase to try the attempt-th time (0 first) for key; empty when there is none left to try.
     * The environment's comes first; then the terminal is asked.
     */
    Optional<String> attempt(Path key, int attempt) {
        int terminalAttempt = attempt;
        if (environmentValue().isPresent()) {
            if (attempt == 0) return environmentValue();
            terminalAttempt--;
        }
        if (terminal == null || terminalAttempt >= TERMINAL_TRIES) return Optional.empty();
        synchronized (Passphrases.class) { // one prompt at a time, however many hosts connect at once
            char[] typed = terminal.readPassword("Enter passphrase for key '%s': ", key);
            return typed == null || typed.length == 0 ? Optional.empty() : Optional.of(new String(typed));
        }
    }

    /** Where passphrases came from, for "cannot decrypt" messages: never the passphrase itself. */
    String sources() {
        if (environmentValue().isPresent()) return terminal == null ? "$" + ENVIRONMENT_VARIABLE : "$" + ENVIRONMENT_VARIABLE + " and the terminal";
        return terminal == null ? "" : "the terminal";
    }
}

package dev.rig.apply;

import dev.rig.core.Shell;

import java.time.Duration;

/**
 * The per-host lock that keeps two applies from interleaving: {@code flock} on a file under
 * /run/lock, held by a command that lives as long as rig's connection. Whoever waits longer than
 * the timeout is told who holds it; a lock left by a run that died goes with its connection.
 */
final class HostLock {
    static final String LOCK_FILE = "/run/lock/rig.lock";
    static final String FALLBACK_LOCK_FILE = "/tmp/rig.lock";

    private HostLock() {}

    /** The held command: prints the marker once the lock is ours, then waits for end of input. */
    static String script(String owner, Duration timeout, String marker) {
        return "l=" + LOCK_FILE + "; [ -d /run/lock ] || l=" + FALLBACK_LOCK_FILE + "\n"
                // Created world-readable and opened read-only: flock needs no write access, so users share one lock.
                + "[ -e \"$l\" ] || (umask 0; : >> \"$l\") 2>/dev/null\n"
                + "exec 9<\"$l\" || { echo \"cannot open the lock file $l\" >&2; exit 70; }\n"
                + "if ! flock -n 9; then\n"
                + "  flock -w " + Math.max(0, timeout.toSeconds()) + " 9 || { echo \"host is locked by another rig run: "
                + "$(cat \"$l.owner\" 2>/dev/null || echo unknown) (waited " + timeout.toSeconds() + " s; see --lock-timeout)\" >&2; exit 75; }\n"
                + "fi\n"
                + "printf '%s\\n' " + Shell.quote(owner) + " > \"$l.owner\" 2>/dev/null\n"
                + "echo " + marker + "\n"
                + "exec cat >/dev/null\n";
    }

    /** Who we are, as the next run will be told: user@machine, pid and start time. */
    static String owner(String runStart) {
        String host = "unknown";
        try {
            host = java.nio.file.Files.readString(java.nio.file.Path.of("/etc/hostname")).strip();
        } catch (java.io.IOException e) {
            // A machine without /etc/hostname keeps "unknown".
        }
        return System.getProperty("user.name") + "@" + host + " pid " + ProcessHandle.current().pid() + " since " + runStart;
    }
}

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

    /** What the held command prints on stderr when this very run already holds the lock under another name. */
    static final String SAME_RUN = "rig-same-run-as:";
    static final int SAME_RUN_STATUS = 76;

    /**
     * The held command: prints the marker once the lock is ours, then waits for end of input. The owner
     * line ends with "[run RUN as NAME]", so that a run whose other inventory name for this machine
     * already holds the lock finds out (and answers {@link #SAME_RUN} NAME) instead of waiting for itself.
     */
    static String script(String owner, String runId, String hostName, Duration timeout, String marker) {
        return prelude(owner, runId, hostName, timeout)
                + "echo " + marker + "\n"
                + "exec cat >/dev/null\n";
    }

    /**
     * The held command that also reads the host's state: once the lock is ours, a shell (as becomeUser
     * through sudo -n, when not null) runs the script that arrives on stdin; that script ends by printing
     * its marker and waiting for end of input. sudo is not exec'd: it closes descriptors above 2, and
     * the lock lives on descriptor 9 of this shell. When that shell ends early (sudo refused), this one
     * prints doneMarker itself, so rig reads no answer and probes the usual way, the lock still held.
     */
    static String scriptReading(String owner, String runId, String hostName, Duration timeout, String becomeUser, String doneMarker) {
        String shell = becomeUser == null ? "sh -s" : Shell.join(java.util.List.of("sudo", "-n", "-H", "-u", becomeUser, "--", "sh", "-s"));
        return prelude(owner, runId, hostName, timeout)
                + shell + "\n"
                + "echo " + doneMarker + "\n"
                + "exec cat >/dev/null\n";
    }

    /** What the script on stdin ends with (see {@link #scriptReading}). */
    static String answerTrailer(String doneMarker) {
        return "echo " + doneMarker + "\nexec cat >/dev/null\n";
    }

    private static String prelude(String owner, String runId, String hostName, Duration timeout) {
        String mine = "[run " + runId + " as ";
        return "l=" + LOCK_FILE + "; [ -d /run/lock ] || l=" + FALLBACK_LOCK_FILE + "\n"
                // Created world-readable and opened read-only: flock needs no write access, so users share one lock.
                + "[ -e \"$l\" ] || (umask 0; : >> \"$l\") 2>/dev/null\n"
                + "exec 9<\"$l\" || { echo \"cannot open the lock file $l\" >&2; exit 70; }\n"
                // Polled rather than flock -w: the holder may be this run, and its owner line may not be written yet.
                + "n=0\n"
                + "while ! flock -n 9; do\n"
                + "  o=$(cat \"$l.owner\" 2>/dev/null || true)\n"
                + "  case \"$o\" in *" + Shell.quote(mine) + "*) h=${o##*" + Shell.quote(mine) + "}; echo \"" + SAME_RUN + "${h%]}\" >&2; exit " + SAME_RUN_STATUS + ";; esac\n"
                + "  n=$((n+1)); if [ $n -gt " + Math.max(0, timeout.toSeconds()) * 5 + " ]; then echo \"host is locked by another rig run: "
                + "${o:-unknown} (waited " + timeout.toSeconds() + " s; see --lock-timeout)\" >&2; exit 75; fi\n"
                + "  sleep 0.2\n"
                + "done\n"
                + "printf '%s\\n' " + Shell.quote(owner + " " + mine + hostName + "]") + " > \"$l.owner\" 2>/dev/null\n";
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

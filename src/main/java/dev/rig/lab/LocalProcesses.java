package dev.rig.lab;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** Local processes by PID, read from /proc: the lab never finds its processes by name, since other fleets may run. */
final class LocalProcesses {
    /** How often the lab looks again while it waits for a process to start or end. */
    static final Duration POLL = Duration.ofMillis(10);

    private LocalProcesses() {}

    /** True while pid exists and has not exited; an exited child nobody reaped yet (a zombie) counts as gone. */
    static boolean isRunning(long pid) {
        try {
            String stat = Files.readString(procFile(pid, "stat"), StandardCharsets.UTF_8);
            // The state letter follows the command name, which is in parentheses and may itself contain ") ".
            int afterName = stat.lastIndexOf(')');
            return afterName > 0 && afterName + 2 < stat.length() && stat.charAt(afterName + 2) != 'Z';
        } catch (IOException e) {
            return false;
        }
    }

    /** The process's command line with NULs turned into spaces, if it still runs. */
    static Optional<String> commandLine(long pid) {
        try {
            byte[] raw = Files.readAllBytes(procFile(pid, "cmdline"));
            return Optional.of(new String(raw, StandardCharsets.UTF_8).replace('\0', ' ').strip());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** SIGTERM, then SIGKILL once grace has passed; returns when the process is gone. */
    static void terminate(long pid, Duration grace) {
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy);
        if (awaitExit(pid, grace)) return;
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        if (!awaitExit(pid, grace)) {
            throw new IllegalStateException("process " + pid + " survived SIGKILL");
        }
    }

    static boolean awaitExit(long pid, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (isRunning(pid)) {
            if (System.nanoTime() > deadline) return false;
            sleep(POLL);
        }
        return true;
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static Path procFile(long pid, String name) {
        return Path.of("/proc", Long.toString(pid), name);
    }
}

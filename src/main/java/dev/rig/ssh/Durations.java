package dev.rig.ssh;

import java.time.Duration;

/** Deadlines as System.nanoTime() values, and durations as messages show them. */
final class Durations {
    private static final Duration SHORTEST_WAIT = Duration.ofMillis(1);

    private Durations() {}

    static long deadlineAfter(Duration duration) {
        return System.nanoTime() + duration.toNanos();
    }

    static boolean passed(long deadline) {
        return System.nanoTime() - deadline >= 0;
    }

    /** What is left until deadline; never zero or less, which MINA's waits would read as "do not wait at all". */
    static Duration remaining(long deadline) {
        return Duration.ofNanos(Math.max(deadline - System.nanoTime(), SHORTEST_WAIT.toNanos()));
    }

    /** "5 s", "0.3 s". */
    static String describe(Duration duration) {
        return duration.toMillis() % 1000 == 0 ? duration.toSeconds() + " s" : duration.toMillis() / 1000.0 + " s";
    }
}

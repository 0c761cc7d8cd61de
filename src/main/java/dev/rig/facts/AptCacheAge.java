package dev.rig.facts;

import java.util.Optional;

/**
 * How old the host's apt cache is: the time of the last successful {@code apt-get update} rig recorded
 * (in {@link #UPDATE_STAMP}), against the host's clock, both in epoch seconds; null when not known
 * (no update recorded, or the probe did not get that far).
 */
public record AptCacheAge(Long updatedAt, Long now) {
    /**
     * Touched after every successful {@code apt-get update}: the lists directory's own mtime does not
     * change when nothing was new, so cache age is read from this stamp, as Ansible and Ubuntu do.
     */
    public static final String UPDATE_STAMP = "/var/lib/apt/periodic/update-success-stamp";

    public static final Fact<AptCacheAge> FACT = Fact.of(new Probe("s=" + UPDATE_STAMP + "\n"
            + "if [ -e \"$s\" ]; then stat -c 'stamp=%Y' \"$s\"; fi\n"
            + "echo now=$(date +%s)"), AptCacheAge::parse);

    /** Seconds since the last recorded update (never negative: clocks move), or empty when none was recorded. */
    public Optional<Long> seconds() {
        return updatedAt == null || now == null ? Optional.empty() : Optional.of(Math.max(0, now - updatedAt));
    }

    static AptCacheAge parse(String output) {
        Long stamp = null;
        Long now = null;
        for (String line : (output == null ? "" : output).split("\n")) {
            if (line.startsWith("stamp=")) stamp = Long.parseLong(line.substring(6).strip());
            if (line.startsWith("now=")) now = Long.parseLong(line.substring(4).strip());
        }
        return new AptCacheAge(stamp, now);
    }
}

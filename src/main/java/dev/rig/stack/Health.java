package dev.rig.stack;

/**
 * How one signal of one host stands. STALE and MISSING mean data does not flow (exit 2); ERROR that rig could not tell (exit 1);
 * UNKNOWN that it was not asked, because central could not be reached (exit 1, as central's own error).
 */
public enum Health {
    OK, STALE, MISSING, ERROR, UNKNOWN;

    String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

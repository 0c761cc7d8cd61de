package dev.rig.stack;

/** How one signal of one host stands. STALE and MISSING mean data does not flow (exit 2); ERROR that rig could not tell (exit 1). */
public enum Health {
    OK, STALE, MISSING, ERROR;

    String word() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}

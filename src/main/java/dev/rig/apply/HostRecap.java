package dev.rig.apply;

/**
 * Counts per host at the end of a run, and the first failure's message when there was one.
 * {@code alwaysRun} counts the changed tasks that are commands with no state to compare (they
 * run every time); a plan whose only changes are those has nothing to converge.
 */
public record HostRecap(String host, int ok, int changed, int unreachable, int failed, int skipped, int ignored,
                        int knownAfterApply, int alwaysRun, String failure) {
    public boolean hasProblem() {
        return unreachable > 0 || failed > 0;
    }

    /** Changes to state, leaving out commands that run every time. */
    public int converging() {
        return changed - alwaysRun;
    }
}

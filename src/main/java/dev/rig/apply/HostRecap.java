package dev.rig.apply;

/** Counts per host at the end of a run, and the first failure's message when there was one. */
public record HostRecap(String host, int ok, int changed, int unreachable, int failed, int skipped, int ignored,
                        int knownAfterApply, String failure) {
    public boolean hasProblem() {
        return unreachable > 0 || failed > 0;
    }
}

package dev.rig.plan;

import dev.rig.core.Digests;
import dev.rig.core.Secrets;

import java.util.List;
import java.util.Objects;

/**
 * The plan of one host: how it stands ({@code state}), the first failure if any, each planned task in order,
 * and a fingerprint of them all.
 */
public record HostPlan(String host, State state, String failure, List<PlannedTask> tasks, String fingerprint) {
    /** changes: something to converge; in_sync: nothing (commands that always run do not count). */
    public enum State {
        CHANGES, IN_SYNC, FAILED, UNREACHABLE;

        public boolean problem() {
            return this == FAILED || this == UNREACHABLE;
        }
    }

    /** Which plan a fresh one is held to, for the words of a refusal. */
    public enum Reviewed {
        /** A plan saved by {@code rig plan --out}. */
        SAVED("was planned as", "was not in the plan", "would run other scripts than the plan holds (their sha256 differ): rig or the module changed since the plan",
                "the host's state changed since the plan"),
        /** The plan an interactive apply showed before its "yes". */
        SHOWN("was shown as", "was not in the plan shown", "would run other scripts than the plan shown (their sha256 differ)",
                "the host's state changed since the plan was shown");

        private final String was;
        private final String notInPlan;
        private final String otherScripts;
        private final String stateChanged;

        Reviewed(String was, String notInPlan, String otherScripts, String stateChanged) {
            this.was = was;
            this.notInPlan = notInPlan;
            this.otherScripts = otherScripts;
            this.stateChanged = stateChanged;
        }
    }

    public HostPlan {
        tasks = List.copyOf(tasks);
        Objects.requireNonNull(state, "state");
    }

    public static HostPlan of(String host, State state, String failure, List<PlannedTask> tasks) {
        return new HostPlan(host, state, failure, tasks, fingerprintOf(tasks));
    }

    public static String fingerprintOf(List<PlannedTask> tasks) {
        StringBuilder b = new StringBuilder();
        for (PlannedTask t : tasks) b.append(t.fingerprint()).append('\n');
        return Digests.sha256(b.toString());
    }

    /** Tasks that change state (leaving out commands that run every time). */
    public int toChange() {
        return (int) tasks.stream().filter(t -> t.status() == PlannedTask.Status.CHANGED && t.action() != Action.RUN).count();
    }

    public HostPlan redacted(Secrets secrets) {
        return new HostPlan(host, state, secrets.redact(failure), tasks.stream().map(t -> t.redacted(secrets)).toList(), fingerprint);
    }

    /**
     * Why {@code now}, this host planned again, no longer matches this reviewed plan, or null when every task
     * would do and run exactly what was reviewed: names the first task that differs. Script digests are compared
     * on their own, not only through the fingerprint: what runs must be what was reviewed.
     */
    public String staleReason(HostPlan now, Reviewed reviewed) {
        List<PlannedTask> fresh = now.tasks();
        for (int i = 0; i < Math.max(tasks.size(), fresh.size()); i++) {
            if (i >= tasks.size()) return "task '" + fresh.get(i).task() + "' " + reviewed.notInPlan;
            if (i >= fresh.size()) return "task '" + tasks.get(i).task() + "' no longer runs";
            PlannedTask was = tasks.get(i);
            PlannedTask is = fresh.get(i);
            boolean otherScripts = !was.scripts().equals(is.scripts());
            if (!otherScripts && was.fingerprint().equals(is.fingerprint())) continue;
            boolean sameDecision = was.status() == is.status() && Objects.equals(was.message(), is.message());
            if (otherScripts && sameDecision) return is.named() + " " + reviewed.otherScripts;
            return is.named() + " " + reviewed.was + ": " + describe(was) + "; now: " + describe(is) + " (" + reviewed.stateChanged + ")";
        }
        return fingerprint.equals(now.fingerprint()) ? null : reviewed.stateChanged;
    }

    private static String describe(PlannedTask t) {
        String message = t.message();
        return t.status().name().toLowerCase() + (message == null || message.isBlank() ? "" : " — " + message);
    }
}

package dev.rig.report;

import dev.rig.apply.Event;
import dev.rig.apply.HostRecap;
import dev.rig.apply.Mode;
import dev.rig.apply.RunPlans;
import dev.rig.core.Secrets;
import dev.rig.plan.Action;
import dev.rig.plan.HostPlan;
import dev.rig.plan.Plan;
import dev.rig.plan.PlanCodec;
import dev.rig.plan.PlannedTask;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** The views of a saved plan ({@code rig show}): for people, the same lines a live plan prints; as JSON, the file's own form. */
public final class PlanView {
    private PlanView() {}

    /** The plan for people, headed by the format version its file was written in. */
    public static void human(PlanCodec.Saved saved, PrintWriter out) {
        Plan plan = saved.plan();
        int formatVersion = saved.formatVersion();
        Plan.Inputs inputs = plan.inputs();
        out.println("Plan format " + formatVersion + ", made " + plan.createdAt() + " by rig " + plan.rigVersion());
        out.println("  inventory " + inputs.inventory() + ", playbooks " + String.join(", ", inputs.playbooks())
                + (inputs.limit() != null ? ", limit " + inputs.limit() : ""));
        // The plan is masked already; the reporter needs no secrets of its own.
        HumanReporter reporter = new HumanReporter(out, new Secrets(), false);
        reporter.emit(new Event.RunStarted(Mode.PLAN, inputs.playbooks()));
        List<HostRecap> recaps = new ArrayList<>();
        for (HostPlan host : plan.hosts()) {
            host.tasks().forEach(t -> reporter.emit(RunPlans.event(host.host(), t)));
            recaps.add(recap(host));
        }
        reporter.emit(new Event.RunFinished(Mode.PLAN, recaps, 0));
    }

    /** The plan as JSON, in the current format version (what {@code rig plan --out} writes). */
    public static void json(Plan plan, PrintWriter out) {
        out.print(PlanCodec.write(plan));
        out.flush();
    }

    private static HostRecap recap(HostPlan host) {
        int ok = 0, changed = 0, failed = 0, skipped = 0, ignored = 0, later = 0, run = 0;
        for (PlannedTask t : host.tasks()) {
            switch (t.status()) {
                case OK -> ok++;
                case CHANGED -> {
                    changed++;
                    if (t.action() == Action.RUN) run++;
                }
                case FAILED -> {
                    if (t.ignored()) ignored++; else failed++;
                }
                case SKIPPED -> skipped++;
                case KNOWN_AFTER_APPLY -> later++;
                case UNREACHABLE -> { }
            }
        }
        int unreachable = host.state() == HostPlan.State.UNREACHABLE ? 1 : 0;
        return new HostRecap(host.host(), ok, changed, unreachable, failed, skipped, ignored, later, run, host.failure());
    }
}

package dev.rig.apply;

import dev.rig.plan.HostPlan;
import dev.rig.plan.PlannedCommand;
import dev.rig.plan.PlannedTask;

import java.util.ArrayList;
import java.util.List;

/** A plan run's results as a plan: each host's recap and task results turned into the plan model (unmasked). */
public final class RunPlans {
    private RunPlans() {}

    public static HostPlan host(HostRecap recap, List<Event.TaskDone> tasks) {
        HostPlan.State state = recap.unreachable() > 0 ? HostPlan.State.UNREACHABLE
                : recap.hasProblem() ? HostPlan.State.FAILED
                : recap.converging() > 0 ? HostPlan.State.CHANGES : HostPlan.State.IN_SYNC;
        return HostPlan.of(recap.host(), state, recap.failure(), tasks.stream().map(RunPlans::task).toList());
    }

    /** A task result as planned: each command's description paired with its script's digest (no_log hides the descriptions only). */
    public static PlannedTask task(Event.TaskDone t) {
        List<PlannedCommand> commands = new ArrayList<>();
        for (int i = 0; i < Math.max(t.commands().size(), t.scripts().size()); i++) {
            commands.add(new PlannedCommand(i < t.commands().size() ? t.commands().get(i) : null, i < t.scripts().size() ? t.scripts().get(i) : null));
        }
        return PlannedTask.of(t.play(), t.task(), t.item(), PlannedTask.Status.valueOf(t.status().name()), t.action(), t.message(),
                t.diffs(), commands, t.ignored(), t.handler(), t.delegate());
    }

    /** Back to a task result, for reporters that render plans the way they render runs. */
    public static Event.TaskDone event(String host, PlannedTask t) {
        return new Event.TaskDone(host, t.play(), t.task(), t.item(), Status.valueOf(t.status().name()), t.action(), t.message(),
                t.diffs(), t.descriptions(), t.ignored(), t.handler(), t.scripts(), t.delegate());
    }
}

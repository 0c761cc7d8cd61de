package dev.rig.plan;

import java.util.List;

/**
 * What one task would do on one host: the commands that converge it and the diff they cause.
 * A change with no commands is "ok" — a module is "changed" exactly when it yields commands.
 */
public record Change(Action action, List<HostCommand> commands, List<Diff> diffs, String summary) {
    public Change {
        commands = List.copyOf(commands);
        diffs = List.copyOf(diffs);
        if (commands.isEmpty()) action = Action.NOOP;
    }

    public static Change none(String summary) {
        return new Change(Action.NOOP, List.of(), List.of(), summary);
    }

    public static Change of(Action action, List<HostCommand> commands, List<Diff> diffs, String summary) {
        return new Change(action, commands, diffs, summary);
    }

    public boolean changes() {
        return !commands.isEmpty();
    }
}

package dev.rig.plan;

import java.util.List;

/**
 * What one task would do on one host: the commands that converge it (and effects run on the
 * operator's machine, such as API calls) and the diff they cause. A change with neither is
 * "ok" — a module is "changed" exactly when it yields something to run.
 */
public record Change(Action action, List<HostCommand> commands, List<LocalEffect> effects, List<Diff> diffs, String summary,
                     @com.fasterxml.jackson.annotation.JsonIgnore Touched touched) {
    /**
     * What a change may alter on the host, so that state read ahead for other paths stays good:
     * {@code paths} themselves (and so the directories above them), and {@code trees}, paths with
     * everything below them (a tree removed, replaced by a link, chmod -R). Absolute paths.
     */
    public record Touched(java.util.Set<String> paths, java.util.Set<String> trees) {
        public Touched {
            paths = java.util.Set.copyOf(paths);
            trees = java.util.Set.copyOf(trees);
        }

        public static final Touched NOTHING = new Touched(java.util.Set.of(), java.util.Set.of());
    }

    /** {@code touched}: null when the module does not say (every answer read ahead is dropped); not part of what plans show or save. */
    public Change {
        commands = List.copyOf(commands);
        effects = List.copyOf(effects);
        diffs = List.copyOf(diffs);
        if (commands.isEmpty() && effects.isEmpty()) action = Action.NOOP;
    }

    public Change(Action action, List<HostCommand> commands, List<LocalEffect> effects, List<Diff> diffs, String summary) {
        this(action, commands, effects, diffs, summary, null);
    }

    /** This change, saying it alters only these paths (not what is below them). */
    public Change touching(java.util.Set<String> paths) {
        return new Change(action, commands, effects, diffs, summary, new Touched(paths, java.util.Set.of()));
    }

    /** This change, saying it alters only these paths and what is below them. */
    public Change touchingTrees(java.util.Set<String> trees) {
        return new Change(action, commands, effects, diffs, summary, new Touched(java.util.Set.of(), trees));
    }

    /**
     * The digest of each thing this change would run, in order: every command's script and stdin, then
     * every local effect's description and request data.
     */
    public List<String> scriptDigests() {
        List<String> out = new java.util.ArrayList<>();
        commands.forEach(c -> out.add(c.digest()));
        effects.forEach(e -> out.add(HostCommand.of(e.description() + "\n" + new java.util.TreeMap<>(e.data())).digest()));
        return out;
    }

    public static Change none(String summary) {
        return new Change(Action.NOOP, List.of(), List.of(), List.of(), summary);
    }

    public static Change of(Action action, List<HostCommand> commands, List<Diff> diffs, String summary) {
        return new Change(action, commands, List.of(), diffs, summary);
    }

    /** A change made through effects on the operator's machine (API calls), not host commands. */
    public static Change local(Action action, List<LocalEffect> effects, List<Diff> diffs, String summary) {
        return new Change(action, List.of(), effects, diffs, summary);
    }

    public boolean changes() {
        return !commands.isEmpty() || !effects.isEmpty();
    }
}

package dev.rig.apply;

import dev.rig.plan.Action;
import dev.rig.plan.Diff;
import dev.rig.plan.RenderedFile;

import java.util.List;

/** What the engine reports while it runs; reporters render these and nothing else. */
public sealed interface Event {
    record RunStarted(Mode mode, List<String> playbooks) implements Event {}

    record PlayStarted(String play, List<String> hosts) implements Event {}

    /**
     * One task (or one loop item) on one host. {@code commands} are the descriptions of what
     * was (apply) or would be (plan) run; diffs are data.
     */
    record TaskDone(String host, String play, String task, String item, Status status, Action action,
                    String message, List<Diff> diffs, List<String> commands, boolean ignored, boolean handler)
            implements Event {}

    /** In a render: a file the host would get, with its real content (the render command masks secrets). */
    record FileRendered(String host, RenderedFile file) implements Event {}

    record HostUnreachable(String host, String message) implements Event {}

    record Warning(String message) implements Event {}

    record RunFinished(Mode mode, List<HostRecap> recaps, long elapsedMillis) implements Event {}
}

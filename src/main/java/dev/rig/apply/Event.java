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
     * was (apply) or would be (plan) run; diffs are data. {@code delegate}: the host a delegated
     * task ran on ({@code delegate_to}, shown as Ansible's [web1 -> db1]), null otherwise.
     * {@code scripts}: the sha256 of each script the task's commands run (HostCommand.digest), for
     * saved plans; not part of the event stream (--json) or of what reporters show.
     */
    record TaskDone(String host, String play, String task, String item, Status status, Action action,
                    String message, List<Diff> diffs, List<String> commands, boolean ignored, boolean handler,
                    @com.fasterxml.jackson.annotation.JsonIgnore List<String> scripts,
                    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL) String delegate)
            implements Event {
        public TaskDone {
            scripts = scripts == null ? List.of() : List.copyOf(scripts);
        }

        public TaskDone(String host, String play, String task, String item, Status status, Action action,
                        String message, List<Diff> diffs, List<String> commands, boolean ignored, boolean handler) {
            this(host, play, task, item, status, action, message, diffs, commands, ignored, handler, List.of(), null);
        }

        public TaskDone(String host, String play, String task, String item, Status status, Action action, String message,
                        List<Diff> diffs, List<String> commands, boolean ignored, boolean handler, List<String> scripts) {
            this(host, play, task, item, status, action, message, diffs, commands, ignored, handler, scripts, null);
        }

        public TaskDone withScripts(List<String> digests) {
            return new TaskDone(host, play, task, item, status, action, message, diffs, commands, ignored, handler, digests, delegate);
        }

        /** Where the task ran as Ansible prints it: the host, or "host -> delegate". */
        public String where() {
            return delegate == null ? host : host + " -> " + delegate;
        }
    }

    /** In a render: a file the host would get, with its real content (the render command masks secrets). */
    record FileRendered(String host, RenderedFile file) implements Event {}

    record HostUnreachable(String host, String message) implements Event {}

    /** A host is through a play (or stopped in it: failed, unreachable, lost its lock), for progress lines. */
    record HostFinished(String play, String host, boolean failed) implements Event {}

    record Warning(String message) implements Event {}

    /** What a {@code debug} task says on a host: Ansible always shows it, in plan and apply alike. */
    record Message(String host, String task, String text) implements Event {}

    record RunFinished(Mode mode, List<HostRecap> recaps, long elapsedMillis) implements Event {}
}

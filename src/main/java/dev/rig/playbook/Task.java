package dev.rig.playbook;

import dev.rig.core.Source;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One task: exactly one module with its arguments plus the task keywords. Values may still hold
 * FreeMarker expressions; they are rendered per host when the task runs.
 */
public record Task(
        String name,
        Source source,
        String module,
        Map<String, Object> args,
        Map<String, Source> argSources,
        String when,
        Source whenSource,
        Object loop,
        String loopLabel,
        String loopVar,
        String register,
        List<String> notifies,
        Set<String> tags,
        Boolean become,
        String becomeUser,
        String changedWhen,
        String failedWhen,
        boolean ignoreErrors,
        boolean noLog,
        Map<String, Object> vars,
        String role,
        List<Path> fileDirs,
        List<Path> templateDirs,
        List<String> listen,
        List<Condition> blockConditions,
        Control control,
        RoleVars roleVars) implements Step {

    /**
     * The variables of the role instance a task belongs to, which Ansible puts above every other
     * role's for that role's own tasks: {@code defaults} (its dependencies', its parents', its own)
     * and {@code vars} (its parents', its dependencies', the {@code vars} of the role entry that
     * named it, then its own vars/, in Ansible 2.14's order).
     */
    public record RoleVars(Map<String, Object> defaults, Map<String, Object> vars) {
        public static final RoleVars NONE = new RoleVars(Map.of(), Map.of());
    }

    /**
     * How the task runs: {@code environment} (play, block and task, merged), {@code until} with
     * {@code retries} and {@code delay} (seconds), {@code checkMode} (true: planned only, even by an
     * apply; rig's plan never changes a host, so false changes nothing), and loop_control's
     * {@code indexVar}, {@code pause} (seconds between items) and {@code extended} (ansible_loop);
     * {@code delegateTo}: {@code delegate_to} (null when the task has none), the task's probe and commands
     * run on that host's connection while its variables stay the host's; {@code throttle}: at most that many
     * hosts run the task at once (0: no limit); {@code lockstep}: how the task runs with the other hosts of its batch.
     */
    public record Control(java.util.Map<String, Object> environment, String until, int retries, int delay, Boolean checkMode,
                          String indexVar, int pause, boolean extended, Delegation delegateTo, int throttle, Lockstep lockstep) {
        public Control(java.util.Map<String, Object> environment, String until, int retries, int delay, Boolean checkMode,
                       String indexVar, int pause, boolean extended) {
            this(environment, until, retries, delay, checkMode, indexVar, pause, extended, null, 0, Lockstep.NONE);
        }

        public Control(java.util.Map<String, Object> environment, String until, int retries, int delay, Boolean checkMode,
                       String indexVar, int pause, boolean extended, Delegation delegateTo, int throttle) {
            this(environment, until, retries, delay, checkMode, indexVar, pause, extended, delegateTo, throttle, Lockstep.NONE);
        }
    }

    /**
     * Ansible's keywords that tie a task to the other hosts of its batch (play, block or task; the
     * innermost wins): {@code runOnce} runs it on one host for all; {@code anyErrorsFatal} ends the
     * play for every host when one fails it; {@code ignoreUnreachable} keeps a host that was unreachable
     * during it in the play. {@code rescued}: a block's rescue catches a failure of the task (then it is
     * not fatal).
     */
    public record Lockstep(boolean runOnce, boolean anyErrorsFatal, boolean ignoreUnreachable, boolean rescued) {
        public static final Lockstep NONE = new Lockstep(false, false, false, false);

        /** Whether the task needs its batch's coordination at all. */
        public boolean coordinated() {
            return runOnce || anyErrorsFatal;
        }
    }

    /** A task's {@code delegate_to}: a host name, possibly with {@code ${...}} rendered for each host and item, and where it is written. */
    public record Delegation(String to, Source source) {}

    /** A when of an enclosing block, checked before the task's own. */
    public record Condition(String expression, Source source) {}

    /** The name people see: the task's name, else "module: first argument". */
    public String displayName() {
        if (name != null && !name.isBlank()) return (role != null ? role + " : " : "") + name;
        return module;
    }

    public Source argSource(String arg) {
        return argSources.getOrDefault(arg, source);
    }
}

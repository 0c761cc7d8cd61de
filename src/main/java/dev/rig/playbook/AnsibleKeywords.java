package dev.rig.playbook;

import java.util.Set;

/**
 * The keywords Ansible 2.14 defines for plays, blocks and tasks (the FieldAttributes of
 * ansible.playbook.play.Play, block.Block and task.Task), so that one rig does not implement is
 * refused by name at load instead of being mistaken for a module or ignored.
 */
public final class AnsibleKeywords {
    private AnsibleKeywords() {}

    public static final Set<String> PLAY = Set.of("any_errors_fatal", "become", "become_exe", "become_flags", "become_method",
            "become_user", "check_mode", "collections", "connection", "debugger", "diff", "environment", "fact_path", "force_handlers",
            "gather_facts", "gather_subset", "gather_timeout", "handlers", "hosts", "ignore_errors", "ignore_unreachable",
            "max_fail_percentage", "module_defaults", "name", "no_log", "order", "port", "post_tasks", "pre_tasks", "remote_user",
            "roles", "run_once", "serial", "strategy", "tags", "tasks", "throttle", "timeout", "vars", "vars_files", "vars_prompt");

    public static final Set<String> BLOCK = Set.of("always", "any_errors_fatal", "become", "become_exe", "become_flags",
            "become_method", "become_user", "block", "check_mode", "collections", "connection", "debugger", "delegate_facts",
            "delegate_to", "diff", "environment", "ignore_errors", "ignore_unreachable", "module_defaults", "name", "no_log", "notify",
            "port", "remote_user", "rescue", "run_once", "tags", "throttle", "timeout", "vars", "when");

    public static final Set<String> TASK = Set.of("action", "any_errors_fatal", "args", "async", "become", "become_exe",
            "become_flags", "become_method", "become_user", "changed_when", "check_mode", "collections", "connection", "debugger",
            "delay", "delegate_facts", "delegate_to", "diff", "environment", "failed_when", "ignore_errors", "ignore_unreachable",
            "local_action", "loop", "loop_control", "module_defaults", "name", "no_log", "notify", "poll", "port", "register",
            "remote_user", "retries", "run_once", "tags", "throttle", "timeout", "until", "vars", "when", "listen");

    /** Whether {@code key}, found in a task, is an Ansible keyword (with_ITEMS lookups included) rather than a module. */
    public static boolean isTaskKeyword(String key) {
        return TASK.contains(key) || BLOCK.contains(key) || key.startsWith("with_");
    }

    /**
     * Keywords that cannot mean anything for rig, accepted and ignored (README, "Playbooks"):
     * {@code collections} only picks where Ansible looks up module names, and rig has its own modules.
     */
    public static final Set<String> MEANINGLESS = Set.of("collections");

    static String refusal(String keyword, String where) {
        return "'" + keyword + "' is an Ansible " + where + " keyword that rig does not implement; remove it or see README, 'Playbooks'";
    }
}

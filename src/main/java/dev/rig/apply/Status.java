package dev.rig.apply;

/** How one task ended on one host, as Ansible's callbacks name it. */
public enum Status {
    OK, CHANGED, SKIPPED, FAILED, UNREACHABLE,
    /** In a plan: the task's input depends on a result that only exists after apply. */
    KNOWN_AFTER_APPLY
}

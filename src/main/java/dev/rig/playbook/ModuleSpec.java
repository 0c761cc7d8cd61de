package dev.rig.playbook;

import java.util.List;
import java.util.Map;

/** What the playbook loader needs to know of a module to validate a task before any host is contacted. */
public interface ModuleSpec {
    String name();

    List<ArgSpec> args();

    /** Modules like command and shell take a free-form string, kept under this argument name. */
    default String freeFormArg() {
        return null;
    }

    /** Modules like set_fact take any argument names. */
    default boolean acceptsAnyArgs() {
        return false;
    }

    /** Why an argument Ansible's module has is refused here (said after "unknown argument"), or null. */
    default String refusedArgument(String name) {
        return null;
    }

    /** Checks among arguments that the table cannot express (e.g. "content or src, not both"). Values may still be templates. */
    default List<String> crossCheck(Map<String, Object> args) {
        return List.of();
    }
}

package dev.rig.playbook;

import java.util.List;

/**
 * One argument a module accepts: its type, whether it is required, allowed values, and the other
 * names Ansible accepts for it (lineinfile's {@code dest} for {@code path}); the loader stores an
 * alias under the argument's own name.
 */
public record ArgSpec(String name, ArgType type, boolean required, List<String> choices, List<String> aliases) {
    public ArgSpec {
        choices = List.copyOf(choices);
        aliases = List.copyOf(aliases);
    }

    public ArgSpec(String name, ArgType type, boolean required, List<String> choices) {
        this(name, type, required, choices, List.of());
    }

    /** This argument, also accepted under the given names. */
    public ArgSpec alias(String... names) {
        return new ArgSpec(name, type, required, choices, List.of(names));
    }

    public enum ArgType {
        STRING, BOOL, INT, LIST, MAP, ANY,
        /** A file mode: a quoted octal string ("0644") or a YAML octal number. */
        MODE,
        /** A local file looked up in the role's files/ directory, then beside the playbook. */
        LOCAL_FILE,
        /** A local FreeMarker template looked up in the role's templates/ directory, then beside the playbook. */
        LOCAL_TEMPLATE
    }

    public static ArgSpec required(String name, ArgType type) {
        return new ArgSpec(name, type, true, List.of());
    }

    public static ArgSpec optional(String name, ArgType type) {
        return new ArgSpec(name, type, false, List.of());
    }

    public static ArgSpec choice(String name, boolean required, String... choices) {
        return new ArgSpec(name, ArgType.STRING, required, List.of(choices));
    }
}

package dev.rig.playbook;

import java.util.List;

/** One argument a module accepts: its type, whether it is required, and allowed values. */
public record ArgSpec(String name, ArgType type, boolean required, List<String> choices) {
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

package dev.rig.core;

import java.util.List;
import java.util.stream.Collectors;

/** POSIX shell quoting: every argument rig puts on a command line goes through here. */
public final class Shell {
    private Shell() {}

    public static String quote(String s) {
        if (!s.isEmpty() && s.chars().allMatch(c -> (c < 128 && Character.isLetterOrDigit(c)) || "@%+=:,./-_".indexOf(c) >= 0)) {
            return s;
        }
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    public static String join(List<String> argv) {
        return argv.stream().map(Shell::quote).collect(Collectors.joining(" "));
    }

    public static String join(String... argv) {
        return join(List.of(argv));
    }
}

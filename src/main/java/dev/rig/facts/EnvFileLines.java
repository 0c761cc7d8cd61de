package dev.rig.facts;

import dev.rig.core.Shell;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A KEY=value file that holds secrets (a compose project's .env), read without its values leaving the
 * host: per line, the variable's name and the sha256 of the whole line. Enough for a plan to name the
 * variables that change, never their values. An absent file has no lines.
 */
public record EnvFileLines(Map<String, String> lineSha256) {
    private static final Pattern LINE = Pattern.compile("env=(.*) ([0-9a-f]{64})");

    public EnvFileLines {
        lineSha256 = java.util.Collections.unmodifiableMap(new TreeMap<>(lineSha256));
    }

    public static Fact<EnvFileLines> of(String path) {
        return Fact.of(new Probe("f=" + Shell.quote(path) + "\n[ -f \"$f\" ] || exit 0\n"
                + "while IFS= read -r l || [ -n \"$l\" ]; do h=$(printf '%s' \"$l\" | sha256sum); printf 'env=%s %s\\n' \"${l%%=*}\" \"${h%% *}\"; done < \"$f\""),
                EnvFileLines::parse);
    }

    /**
     * env=NAME SHA256 lines (NAME is the line up to its first '=', so it may hold spaces); a later line for
     * the same name wins, as it does for compose. Comment lines ('#' first), which compose ignores, are
     * left out. Any other line is refused: a host whose sha256sum printed nothing must not read as a file
     * whose variables are all unchanged or all gone.
     */
    static EnvFileLines parse(String output) {
        Map<String, String> lines = new TreeMap<>();
        for (String line : (output == null ? "" : output).split("\n")) {
            if (line.isEmpty()) continue;
            Matcher m = LINE.matcher(line);
            if (!m.matches()) throw new IllegalStateException("unexpected line in the probe of an env file: " + line);
            if (m.group(1).startsWith("#")) continue;
            lines.put(m.group(1), m.group(2));
        }
        return new EnvFileLines(lines);
    }
}

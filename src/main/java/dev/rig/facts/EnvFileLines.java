package dev.rig.facts;

import dev.rig.core.Shell;

import java.util.Map;
import java.util.TreeMap;

/**
 * A KEY=value file that holds secrets (a compose project's .env), read without its values leaving the
 * host: per line, the variable's name and the sha256 of the whole line. Enough for a plan to name the
 * variables that change, never their values. An absent file has no lines.
 */
public record EnvFileLines(Map<String, String> lineSha256) {
    public EnvFileLines {
        lineSha256 = java.util.Collections.unmodifiableMap(new TreeMap<>(lineSha256));
    }

    public static Fact<EnvFileLines> of(String path) {
        return Fact.of(new Probe("f=" + Shell.quote(path) + "\n[ -f \"$f\" ] || exit 0\n"
                + "while IFS= read -r l || [ -n \"$l\" ]; do h=$(printf '%s' \"$l\" | sha256sum); printf 'env=%s %s\\n' \"${l%%=*}\" \"${h%% *}\"; done < \"$f\""),
                EnvFileLines::parse);
    }

    /** env=NAME SHA256 lines; a later line for the same name wins, as it does for compose. */
    static EnvFileLines parse(String output) {
        Map<String, String> lines = new TreeMap<>();
        for (String line : (output == null ? "" : output).split("\n")) {
            if (!line.startsWith("env=") || line.indexOf(' ') < 0) continue;
            lines.put(line.substring(4, line.indexOf(' ')), line.substring(line.indexOf(' ') + 1).strip());
        }
        return new EnvFileLines(lines);
    }
}

package dev.rig.facts;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The host's {@code /etc/os-release} (or {@code /usr/lib/os-release}): its fields with lower-case
 * names ({@code id}, {@code version_codename}, ...), plus {@code machine} ({@code uname -m}) and, on
 * dpkg systems, {@code dpkg_architecture}.
 */
public record OsRelease(Map<String, String> fields) {
    private static final String MARK = "@@uname ";

    public static final Fact<OsRelease> FACT = Fact.of(new Probe(
            "if [ -r /etc/os-release ]; then cat /etc/os-release; elif [ -r /usr/lib/os-release ]; then cat /usr/lib/os-release; fi\n"
                    + "echo\n"
                    + "printf '" + MARK + "machine=%s\\n' \"$(uname -m)\"\n"
                    + "if command -v dpkg >/dev/null 2>&1; then printf '" + MARK + "dpkg_architecture=%s\\n' \"$(dpkg --print-architecture)\"; fi\n"),
            OsRelease::parse);

    public OsRelease {
        fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    public Optional<String> get(String name) {
        return Optional.ofNullable(fields.get(name));
    }

    /** os-release is shell-style KEY=value lines, the value optionally in double or single quotes. */
    static OsRelease parse(String output) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String raw : (output == null ? "" : output).split("\n")) {
            String line = raw.startsWith(MARK) ? raw.substring(MARK.length()) : raw.strip();
            int eq = line.indexOf('=');
            if (line.startsWith("#") || eq <= 0) continue;
            String value = line.substring(eq + 1).strip();
            if (value.length() >= 2 && (value.charAt(0) == '"' || value.charAt(0) == '\'') && value.endsWith(value.substring(0, 1))) {
                value = value.substring(1, value.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\").replace("\\$", "$").replace("\\`", "`");
            }
            fields.put(line.substring(0, eq).strip().toLowerCase(Locale.ROOT), value);
        }
        return new OsRelease(fields);
    }
}

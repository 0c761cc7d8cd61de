package dev.rig.modules;

import dev.rig.facts.Probe;
import dev.rig.playbook.ArgSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads the host's {@code /etc/os-release} into the fact {@code os_release}: its fields with
 * lower-case names ({@code os_release.id}, {@code os_release.version_codename}...), plus
 * {@code machine} ({@code uname -m}) and, on dpkg systems, {@code dpkg_architecture}. Read-only, so
 * a plan knows the OS too, and later tasks can pick packages, repositories or fail early by it.
 */
public final class OsReleaseModule implements Module {
    static final String FACT = "os_release";
    private static final String MARK = "@@uname ";

    @Override
    public java.util.Set<String> hostFacts() {
        return java.util.Set.of(FACT);
    }

    @Override
    public String name() {
        return "os_release";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of();
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return new Probe("if [ -r /etc/os-release ]; then cat /etc/os-release; elif [ -r /usr/lib/os-release ]; then cat /usr/lib/os-release; fi\n"
                + "echo\n"
                + "printf '" + MARK + "machine=%s\\n' \"$(uname -m)\"\n"
                + "if command -v dpkg >/dev/null 2>&1; then printf '" + MARK + "dpkg_architecture=%s\\n' \"$(dpkg --print-architecture)\"; fi\n");
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        Map<String, Object> fields = parse(probeOutput);
        if (!fields.containsKey("id")) return Outcome.fail("the host has no /etc/os-release (or it names no ID): cannot tell its OS");
        String message = fields.getOrDefault("pretty_name", fields.get("id")) + " (" + fields.get("machine") + ")";
        return Outcome.ok(message).withFacts(Map.of(FACT, fields)).withResult(Map.of(FACT, fields));
    }

    /** os-release is shell-style KEY=value lines, the value optionally in double or single quotes. */
    static Map<String, Object> parse(String output) {
        Map<String, Object> fields = new LinkedHashMap<>();
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
        return fields;
    }
}

package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.Probe;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Several read-only snippets as one probe, for modules that read more than one thing (a compose
 * project's files and its containers; a repository's sources file and its key). Each part runs in
 * its own subshell, so one part's {@code exit} ends only that part, and its output is framed by a
 * marker line no file content can produce (the content parts print is base64 or key=value lines).
 */
final class ProbeParts {
    private static final String MARK = "@@rig-part ";

    private final Map<String, String> scripts = new LinkedHashMap<>();

    ProbeParts add(String name, Probe probe) {
        return add(name, probe.script());
    }

    ProbeParts add(String name, String script) {
        if (name.contains("\n") || scripts.containsKey(name)) throw new IllegalArgumentException("bad or repeated part name: " + name);
        scripts.put(name, script);
        return this;
    }

    Probe probe() {
        StringBuilder s = new StringBuilder();
        scripts.forEach((name, script) -> s.append("printf '\\n%s\\n' ").append(Shell.quote(MARK + name)).append('\n')
                .append("(\n").append(script).append("\n)\n"));
        return new Probe(s.toString());
    }

    /** Each part's output by name; a part the output lacks (the probe died first) is absent. */
    static Map<String, String> parse(String output) {
        Map<String, String> parts = new LinkedHashMap<>();
        String name = null;
        StringBuilder body = new StringBuilder();
        for (String line : (output == null ? "" : output).split("\n", -1)) {
            if (line.startsWith(MARK)) {
                if (name != null) parts.put(name, trimmed(body));
                name = line.substring(MARK.length());
                body.setLength(0);
            } else if (name != null) {
                body.append(line).append('\n');
            }
        }
        if (name != null) parts.put(name, trimmed(body));
        return parts;
    }

    /** A part's output; an error naming the part when the probe did not print it. */
    static String part(Map<String, String> parts, String name) {
        String text = parts.get(name);
        if (text == null) throw new IllegalStateException("probe output lacks part '" + name + "'");
        return text;
    }

    private static String trimmed(StringBuilder body) {
        // The frame adds one newline before the next marker; a part's own last newline stays.
        String s = body.toString();
        if (s.endsWith("\n\n")) return s.substring(0, s.length() - 1);
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }
}

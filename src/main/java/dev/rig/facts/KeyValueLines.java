package dev.rig.facts;

import java.util.LinkedHashMap;
import java.util.Map;

/** The NAME=value lines most probes print: the first value of each name, stripped; lines without '=' are skipped. */
final class KeyValueLines {
    private KeyValueLines() {}

    static Map<String, String> parse(String output) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : (output == null ? "" : output).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) kv.putIfAbsent(line.substring(0, eq), line.substring(eq + 1).strip());
        }
        return kv;
    }
}

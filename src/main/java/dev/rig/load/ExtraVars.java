package dev.rig.load;

import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses -e values as Ansible does: KEY=VALUE (a string), @FILE (YAML), or an inline YAML/JSON map. */
public final class ExtraVars {
    private ExtraVars() {}

    public static Map<String, Object> parse(List<String> values) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String v : values) {
            String s = v.strip();
            if (s.startsWith("@")) {
                Path p = Path.of(s.substring(1));
                try {
                    out.putAll(map(Files.readString(p), p.toString()));
                } catch (IOException e) {
                    throw new InvalidInputException(new Source(p.toString(), 0, 0), "cannot read extra vars file: " + e.getMessage());
                }
            } else if (s.startsWith("{")) {
                out.putAll(map(s, "-e " + s));
            } else {
                int eq = s.indexOf('=');
                if (eq <= 0) throw new InvalidInputException(new Source("-e " + v, 0, 0), "expected KEY=VALUE, @FILE or a YAML map");
                out.put(s.substring(0, eq), s.substring(eq + 1));
            }
        }
        return out;
    }

    private static Map<String, Object> map(String text, String where) {
        Object o;
        try {
            o = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (RuntimeException e) {
            throw new InvalidInputException(new Source(where, 0, 0), "not valid YAML: " + e.getMessage());
        }
        if (!(o instanceof Map<?, ?> m)) throw new InvalidInputException(new Source(where, 0, 0), "expected a map of variables");
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), val));
        return out;
    }
}

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
        return parse(values, dev.rig.vault.VaultPasswords.none());
    }

    /** As above; an @FILE encrypted whole with Ansible Vault is opened with vault's passwords, as Ansible does. */
    public static Map<String, Object> parse(List<String> values, dev.rig.vault.VaultPasswords vault) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String v : values) {
            String s = v.strip();
            if (s.startsWith("@")) {
                Path p = Path.of(s.substring(1));
                try {
                    String text = Files.readString(p);
                    boolean encrypted = dev.rig.vault.VaultCipher.isVault(text);
                    if (encrypted) {
                        try {
                            text = vault.decrypt(text);
                        } catch (IllegalArgumentException e) {
                            throw new InvalidInputException(new Source(p.toString(), 0, 0), e.getMessage());
                        }
                    }
                    Map<String, Object> vars = map(text, p.toString());
                    if (encrypted) rememberLeaves(vars.values(), vault);
                    out.putAll(vars);
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

    private static void rememberLeaves(java.util.Collection<?> values, dev.rig.vault.VaultPasswords vault) {
        for (Object value : values) {
            if (value instanceof Map<?, ?> m) rememberLeaves(m.values(), vault);
            else if (value instanceof java.util.Collection<?> c) rememberLeaves(c, vault);
            else if (value instanceof String || value instanceof Number) vault.remember(String.valueOf(value));
        }
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

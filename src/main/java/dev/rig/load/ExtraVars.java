package dev.rig.load;

import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import dev.rig.vault.VaultCipher;
import dev.rig.vault.VaultPasswords;
import dev.rig.vault.VaultYaml;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Node;

import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Parses -e values as Ansible does: KEY=VALUE (a string), @FILE (YAML), or an inline YAML/JSON map. */
public final class ExtraVars {
    private ExtraVars() {}

    public static Map<String, Object> parse(List<String> values) {
        return parse(values, VaultPasswords.none());
    }

    /** As above; an @FILE encrypted whole with Ansible Vault is opened with vault's passwords, as Ansible does. */
    public static Map<String, Object> parse(List<String> values, VaultPasswords vault) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String v : values) {
            String s = v.strip();
            if (s.startsWith("@")) {
                Path p = Path.of(s.substring(1));
                try {
                    String text = Files.readString(p);
                    boolean encrypted = VaultCipher.isVault(text);
                    if (encrypted) {
                        try {
                            text = vault.decrypt(text);
                        } catch (IllegalArgumentException e) {
                            throw new InvalidInputException(new Source(p.toString(), 0, 0), e.getMessage());
                        }
                    }
                    Map<String, Object> vars = map(text, p.toString(), vault);
                    if (encrypted) vault.rememberAll(vars); // every variable of an encrypted file is a secret
                    out.putAll(vars);
                } catch (IOException e) {
                    throw new InvalidInputException(new Source(p.toString(), 0, 0), "cannot read extra vars file: " + e.getMessage());
                }
            } else if (s.startsWith("{")) {
                out.putAll(map(s, "-e " + s, vault));
            } else {
                int eq = s.indexOf('=');
                if (eq <= 0) throw new InvalidInputException(new Source("-e " + v, 0, 0), "expected KEY=VALUE, @FILE or a YAML map");
                out.put(s.substring(0, eq), s.substring(eq + 1));
            }
        }
        return out;
    }

    /** A YAML map, its inline !vault values decrypted and their variables remembered as vault secrets. */
    private static Map<String, Object> map(String text, String where, VaultPasswords vault) {
        Object o;
        try {
            VaultYaml.Constructor constructor = new VaultYaml.Constructor(new LoaderOptions(), vault);
            Node root = new Yaml(constructor).compose(new StringReader(text));
            if (root == null) o = null;
            else {
                VaultYaml.rememberNames(root, vault);
                o = constructor.construct(root);
            }
        } catch (RuntimeException e) {
            throw new InvalidInputException(new Source(where, 0, 0), "not valid YAML: " + e.getMessage());
        }
        if (!(o instanceof Map<?, ?> m)) throw new InvalidInputException(new Source(where, 0, 0), "expected a map of variables");
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, val) -> out.put(String.valueOf(k), val));
        return out;
    }
}

package dev.rig.inventory;

import dev.rig.core.Errors;
import dev.rig.core.Source;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import dev.rig.vault.VaultCipher;
import dev.rig.vault.VaultPasswords;
import java.util.regex.Pattern;

/**
 * Tells an inventory file's format from its content, as Ansible does by trying its yaml plugin and
 * then its ini plugin, whatever the file is called: a file whose first meaningful line is an INI
 * section ({@code [web]}), or a host line with no YAML mapping in it ({@code web1 ansible_port=22}), is
 * INI; the rest is YAML (or JSON, which is YAML).
 */
final class InventoryFormat {
    private static final Pattern INI_SECTION = Pattern.compile("^\\[[^:\\]\\s]+(?::\\w+)?\\]\\s*(?:[#;].*)?$");
    /** A YAML mapping key: "name:" at the end of the line or followed by a space, or a JSON object. */
    private static final Pattern YAML_MAPPING = Pattern.compile("^(---|\\{|-(\\s|$)|[^\\s=#]+:(\\s|$)|\"[^\"]*\"\\s*:)");

    private InventoryFormat() {}

    static void parse(Path file, InventoryDraft draft, Errors errors, VaultPasswords vault) {
        List<String> lines;
        boolean encrypted;
        try {
            String text = Files.readString(file);
            encrypted = VaultCipher.isVault(text);
            if (encrypted) { // Ansible's loader opens any vault-encrypted file, an inventory too
                try {
                    text = vault.decrypt(text);
                } catch (IllegalArgumentException e) {
                    errors.add(Source.of(file, 0, 0), e.getMessage());
                    return;
                }
            }
            lines = text.lines().toList();
        } catch (CharacterCodingException e) {
            errors.add(Source.of(file, 0, 0), "not valid UTF-8 text");
            return;
        } catch (IOException e) {
            errors.add(Source.of(file, 0, 0), "cannot read inventory file: " + e.getMessage());
            return;
        }
        if (encrypted) rememberVariables(file, lines, vault);
        if (isIni(lines)) IniParser.parse(file, lines, draft, errors);
        else HostsFileParser.parse(new YamlReader(file, errors, vault), draft);
    }

    /**
     * Every variable of a file encrypted whole is a secret, whatever its name: the file is read once more into
     * a draft of its own (its errors are reported by the real reading), whose variables are all remembered.
     */
    private static void rememberVariables(Path file, List<String> lines, VaultPasswords vault) {
        InventoryDraft alone = new InventoryDraft();
        Errors ignored = new Errors();
        if (isIni(lines)) IniParser.parse(file, lines, alone, ignored);
        else HostsFileParser.parse(new YamlReader(file, ignored, vault), alone);
        alone.groups.values().forEach(group -> vault.rememberAll(group.vars));
        alone.hostVars.values().forEach(vault::rememberAll);
    }

    static boolean isIni(List<String> lines) {
        for (String raw : lines) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#") || line.startsWith(";")) continue;
            if (INI_SECTION.matcher(line).matches()) return true;
            return !YAML_MAPPING.matcher(line).find();
        }
        return false; // empty: either format gives no hosts
    }
}

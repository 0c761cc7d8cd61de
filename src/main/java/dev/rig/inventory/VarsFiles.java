package dev.rig.inventory;

import dev.rig.core.Errors;
import dev.rig.core.Source;
import dev.rig.vault.VaultPasswords;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The group_vars/ or host_vars/ directory beside the hosts file, found the way Ansible finds it: for
 * NAME, the first that exists of NAME, NAME.yml, NAME.yaml, NAME.json; when that is a directory,
 * every such file inside it (subdirectories too), merged in lexical order. Files for names the
 * inventory does not know are ignored, as in Ansible.
 */
final class VarsFiles {
    private static final List<String> EXTENSIONS = List.of("", ".yml", ".yaml", ".json");

    private final Path dir;
    private final String description;
    private final Errors errors;
    private final VaultPasswords vault;

    /** @param description how the operator knows this directory, e.g. "group_vars", for messages */
    VarsFiles(Path dir, String description, Errors errors) {
        this(dir, description, errors, VaultPasswords.none());
    }

    VarsFiles(Path dir, String description, Errors errors, VaultPasswords vault) {
        this.dir = dir;
        this.description = description;
        this.errors = errors;
        this.vault = vault;
    }

    /** Name → the merged variables of its files, for each name that has any. */
    Map<String, Map<String, Object>> load(Collection<String> names) {
        Map<String, Map<String, Object>> varsByName = new LinkedHashMap<>();
        if (!Files.isDirectory(dir)) return varsByName;
        for (String name : names) {
            List<Path> files = filesFor(name);
            if (files.isEmpty()) continue;
            Map<String, Object> vars = new LinkedHashMap<>();
            for (Path file : files) vars.putAll(read(file));
            varsByName.put(name, vars);
        }
        return varsByName;
    }

    private List<Path> filesFor(String name) {
        if (!isPlainFileName(name)) return List.of();
        for (String extension : EXTENSIONS) {
            Path candidate = dir.resolve(name + extension);
            if (Files.isDirectory(candidate)) return filesInside(candidate);
            if (Files.isRegularFile(candidate)) return List.of(candidate);
        }
        return List.of();
    }

    private List<Path> filesInside(Path directory) {
        List<Path> entries;
        try (Stream<Path> listing = Files.list(directory)) {
            entries = listing.sorted().toList();
        } catch (IOException e) {
            errors.add(Source.of(directory, 0, 0), "cannot list directory: " + e);
            return List.of();
        }
        List<Path> files = new ArrayList<>();
        for (Path entry : entries) {
            String fileName = entry.getFileName().toString();
            if (fileName.startsWith(".") || fileName.endsWith("~")) continue; // hidden files and editor backups
            String extension = extension(fileName);
            if (Files.isDirectory(entry) && extension.isEmpty()) files.addAll(filesInside(entry));
            else if (Files.isRegularFile(entry) && EXTENSIONS.contains(extension)) files.add(entry);
        }
        return files;
    }

    private Map<String, Object> read(Path file) {
        YamlReader yaml = new YamlReader(file, errors, vault);
        Map<String, Object> vars = yaml.root().map(root -> yaml.vars(root, "a " + description + " file")).orElse(Map.of());
        if (yaml.wasEncrypted()) vault.rememberAll(vars); // every variable of an encrypted file is a secret
        return vars;
    }

    private static String extension(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(dot) : "";
    }

    /** A host or group name that could name a file here; anything else (say "..") must not reach outside the directory. */
    private static boolean isPlainFileName(String name) {
        return !name.contains("/") && !name.contains("\\") && !name.equals(".") && !name.equals("..") && !name.contains("\0");
    }
}

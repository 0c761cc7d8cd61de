package dev.rig.inventory;

import dev.rig.core.Errors;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import dev.rig.digitalocean.DropletInventory;
import dev.rig.vault.VaultPasswords;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Loads Ansible inventories: one or more sources (the -i values), each a file in Ansible's YAML or INI
 * format (told apart by content, not by name), a directory (every file in it, subdirectories too,
 * sorted by name, skipping what Ansible skips: hidden files, group_vars/, host_vars/, and names ending
 * in .ini, .cfg, .retry, .orig, .bak, .swp, .md, .txt, .rst, .pyc, .pyo, .rpm or ~), or a
 * comma-separated host list ({@code web1,web2,}). All sources build one inventory, later ones adding
 * hosts and overriding variables. {@code group_vars/} and {@code host_vars/} are read beside each
 * source (in the directory itself, or beside the file), and beside each playbook.
 *
 * <p>Variable precedence, lowest to highest, as Ansible's VariableManager with its default
 * VARIABLE_PRECEDENCE. Every step replaces whole values (Ansible's default {@code
 * hash_behaviour=replace}); maps are never merged key by key.
 * <ol>
 *   <li>group "all"'s inline vars in the inventory files;</li>
 *   <li>every other group's inline vars, group by group: by depth ("all" is 0, its children 1...; a
 *       group's depth is its longest path from "all"), then by ansible_group_priority, then by name;</li>
 *   <li>group_vars/all beside the inventory sources, then beside the playbooks;</li>
 *   <li>the other groups' group_vars files in the same group order, beside the inventory sources, then
 *       beside the playbooks;</li>
 *   <li>the host's inline variables in the inventory files (listed in several places: later ones win);</li>
 *   <li>the host's host_vars files beside the inventory sources, then beside the playbooks;</li>
 *   <li>{@code inventory_hostname} and {@code group_names} (sorted, without "all" and "ungrouped"),
 *       which no inventory variable can override.</li>
 * </ol>
 */
public final class InventoryLoader {
    /** Names Ansible skips in an inventory directory (INVENTORY_IGNORE_EXTS and IGNORED_ALWAYS). */
    private static final List<String> IGNORED_ENDINGS = List.of(".pyc", ".pyo", ".swp", ".bak", "~", ".rpm", ".md", ".txt", ".rst",
            ".orig", ".ini", ".cfg", ".retry");
    private static final List<String> IGNORED_NAMES = List.of("host_vars", "group_vars", "vars_plugins");

    private InventoryLoader() {}

    /**
     * @param path an inventory source (see the class comment); a droplet source ({@code digitalocean.yml},
     *             see {@link DropletInventory}) in its place or among a directory's files adds droplets
     * @throws InvalidInputException listing every error found, each with file:line:column
     */
    public static Inventory load(Path path) {
        return load(List.of(path), List.of(), Map.of());
    }

    public static Inventory load(Path path, Map<String, List<String>> regroup) {
        return load(List.of(path), List.of(), regroup);
    }

    /**
     * Several sources merged as Ansible merges them, with group_vars/ and host_vars/ beside each
     * playbook directory too. Some groups' direct hosts may be replaced (rig recover puts the new
     * central in group central): every host named must be in the inventory; a host taken out of its
     * only group stays in "all".
     */
    public static Inventory load(List<Path> sources, List<Path> playbookDirs, Map<String, List<String>> regroup) {
        return load(sources, playbookDirs, regroup, VaultPasswords.none());
    }

    /** As above, opening Ansible Vault data (whole files and inline !vault values) with vault's passwords. */
    public static Inventory load(List<Path> sources, List<Path> playbookDirs, Map<String, List<String>> regroup, VaultPasswords vault) {
        Errors errors = new Errors();
        InventoryDraft draft = new InventoryDraft();
        int parsed = 0;
        for (Path source : sources) parsed += loadSource(source, draft, errors, vault);
        if (parsed == 0 && errors.isEmpty()) {
            errors.add(Source.of(sources.isEmpty() ? Path.of("inventory") : sources.get(0), 0, 0), "no inventory file found");
        }
        regroup.forEach((group, hosts) -> {
            for (String h : hosts) {
                if (!draft.hostVars.containsKey(h)) errors.add(new Source(sources.get(0).toString(), 0, 0), "host '" + h + "' is not in the inventory");
            }
            draft.group(group).hosts.clear();
            draft.group(group).hosts.addAll(hosts);
        });
        draft.checkNoCycles(errors);

        List<InventoryBuilder.VarsDir> inventoryDirs = new ArrayList<>();
        for (Path source : sources) {
            if (isHostList(source)) continue;
            Path dir = Files.isDirectory(source) ? source : Optional.ofNullable(source.getParent()).orElse(Path.of(""));
            inventoryDirs.add(varsDir(dir, draft, errors, vault));
        }
        List<InventoryBuilder.VarsDir> besidePlaybooks = new ArrayList<>();
        for (Path dir : playbookDirs) besidePlaybooks.add(varsDir(dir, draft, errors, vault));
        draft.secretValues.addAll(vault.decrypted());
        errors.throwIfAny();
        return InventoryBuilder.build(draft, inventoryDirs, besidePlaybooks);
    }

    private static InventoryBuilder.VarsDir varsDir(Path dir, InventoryDraft draft, Errors errors, VaultPasswords vault) {
        return new InventoryBuilder.VarsDir(
                new VarsFiles(dir.resolve("group_vars"), "group_vars", errors, vault).load(draft.groups.keySet()),
                new VarsFiles(dir.resolve("host_vars"), "host_vars", errors, vault).load(draft.hostVars.keySet()));
    }

    /** Ansible's host_list source: "web1,web2," (a comma and no such file). */
    private static boolean isHostList(Path source) {
        return source.toString().contains(",") && !Files.exists(source);
    }

    /** Parses one -i value into draft; returns how many files it held. */
    private static int loadSource(Path source, InventoryDraft draft, Errors errors, VaultPasswords vault) {
        if (isHostList(source)) {
            for (String host : source.toString().split(",")) {
                if (!host.isBlank()) draft.addHost(host.strip(), draft.group(Inventory.UNGROUPED), Map.of());
            }
            return 1;
        }
        if (Files.isDirectory(source)) {
            List<Path> entries;
            try (Stream<Path> listing = Files.list(source)) {
                entries = listing.sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
            } catch (IOException e) {
                errors.add(Source.of(source, 0, 0), "cannot list inventory directory: " + e.getMessage());
                return 0;
            }
            int parsed = 0;
            for (Path entry : entries) {
                if (isIgnored(entry.getFileName().toString())) continue;
                parsed += loadSource(entry, draft, errors, vault);
            }
            return parsed;
        }
        if (!Files.isRegularFile(source)) {
            errors.add(Source.of(source, 0, 0), "inventory not found: no such file or directory");
            return 0;
        }
        if (DropletInventory.isSource(source)) {
            addDroplets(draft, source, errors);
            return 1;
        }
        String name = source.getFileName().toString();
        if (Files.isExecutable(source) && !name.endsWith(".yml") && !name.endsWith(".yaml") && !name.endsWith(".json")) {
            errors.add(Source.of(source, 0, 0), "executable inventory scripts are not supported; make the file not executable if it is a static inventory");
            return 0;
        }
        InventoryFormat.parse(source, draft, errors, vault);
        return 1;
    }

    static boolean isIgnored(String fileName) {
        return fileName.startsWith(".") || IGNORED_NAMES.contains(fileName) || IGNORED_ENDINGS.stream().anyMatch(fileName::endsWith);
    }

    /** Each droplet joins its tags' groups ("ungrouped" when it has none), with the source's variables as inline host vars. */
    private static void addDroplets(InventoryDraft draft, Path source, Errors errors) {
        try {
            for (DropletInventory.DropletHost h : DropletInventory.load(source)) {
                if (h.groups().isEmpty()) draft.addHost(h.name(), draft.group(Inventory.ALL), h.vars());
                for (String group : h.groups()) draft.addHost(h.name(), draft.group(group), h.vars());
            }
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
    }
}

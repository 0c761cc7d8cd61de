package dev.rig.inventory;

import dev.rig.core.Errors;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import dev.rig.digitalocean.DropletInventory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Loads an Ansible YAML inventory: a hosts file, or a directory holding {@code hosts.yml} (or
 * {@code hosts.yaml}); {@code group_vars/} and {@code host_vars/} beside the hosts file are read too.
 *
 * <p>Variable precedence, lowest to highest. Every step replaces whole values (Ansible's default
 * {@code hash_behaviour=replace}); maps are never merged key by key.
 * <ol>
 *   <li>group variables, group by group: by depth ("all" is 0, its children 1, theirs 2...; a group's
 *       depth is its longest path from "all"), groups of equal depth by name; within one group, its
 *       inline {@code vars:} then its group_vars file;</li>
 *   <li>the host's inline variables in the hosts file (listed in several places: later ones win);</li>
 *   <li>the host's host_vars file;</li>
 *   <li>{@code inventory_hostname} and {@code group_names} (sorted, without "all" and "ungrouped"),
 *       which no inventory variable can override.</li>
 * </ol>
 * Unlike Ansible, which puts every inline group variable below every group_vars file, a group's
 * inline vars and its group_vars file share the group's place in the chain.
 */
public final class InventoryLoader {
    private static final List<String> HOSTS_FILE_NAMES = List.of("hosts.yml", "hosts.yaml");

    private InventoryLoader() {}

    /**
     * @param path a hosts YAML file, or a directory with hosts.yml or hosts.yaml; a droplet source
     *             ({@code digitalocean.yml}, see {@link DropletInventory}) in its place or beside it adds droplets
     * @throws InvalidInputException listing every error found, each with file:line:column
     */
    public static Inventory load(Path path) {
        return load(path, Map.of());
    }

    /**
     * As {@link #load(Path)}, with some groups' direct hosts replaced (rig recover puts the new central in
     * group central): every host named must be in the inventory; a host taken out of its only group
     * stays in "all".
     */
    public static Inventory load(Path path, Map<String, List<String>> regroup) {
        Errors errors = new Errors();
        // Droplet sources (digitalocean.yml) add hosts to the hosts file's, or stand in for it.
        List<Path> dropletSources = DropletInventory.sourcesAt(path);
        Optional<Path> hostsFile = dropletSources.contains(path) ? Optional.empty() : hostsFile(path, errors, !dropletSources.isEmpty());
        if (hostsFile.isEmpty() && dropletSources.isEmpty()) throw new InvalidInputException(errors.list());
        InventoryDraft draft = hostsFile.map(f -> HostsFileParser.parse(new YamlReader(f, errors))).orElseGet(InventoryDraft::new);
        addDroplets(draft, dropletSources, errors);
        regroup.forEach((group, hosts) -> {
            for (String h : hosts) {
                if (!draft.hostVars.containsKey(h)) errors.add(new Source(path.toString(), 0, 0), "host '" + h + "' is not in the inventory");
            }
            draft.group(group).hosts.clear();
            draft.group(group).hosts.addAll(hosts);
        });
        draft.checkNoCycles(errors);

        Path dir = hostsFile.or(() -> Optional.of(dropletSources.get(0))).map(Path::getParent).orElse(Path.of(""));
        Map<String, Map<String, Object>> groupFileVars = new VarsFiles(dir.resolve("group_vars"), "group_vars", errors).load(draft.groups.keySet());
        Map<String, Map<String, Object>> hostFileVars = new VarsFiles(dir.resolve("host_vars"), "host_vars", errors).load(draft.hostVars.keySet());
        errors.throwIfAny();
        return InventoryBuilder.build(draft, groupFileVars, hostFileVars);
    }

    /** Each droplet joins its tags' groups ("ungrouped" when it has none), with the source's variables as inline host vars. */
    private static void addDroplets(InventoryDraft draft, List<Path> sources, Errors errors) {
        for (Path source : sources) {
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

    private static Optional<Path> hostsFile(Path path, Errors errors, boolean optional) {
        if (Files.isRegularFile(path)) return Optional.of(path);
        if (!Files.isDirectory(path)) {
            errors.add(Source.of(path, 0, 0), "inventory not found: no such file or directory");
            return Optional.empty();
        }
        List<Path> found = HOSTS_FILE_NAMES.stream().map(path::resolve).filter(Files::isRegularFile).toList();
        if (found.isEmpty() && !optional) {
            errors.add(Source.of(path, 0, 0), "inventory directory has no " + String.join(" or ", HOSTS_FILE_NAMES));
        } else if (found.size() > 1) {
            errors.add(Source.of(path, 0, 0), "inventory directory has both " + String.join(" and ", HOSTS_FILE_NAMES) + "; keep one");
        }
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }
}

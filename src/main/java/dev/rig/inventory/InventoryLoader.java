package dev.rig.inventory;

import dev.rig.core.Errors;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;

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
     * @param path a hosts YAML file, or a directory with hosts.yml or hosts.yaml
     * @throws InvalidInputException listing every error found, each with file:line:column
     */
    public static Inventory load(Path path) {
        Errors errors = new Errors();
        Path hostsFile = hostsFile(path, errors).orElseThrow(() -> new InvalidInputException(errors.list()));
        InventoryDraft draft = HostsFileParser.parse(new YamlReader(hostsFile, errors));
        draft.checkNoCycles(errors);

        Path dir = Optional.ofNullable(hostsFile.getParent()).orElse(Path.of(""));
        Map<String, Map<String, Object>> groupFileVars = new VarsFiles(dir.resolve("group_vars"), "group_vars", errors).load(draft.groups.keySet());
        Map<String, Map<String, Object>> hostFileVars = new VarsFiles(dir.resolve("host_vars"), "host_vars", errors).load(draft.hostVars.keySet());
        errors.throwIfAny();
        return InventoryBuilder.build(draft, groupFileVars, hostFileVars);
    }

    private static Optional<Path> hostsFile(Path path, Errors errors) {
        if (Files.isRegularFile(path)) return Optional.of(path);
        if (!Files.isDirectory(path)) {
            errors.add(Source.of(path, 0, 0), "inventory not found: no such file or directory");
            return Optional.empty();
        }
        List<Path> found = HOSTS_FILE_NAMES.stream().map(path::resolve).filter(Files::isRegularFile).toList();
        if (found.isEmpty()) {
            errors.add(Source.of(path, 0, 0), "inventory directory has no " + String.join(" or ", HOSTS_FILE_NAMES));
        } else if (found.size() > 1) {
            errors.add(Source.of(path, 0, 0), "inventory directory has both " + String.join(" and ", HOSTS_FILE_NAMES) + "; keep one");
        }
        return found.size() == 1 ? Optional.of(found.get(0)) : Optional.empty();
    }
}

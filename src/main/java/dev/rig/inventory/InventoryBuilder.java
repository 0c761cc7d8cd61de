package dev.rig.inventory;

import dev.rig.inventory.InventoryDraft.GroupDraft;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Turns a checked draft (no cycles) into an {@link Inventory}: group depths, memberships, merged variables. */
final class InventoryBuilder {
    /**
     * The group_vars/ and host_vars/ files of one directory: name → merged variables.
     */
    record VarsDir(Map<String, Map<String, Object>> groups, Map<String, Map<String, Object>> hosts) {}

    private final InventoryDraft draft;
    /** Beside each inventory source, in -i order. */
    private final List<VarsDir> inventoryDirs;
    /** Beside the playbooks, loaded above the inventory's. */
    private final List<VarsDir> playbookDirs;
    private final Map<String, List<String>> parents = new HashMap<>();
    private final Map<String, Integer> depths = new HashMap<>();

    private InventoryBuilder(InventoryDraft draft, List<VarsDir> inventoryDirs, List<VarsDir> playbookDirs) {
        this.draft = draft;
        this.inventoryDirs = inventoryDirs;
        this.playbookDirs = playbookDirs;
    }

    static Inventory build(InventoryDraft draft, Map<String, Map<String, Object>> groupFileVars,
                           Map<String, Map<String, Object>> hostFileVars) {
        return build(draft, List.of(new VarsDir(groupFileVars, hostFileVars)), List.of());
    }

    static Inventory build(InventoryDraft draft, List<VarsDir> inventoryDirs, List<VarsDir> playbookDirs) {
        return new InventoryBuilder(draft, inventoryDirs, playbookDirs).build();
    }

    private Inventory build() {
        linkParents();
        Map<String, Group> groups = buildGroups();
        Map<String, Map<String, Object>> own = new LinkedHashMap<>();
        for (String host : draft.hostVars.keySet()) {
            Map<String, Object> vars = new LinkedHashMap<>(draft.hostVars.get(host));
            inventoryDirs.forEach(dir -> vars.putAll(dir.hosts().getOrDefault(host, Map.of())));
            playbookDirs.forEach(dir -> vars.putAll(dir.hosts().getOrDefault(host, Map.of())));
            own.put(host, vars);
        }
        return new Inventory(buildHosts(groups), groups, own, draft.secretValues);
    }

    private void linkParents() {
        for (GroupDraft group : draft.groups.values()) {
            group.children.keySet().forEach(child -> parents.computeIfAbsent(child, name -> new ArrayList<>()).add(group.name));
        }
        for (String name : draft.groups.keySet()) {
            // As in Ansible, a group that no group lists as a child is a child of "all".
            if (!name.equals(Inventory.ALL)) parents.putIfAbsent(name, List.of(Inventory.ALL));
        }
    }

    private Map<String, Group> buildGroups() {
        List<String> ungrouped = draft.hostVars.keySet().stream().filter(this::inNoRealGroup).toList();
        Map<String, Group> groups = new LinkedHashMap<>();
        for (GroupDraft group : draft.groups.values()) {
            List<String> hosts = group.name.equals(Inventory.UNGROUPED) ? ungrouped : List.copyOf(group.hosts);
            groups.put(group.name, new Group(group.name, hosts, children(group), ownVars(group), depth(group.name), group.priority));
        }
        return groups;
    }

    private List<Host> buildHosts(Map<String, Group> groups) {
        Map<String, List<String>> directGroups = new HashMap<>();
        for (Group group : groups.values()) {
            group.hosts().forEach(host -> directGroups.computeIfAbsent(host, name -> new ArrayList<>()).add(group.name()));
        }
        List<Host> hosts = new ArrayList<>();
        for (String host : draft.hostVars.keySet()) {
            List<String> memberships = memberships(directGroups.get(host), groups);
            hosts.add(new Host(host, hostVars(host, memberships, groups), memberships));
        }
        return hosts;
    }

    /** True for a host listed only under "all" or "ungrouped", which Ansible puts in "ungrouped". */
    private boolean inNoRealGroup(String host) {
        return draft.groups.values().stream()
                .noneMatch(group -> group.hosts.contains(host) && !group.name.equals(Inventory.ALL) && !group.name.equals(Inventory.UNGROUPED));
    }

    private List<String> children(GroupDraft group) {
        if (!group.name.equals(Inventory.ALL)) return List.copyOf(group.children.keySet());
        return draft.groups.keySet().stream().filter(name -> parents.getOrDefault(name, List.of()).contains(Inventory.ALL)).toList();
    }

    private int depth(String group) {
        if (group.equals(Inventory.ALL)) return 0;
        Integer known = depths.get(group);
        if (known != null) return known;
        int depth = 1 + parents.get(group).stream().mapToInt(this::depth).max().orElse(0);
        depths.put(group, depth);
        return depth;
    }

    /** The group's inline vars, then its group_vars files: what it says of itself, for the --list view. */
    private Map<String, Object> ownVars(GroupDraft group) {
        Map<String, Object> vars = new LinkedHashMap<>(group.vars);
        for (VarsDir dir : inventoryDirs) vars.putAll(dir.groups().getOrDefault(group.name, Map.of()));
        for (VarsDir dir : playbookDirs) vars.putAll(dir.groups().getOrDefault(group.name, Map.of()));
        return vars;
    }

    /** Every group the host is in, directly or through children, plus "all": by depth, then name. */
    private List<String> memberships(List<String> directGroups, Map<String, Group> groups) {
        Set<String> found = new LinkedHashSet<>();
        Deque<String> pending = new ArrayDeque<>(directGroups);
        pending.add(Inventory.ALL);
        while (!pending.isEmpty()) {
            String group = pending.pop();
            if (found.add(group)) pending.addAll(parents.getOrDefault(group, List.of()));
        }
        return found.stream()
                .sorted(Comparator.comparingInt((String group) -> groups.get(group).depth())
                        .thenComparingInt(group -> groups.get(group).priority())
                        .thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    /** The precedence chain written down in {@link InventoryLoader}. */
    private Map<String, Object> hostVars(String host, List<String> memberships, Map<String, Group> groups) {
        // Ansible's VariableManager.get_vars with the default VARIABLE_PRECEDENCE: all_inventory,
        // groups_inventory, all_plugins_inventory, all_plugins_play, groups_plugins_inventory,
        // groups_plugins_play; then the host's inline vars, its inventory host_vars, its playbook host_vars.
        List<String> others = memberships.stream().filter(group -> !group.equals(Inventory.ALL)).toList();
        Map<String, Object> vars = new LinkedHashMap<>(draft.groups.get(Inventory.ALL).vars);
        others.forEach(group -> vars.putAll(draft.groups.get(group).vars));
        inventoryDirs.forEach(dir -> vars.putAll(dir.groups().getOrDefault(Inventory.ALL, Map.of())));
        playbookDirs.forEach(dir -> vars.putAll(dir.groups().getOrDefault(Inventory.ALL, Map.of())));
        inventoryDirs.forEach(dir -> others.forEach(group -> vars.putAll(dir.groups().getOrDefault(group, Map.of()))));
        playbookDirs.forEach(dir -> others.forEach(group -> vars.putAll(dir.groups().getOrDefault(group, Map.of()))));
        vars.putAll(draft.hostVars.get(host));
        inventoryDirs.forEach(dir -> vars.putAll(dir.hosts().getOrDefault(host, Map.of())));
        playbookDirs.forEach(dir -> vars.putAll(dir.hosts().getOrDefault(host, Map.of())));
        // Magic variables come last so that no inventory variable can override them.
        vars.remove(Inventory.INVENTORY_HOSTNAME);
        vars.remove(Inventory.GROUP_NAMES);
        vars.put(Inventory.INVENTORY_HOSTNAME, host);
        vars.put(Inventory.GROUP_NAMES, memberships.stream()
                .filter(group -> !group.equals(Inventory.ALL) && !group.equals(Inventory.UNGROUPED))
                .sorted()
                .toList());
        return vars;
    }
}

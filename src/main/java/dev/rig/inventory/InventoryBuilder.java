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
    private final InventoryDraft draft;
    private final Map<String, Map<String, Object>> groupFileVars;
    private final Map<String, Map<String, Object>> hostFileVars;
    private final Map<String, List<String>> parents = new HashMap<>();
    private final Map<String, Integer> depths = new HashMap<>();

    private InventoryBuilder(InventoryDraft draft, Map<String, Map<String, Object>> groupFileVars,
                             Map<String, Map<String, Object>> hostFileVars) {
        this.draft = draft;
        this.groupFileVars = groupFileVars;
        this.hostFileVars = hostFileVars;
    }

    static Inventory build(InventoryDraft draft, Map<String, Map<String, Object>> groupFileVars,
                           Map<String, Map<String, Object>> hostFileVars) {
        return new InventoryBuilder(draft, groupFileVars, hostFileVars).build();
    }

    private Inventory build() {
        linkParents();
        Map<String, Group> groups = buildGroups();
        return new Inventory(buildHosts(groups), groups);
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
            groups.put(group.name, new Group(group.name, hosts, children(group), ownVars(group), depth(group.name)));
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

    private Map<String, Object> ownVars(GroupDraft group) {
        Map<String, Object> vars = new LinkedHashMap<>(group.vars);
        vars.putAll(groupFileVars.getOrDefault(group.name, Map.of()));
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
                .sorted(Comparator.comparingInt((String group) -> groups.get(group).depth()).thenComparing(Comparator.naturalOrder()))
                .toList();
    }

    /** The precedence chain written down in {@link InventoryLoader}. */
    private Map<String, Object> hostVars(String host, List<String> memberships, Map<String, Group> groups) {
        Map<String, Object> vars = new LinkedHashMap<>();
        memberships.forEach(group -> vars.putAll(groups.get(group).vars()));
        vars.putAll(draft.hostVars.get(host));
        vars.putAll(hostFileVars.getOrDefault(host, Map.of()));
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

package dev.rig.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A group of the inventory.
 *
 * @param hosts    hosts listed directly in this group (for "ungrouped": hosts in no group but "all")
 * @param children direct child groups; for "all", the groups listed under it and every group without a parent
 * @param vars     the group's own variables: inline vars, overridden by its group_vars file
 * @param depth    the longest path from "all" (which is 0); deeper groups' variables win
 * @param priority ansible_group_priority (default 1): among groups of equal depth, the higher one's variables win
 */
public record Group(String name, List<String> hosts, List<String> children, Map<String, Object> vars, int depth, int priority) {
    public Group {
        hosts = List.copyOf(hosts);
        children = List.copyOf(children);
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars));
    }
}

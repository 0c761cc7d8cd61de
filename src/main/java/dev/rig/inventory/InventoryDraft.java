package dev.rig.inventory;

import dev.rig.core.Errors;
import dev.rig.core.Source;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** What the hosts file says, before depths, memberships and variable precedence are worked out. */
final class InventoryDraft {
    static final class GroupDraft {
        final String name;
        final Set<String> hosts = new LinkedHashSet<>();
        /** Child group name → where it was first named as a child, for cycle errors. */
        final Map<String, Source> children = new LinkedHashMap<>();
        final Map<String, Object> vars = new LinkedHashMap<>();
        /** ansible_group_priority: among groups of equal depth, a higher priority's variables win. */
        int priority = 1;

        GroupDraft(String name) {
            this.name = name;
        }
    }

    /** Sets a group's priority rather than a variable, as Ansible's Group.set_variable does. */
    static final String GROUP_PRIORITY = "ansible_group_priority";

    /** Groups in first-definition order, "all" and "ungrouped" first as Ansible creates them. */
    final Map<String, GroupDraft> groups = new LinkedHashMap<>();
    /** Host name → its inline variables; a host listed in several places gets them all, later ones winning. */
    final Map<String, Map<String, Object>> hostVars = new LinkedHashMap<>();

    /** Values decrypted from Ansible Vault, in any file: secrets whatever their names. */
    final Set<String> secretValues = new LinkedHashSet<>();

    InventoryDraft() {
        group(Inventory.ALL);
        group(Inventory.UNGROUPED);
    }

    GroupDraft group(String name) {
        return groups.computeIfAbsent(name, GroupDraft::new);
    }

    void addHost(String host, GroupDraft group, Map<String, Object> vars) {
        group.hosts.add(host);
        hostVars.computeIfAbsent(host, name -> new LinkedHashMap<>()).putAll(vars);
    }

    /** Reports every children entry that would make a group its own ancestor. */
    void checkNoCycles(Errors errors) {
        Set<String> checked = new HashSet<>();
        for (String name : groups.keySet()) visit(name, new ArrayList<>(), checked, errors);
    }

    private void visit(String name, List<String> ancestry, Set<String> checked, Errors errors) {
        if (checked.contains(name)) return;
        ancestry.add(name);
        for (Map.Entry<String, Source> child : groups.get(name).children.entrySet()) {
            int at = ancestry.indexOf(child.getKey());
            if (at >= 0) {
                String loop = String.join(" > ", ancestry.subList(at, ancestry.size())) + " > " + child.getKey();
                errors.add(child.getValue(), "group '" + child.getKey() + "' cannot be a child of '" + name
                        + "': groups would contain each other (" + loop + ")");
            } else {
                visit(child.getKey(), ancestry, checked, errors);
            }
        }
        ancestry.remove(ancestry.size() - 1);
        checked.add(name);
    }
}

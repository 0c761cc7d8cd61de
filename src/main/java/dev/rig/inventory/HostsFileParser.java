package dev.rig.inventory;

import dev.rig.inventory.InventoryDraft.GroupDraft;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads Ansible's YAML inventory format: groups with hosts, vars and children, nested to any depth. */
final class HostsFileParser {
    /** {@code name:port}, where the name may hold [a:b] ranges (whose colons are not the port's). */
    private static final Pattern NAME_WITH_PORT = Pattern.compile("((?:[^:\\[\\]]|\\[[^\\]]*\\])+):(\\d+)");

    private final YamlReader yaml;
    private final InventoryDraft draft;

    private HostsFileParser(YamlReader yaml, InventoryDraft draft) {
        this.yaml = yaml;
        this.draft = draft;
    }

    static InventoryDraft parse(YamlReader yaml) {
        InventoryDraft draft = new InventoryDraft();
        parse(yaml, draft);
        return draft;
    }

    /** Adds what the file says to draft (several inventory sources share one draft). */
    static void parse(YamlReader yaml, InventoryDraft draft) {
        yaml.root().ifPresent(new HostsFileParser(yaml, draft)::topLevel);
    }

    static void parse(YamlReader yaml, Node root, InventoryDraft draft) {
        new HostsFileParser(yaml, draft).topLevel(root);
    }

    private void topLevel(Node root) {
        for (NodeTuple entry : yaml.entries(root, "the inventory", "a mapping of group names (normally 'all:')")) {
            yaml.name(entry.getKeyNode(), "a group name").ifPresent(name -> group(name, entry.getValueNode()));
        }
    }

    private void group(String name, Node definition) {
        GroupDraft group = draft.group(name);
        for (NodeTuple entry : yaml.entries(definition, "group '" + name + "'", "a mapping with hosts, vars or children")) {
            Node key = entry.getKeyNode();
            Node value = entry.getValueNode();
            Optional<String> section = yaml.name(key, "hosts, vars or children in group '" + name + "'");
            if (section.isEmpty()) continue;
            switch (section.get()) {
                case "hosts" -> hosts(group, value);
                case "vars" -> groupVars(group, value);
                case "children" -> children(group, value);
                default -> yaml.error(key, "unknown key '" + section.get() + "' in group '" + name + "'; expected hosts, vars or children");
            }
        }
    }

    /** As Ansible's Group.set_variable: ansible_group_priority sets the group's priority and is no variable. */
    private void groupVars(GroupDraft group, Node value) {
        Map<String, Object> vars = yaml.vars(value, "vars of group '" + group.name + "'");
        if (vars.containsKey(InventoryDraft.GROUP_PRIORITY)) {
            Object priority = vars.remove(InventoryDraft.GROUP_PRIORITY);
            try {
                group.priority = Integer.parseInt(String.valueOf(priority).strip());
            } catch (NumberFormatException e) {
                yaml.error(value, InventoryDraft.GROUP_PRIORITY + " of group '" + group.name + "' must be an integer, found '" + priority + "'");
            }
        }
        group.vars.putAll(vars);
    }

    private void hosts(GroupDraft group, Node hosts) {
        for (NodeTuple entry : yaml.entries(hosts, "hosts of group '" + group.name + "'", "a mapping of host names to variables")) {
            Node key = entry.getKeyNode();
            Optional<String> written = yaml.name(key, "a host name");
            if (written.isEmpty()) continue;
            Map<String, Object> vars = new LinkedHashMap<>();
            String name = written.get();
            Matcher withPort = NAME_WITH_PORT.matcher(name);
            if (withPort.matches()) { // Ansible reads "db1:2222" as host db1 with ansible_port 2222
                name = withPort.group(1);
                try {
                    vars.put(ConnectionVars.PORT, ConnectionVars.port(ConnectionVars.PORT, withPort.group(2)));
                } catch (IllegalArgumentException e) {
                    yaml.error(key, e.getMessage());
                }
            }
            vars.putAll(yaml.vars(entry.getValueNode(), "variables of host '" + name + "'"));
            try {
                for (String host : HostRange.expand(name)) draft.addHost(host, group, vars);
            } catch (IllegalArgumentException e) {
                yaml.error(key, e.getMessage());
            }
        }
    }

    private void children(GroupDraft parent, Node children) {
        for (NodeTuple entry : yaml.entries(children, "children of group '" + parent.name + "'", "a mapping of group names to group definitions")) {
            Node key = entry.getKeyNode();
            Optional<String> child = yaml.name(key, "a group name");
            if (child.isEmpty()) continue;
            if (child.get().equals(Inventory.ALL)) {
                yaml.error(key, "group 'all' cannot be a child of '" + parent.name + "': every group is already inside 'all'");
                continue;
            }
            parent.children.putIfAbsent(child.get(), yaml.source(key));
            group(child.get(), entry.getValueNode());
        }
    }
}

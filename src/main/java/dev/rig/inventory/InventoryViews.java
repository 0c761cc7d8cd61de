package dev.rig.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.StdDateFormat;

import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The inventory as ansible-inventory prints it: --list and --host as JSON, --graph as a tree. */
final class InventoryViews {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS) // YAML timestamps print as ISO-8601, not epoch millis
            .setDateFormat(new StdDateFormat());

    private InventoryViews() {}

    static String listJson(Inventory inventory) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode hostvars = root.putObject("_meta").putObject("hostvars");
        for (Host host : inventory.hosts()) {
            Map<String, Object> vars = userVars(host);
            if (!vars.isEmpty()) hostvars.set(host.name(), JSON.valueToTree(vars));
        }
        for (Group group : inventory.groups().values()) {
            ObjectNode entry = JSON.createObjectNode();
            // As Ansible: "all" lists no hosts (every host is in it), and empty keys and groups are left out.
            if (!group.name().equals(Inventory.ALL)) putIfNotEmpty(entry, "hosts", group.hosts());
            putIfNotEmpty(entry, "children", group.children());
            if (!group.vars().isEmpty()) entry.set("vars", JSON.valueToTree(group.vars()));
            if (!entry.isEmpty()) root.set(group.name(), entry);
        }
        return write(root);
    }

    static String hostJson(Host host) {
        return write(userVars(host));
    }

    /** Ansible's tree: child groups then hosts, each sorted by name; "all" shows no hosts of its own. */
    static String graph(Inventory inventory) {
        StringBuilder out = new StringBuilder();
        graphGroup(inventory, inventory.groups().get(Inventory.ALL), 0, out);
        return out.toString();
    }

    private static void graphGroup(Inventory inventory, Group group, int depth, StringBuilder out) {
        out.append(indent(depth)).append('@').append(group.name()).append(":\n");
        group.children().stream().sorted().forEach(child -> graphGroup(inventory, inventory.groups().get(child), depth + 1, out));
        if (group.name().equals(Inventory.ALL)) return;
        group.hosts().stream().sorted().forEach(host -> out.append(indent(depth + 1)).append(host).append('\n'));
    }

    private static String indent(int depth) {
        return depth == 0 ? "" : "  |".repeat(depth) + "--";
    }

    /** The host's variables without the magic ones, which ansible-inventory does not print. */
    private static Map<String, Object> userVars(Host host) {
        Map<String, Object> vars = new LinkedHashMap<>(host.vars());
        vars.remove(Inventory.INVENTORY_HOSTNAME);
        vars.remove(Inventory.GROUP_NAMES);
        return vars;
    }

    private static void putIfNotEmpty(ObjectNode entry, String key, List<String> names) {
        if (names.isEmpty()) return;
        ArrayNode array = entry.putArray(key);
        names.forEach(array::add);
    }

    private static String write(Object value) {
        try {
            return JSON.writeValueAsString(value) + "\n";
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }
}

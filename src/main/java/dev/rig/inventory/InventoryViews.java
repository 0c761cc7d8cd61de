package dev.rig.inventory;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.util.StdDateFormat;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;

/** The inventory as ansible-inventory prints it: --list and --host as JSON, --graph as a tree. */
final class InventoryViews {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS) // YAML timestamps print as ISO-8601, not epoch millis
            .setDateFormat(new StdDateFormat());

    private InventoryViews() {}

    /**
     * How a view is drawn: only the hosts in {@code hosts} (a limit), every value passed through
     * {@code mask} (secrets become "********" there, so the output stays valid JSON or YAML), and with
     * {@code export} each host's and group's own variables instead of the merged ones, as
     * {@code ansible-inventory --export} (to see which level set what).
     */
    record Options(Set<String> hosts, UnaryOperator<Object> mask, boolean export) {
        static Options all(Inventory inventory) {
            return new Options(inventory.hosts().stream().map(Host::name).collect(Collectors.toSet()), UnaryOperator.identity(), false);
        }
    }

    static String listJson(Inventory inventory) {
        return listJson(inventory, Options.all(inventory));
    }

    static String listJson(Inventory inventory, Options options) {
        ObjectNode root = JSON.createObjectNode();
        ObjectNode hostvars = root.putObject("_meta").putObject("hostvars");
        for (Host host : inventory.hosts()) {
            if (!options.hosts().contains(host.name())) continue;
            Map<String, Object> vars = hostVars(inventory, host, options);
            if (!vars.isEmpty()) hostvars.set(host.name(), JSON.valueToTree(vars));
        }
        for (Group group : inventory.groups().values()) {
            ObjectNode entry = JSON.createObjectNode();
            // As Ansible: "all" lists no hosts (every host is in it), and empty keys and groups are left out.
            if (!group.name().equals(Inventory.ALL)) putIfNotEmpty(entry, "hosts", group.hosts().stream().filter(options.hosts()::contains).toList());
            putIfNotEmpty(entry, "children", group.children());
            if (!group.vars().isEmpty()) entry.set("vars", JSON.valueToTree(options.mask().apply(group.vars())));
            if (!entry.isEmpty()) root.set(group.name(), entry);
        }
        return write(root);
    }

    /** ansible-inventory --list --yaml: the YAML inventory format, each host's variables where it first appears. */
    static String listYaml(Inventory inventory, Options options) {
        Set<String> seenHosts = new HashSet<>();
        Set<String> seenGroups = new HashSet<>();
        Map<String, Object> root = new LinkedHashMap<>();
        yamlGroup(inventory, inventory.groups().get(Inventory.ALL), options, seenHosts, seenGroups, root);
        return yaml(root);
    }

    private static void yamlGroup(Inventory inventory, Group group, Options options, Set<String> seenHosts, Set<String> seenGroups,
                                  Map<String, Object> into) {
        Map<String, Object> entry = new LinkedHashMap<>();
        Map<String, Object> children = new LinkedHashMap<>();
        for (String child : group.children()) {
            if (seenGroups.add(child)) yamlGroup(inventory, inventory.groups().get(child), options, seenHosts, seenGroups, children);
            else children.put(child, new LinkedHashMap<>());
        }
        if (!children.isEmpty()) entry.put("children", children);
        Map<String, Object> hosts = new LinkedHashMap<>();
        if (!group.name().equals(Inventory.ALL)) {
            for (String name : group.hosts()) {
                if (!options.hosts().contains(name)) continue;
                Host host = inventory.host(name).orElseThrow();
                hosts.put(name, seenHosts.add(name) ? hostVars(inventory, host, options) : new LinkedHashMap<>());
            }
        }
        if (!hosts.isEmpty()) entry.put("hosts", hosts);
        if (options.export() && !group.vars().isEmpty()) entry.put("vars", options.mask().apply(group.vars()));
        into.put(group.name(), entry.isEmpty() ? null : entry);
        if (entry.isEmpty() && !group.name().equals(Inventory.ALL)) into.remove(group.name());
    }

    static String hostJson(Host host) {
        return write(userVars(host));
    }

    static String hostJson(Inventory inventory, Host host, Options options) {
        return write(hostVars(inventory, host, options));
    }

    static String hostYaml(Inventory inventory, Host host, Options options) {
        return yaml(hostVars(inventory, host, options));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> hostVars(Inventory inventory, Host host, Options options) {
        Map<String, Object> vars = options.export() ? new LinkedHashMap<>(inventory.ownHostVars(host.name())) : userVars(host);
        return (Map<String, Object>) options.mask().apply(vars);
    }

    private static String yaml(Object value) {
        DumperOptions dump = new DumperOptions();
        dump.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        dump.setIndent(2);
        return new Yaml(dump).dump(value);
    }

    /** Ansible's tree: child groups then hosts, each sorted by name; "all" shows no hosts of its own. */
    static String graph(Inventory inventory) {
        return graph(inventory, null);
    }

    /** As above, with only the hosts in shown (null: all), and only the groups that hold one of them, at any depth. */
    static String graph(Inventory inventory, Set<String> shown) {
        StringBuilder out = new StringBuilder();
        graphGroup(inventory, inventory.groups().get(Inventory.ALL), 0, shown, out);
        return out.toString();
    }

    private static void graphGroup(Inventory inventory, Group group, int depth, Set<String> shown, StringBuilder out) {
        out.append(indent(depth)).append('@').append(group.name()).append(":\n");
        group.children().stream().sorted().map(child -> inventory.groups().get(child))
                .filter(child -> shown == null || holdsAny(inventory, child, shown, new HashSet<>()))
                .forEach(child -> graphGroup(inventory, child, depth + 1, shown, out));
        if (group.name().equals(Inventory.ALL)) return;
        group.hosts().stream().filter(host -> shown == null || shown.contains(host)).sorted()
                .forEach(host -> out.append(indent(depth + 1)).append(host).append('\n'));
    }

    private static boolean holdsAny(Inventory inventory, Group group, Set<String> shown, Set<String> visited) {
        if (!visited.add(group.name())) return false;
        if (group.hosts().stream().anyMatch(shown::contains)) return true;
        return group.children().stream().anyMatch(child -> holdsAny(inventory, inventory.groups().get(child), shown, visited));
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

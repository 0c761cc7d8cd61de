package dev.rig.inventory;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The loaded inventory: hosts with merged variables, and groups. Immutable. Build with {@link InventoryLoader}. */
public final class Inventory {
    public static final String ALL = "all";
    public static final String UNGROUPED = "ungrouped";
    /** Variables the loader sets on every host, after all others, as Ansible does. */
    public static final String INVENTORY_HOSTNAME = "inventory_hostname";
    public static final String GROUP_NAMES = "group_names";

    private final List<Host> hosts;
    private final Map<String, Host> hostsByName = new LinkedHashMap<>();
    private final Map<String, Group> groups;

    Inventory(List<Host> hosts, Map<String, Group> groups) {
        this.hosts = List.copyOf(hosts);
        hosts.forEach(host -> hostsByName.put(host.name(), host));
        this.groups = Collections.unmodifiableMap(new LinkedHashMap<>(groups));
    }

    /** Every host, in first-definition order. */
    public List<Host> hosts() {
        return hosts;
    }

    public Optional<Host> host(String name) {
        return Optional.ofNullable(hostsByName.get(name));
    }

    /** Every group by name, "all" and "ungrouped" first, then in first-definition order. */
    public Map<String, Group> groups() {
        return groups;
    }

    /**
     * The hosts an Ansible host pattern selects, in inventory order, each once. Parts are separated by
     * commas or colons: {@code all}, a host, a group (with its children's hosts), a glob with * and ?
     * over host and group names, or {@code ~regex}; {@code &part} intersects, {@code !part} excludes,
     * applied after all plain parts whatever their written order.
     *
     * @throws IllegalArgumentException for a {@code ~regex} part that is not a valid regular expression
     */
    public List<Host> select(String pattern) {
        return new HostPattern(this).select(pattern);
    }

    /**
     * The parts of a pattern, as written (with any & or !), that match no host and no group; a group
     * with no hosts counts as a match.
     *
     * @throws IllegalArgumentException for a {@code ~regex} part that is not a valid regular expression
     */
    public List<String> unmatchedPatternParts(String pattern) {
        return new HostPattern(this).unmatchedParts(pattern);
    }

    /** Like {@code ansible-inventory --list}, with each group's own vars as with {@code --export}. */
    public String toListJson() {
        return InventoryViews.listJson(this);
    }

    /** Like {@code ansible-inventory --graph}. */
    public String toGraph() {
        return InventoryViews.graph(this);
    }

    /**
     * Like {@code ansible-inventory --host NAME}: the host's merged variables as a JSON object, without
     * the magic variables (inventory_hostname, group_names), as Ansible prints them.
     *
     * @throws IllegalArgumentException when the inventory has no such host
     */
    public String hostJson(String name) {
        Host host = host(name).orElseThrow(() -> new IllegalArgumentException("no host named '" + name + "' in the inventory"));
        return InventoryViews.hostJson(host);
    }
}

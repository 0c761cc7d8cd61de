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

    private final Map<String, Map<String, Object>> ownHostVars;
    private final java.util.Set<String> secretValues;

    Inventory(List<Host> hosts, Map<String, Group> groups) {
        this(hosts, groups, Map.of(), java.util.Set.of());
    }

    Inventory(List<Host> hosts, Map<String, Group> groups, Map<String, Map<String, Object>> ownHostVars, java.util.Set<String> secretValues) {
        this.ownHostVars = ownHostVars;
        this.secretValues = java.util.Set.copyOf(secretValues);
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

    /** A --limit value with each {@code @FILE} part replaced by FILE's lines, as Ansible reads -l @FILE. */
    public static String expandLimitFiles(String limit) {
        return HostPattern.expandLimitFiles(limit);
    }

    /** A host's own variables: its inline ones, then its host_vars files (what {@code ansible-inventory --export} shows). */
    Map<String, Object> ownHostVars(String host) {
        return ownHostVars.getOrDefault(host, Map.of());
    }

    /** Every value decrypted from Ansible Vault while loading: secrets whatever their variable's name. */
    public java.util.Set<String> secretValues() {
        return secretValues;
    }

    /**
     * An ansible-inventory view, masked with mask (applied to every variable map before it is written,
     * so the output stays valid JSON or YAML).
     *
     * @param view     "list" or "host"
     * @param host     for "host", the host's name
     * @param limit    a host pattern, or null for every host
     * @param yaml     YAML instead of JSON
     * @param export   each host's and group's own variables rather than the merged ones
     */
    public String view(String view, String host, String limit, boolean yaml, boolean export, java.util.function.UnaryOperator<Object> mask) {
        java.util.Set<String> names = (limit == null ? hosts : select(limit)).stream().map(Host::name)
                .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
        InventoryViews.Options options = new InventoryViews.Options(names, mask, export);
        if (view.equals("host")) {
            Host h = host(host).orElseThrow(() -> new IllegalArgumentException("no host named '" + host + "' in the inventory"));
            return yaml ? InventoryViews.hostYaml(this, h, options) : InventoryViews.hostJson(this, h, options);
        }
        return yaml ? InventoryViews.listYaml(this, options) : InventoryViews.listJson(this, options);
    }

    /** Like {@code ansible-inventory --list}, with each group's own vars as with {@code --export}. */
    public String toListJson() {
        return InventoryViews.listJson(this);
    }

    /** Like {@code ansible-inventory --graph}. */
    public String toGraph() {
        return InventoryViews.graph(this);
    }

    /** The graph of the hosts limit selects (null: every host): a group none of them is under is left out. */
    public String toGraph(String limit) {
        if (limit == null) return toGraph();
        java.util.Set<String> names = select(limit).stream().map(Host::name)
                .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new));
        return InventoryViews.graph(this, names);
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

package dev.rig.digitalocean;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One inbound or outbound rule in canonical form, so that equal rules are equal records whatever
 * the API rewrote: every "all ports" spelling ({@code all}, {@code 0}, {@code 1-65535}, none for
 * ICMP) is {@code "0"}, as the API returns it; {@code 80-80} is {@code 80}; targets are sorted
 * sets of canonical values.
 */
public record FirewallRule(String protocol, String ports, RuleTarget target) {
    public static final String ALL_PORTS = "0";
    static final List<String> PROTOCOLS = List.of("tcp", "udp", "icmp");
    private static final int MAX_PORT = 65535;

    /** Inbound rules name {@code sources}, outbound rules {@code destinations}. */
    public enum Direction {
        INBOUND("inbound_rules", "sources", "from"), OUTBOUND("outbound_rules", "destinations", "to");

        public final String listKey;
        public final String targetKey;
        final String preposition;

        Direction(String listKey, String targetKey, String preposition) {
            this.listKey = listKey;
            this.targetKey = targetKey;
            this.preposition = preposition;
        }

        public String word() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** A rule as a playbook or the API writes it; {@code protocol} defaults to tcp, as in Ansible's module. */
    static FirewallRule parse(Object raw, Direction direction, String where) {
        if (!(raw instanceof Map<?, ?> map)) throw new IllegalArgumentException(where + " must be a mapping with protocol, ports and " + direction.targetKey);
        for (Object key : map.keySet()) {
            if (!List.of("protocol", "ports", direction.targetKey).contains(String.valueOf(key))) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "'; expected protocol, ports and " + direction.targetKey);
            }
        }
        String protocol = map.get("protocol") == null ? "tcp" : String.valueOf(map.get("protocol")).strip().toLowerCase(Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException(where + ".protocol must be one of " + String.join(", ", PROTOCOLS) + ", not '" + map.get("protocol") + "'");
        }
        String ports = canonicalPorts(protocol, map.get("ports"), where + ".ports");
        if (!map.containsKey(direction.targetKey)) throw new IllegalArgumentException(where + " needs " + direction.targetKey);
        return new FirewallRule(protocol, ports, RuleTarget.parse(map.get(direction.targetKey), where + "." + direction.targetKey));
    }

    static String canonicalPorts(String protocol, Object raw, String where) {
        String ports = raw == null ? "" : String.valueOf(raw).strip().toLowerCase(Locale.ROOT);
        if (protocol.equals("icmp")) {
            if (ports.isEmpty() || ports.equals("all") || ports.equals(ALL_PORTS)) return ALL_PORTS; // ICMP has no ports
            throw new IllegalArgumentException(where + ": icmp rules have no ports (leave ports out)");
        }
        if (ports.isEmpty()) throw new IllegalArgumentException(where + " is required for " + protocol + " rules: a port, a range such as 8000-9000, or all");
        if (ports.equals("all") || ports.equals(ALL_PORTS)) return ALL_PORTS;
        String[] range = ports.split("-", -1);
        if (range.length > 2 || !ports.matches("\\d{1,5}(-\\d{1,5})?")) {
            throw new IllegalArgumentException(where + " must be a port, a range such as 8000-9000, or all; not '" + raw + "'");
        }
        int low = Integer.parseInt(range[0]);
        int high = range.length == 2 ? Integer.parseInt(range[1]) : low;
        if (low < 1 || high > MAX_PORT || low > high) {
            throw new IllegalArgumentException(where + " '" + raw + "' is not a port range within 1-" + MAX_PORT);
        }
        if (low == 1 && high == MAX_PORT) return ALL_PORTS;
        return low == high ? String.valueOf(low) : low + "-" + high;
    }

    /** The API's JSON shape. ICMP rules too carry ports "0", since the contract makes ports required. */
    Map<String, Object> toJson(Direction direction) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("protocol", protocol);
        out.put("ports", ports);
        out.put(direction.targetKey, target.toJson());
        return out;
    }

    /** For people: {@code tcp 22 from 203.0.113.0/24, tag edge}. */
    public String describe(Direction direction) {
        String p = protocol.equals("icmp") ? "icmp" : protocol + " " + (ports.equals(ALL_PORTS) ? "all ports" : ports);
        return p + " " + direction.preposition + " " + target.describe();
    }
}

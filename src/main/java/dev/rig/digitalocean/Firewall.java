package dev.rig.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rig.digitalocean.FirewallRule.Direction;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * A Cloud Firewall in canonical form: rules as sets of {@link FirewallRule}, droplets and tags as
 * sorted sets. The same parser reads a playbook's desired firewall and the API's answer, so equal
 * firewalls are equal values and a converged firewall shows no change.
 *
 * @param id null for a desired firewall that does not exist yet
 */
public record Firewall(String id, String name, Set<FirewallRule> inbound, Set<FirewallRule> outbound,
                       SortedSet<Long> dropletIds, SortedSet<String> tags) {
    /** DigitalOcean's limits per firewall (docs.digitalocean.com, Cloud Firewalls limits). */
    public static final int MAX_RULES = 50, MAX_DROPLETS = 10, MAX_TAGS = 5, MAX_ADDRESSES_PER_RULE = 1000;
    /** The contract's pattern for firewall names (firewalls/models/firewall.yml). */
    private static final String NAME_PATTERN = "[a-zA-Z0-9][a-zA-Z0-9.-]+";

    public Firewall {
        inbound = Collections.unmodifiableSet(new LinkedHashSet<>(inbound));
        outbound = Collections.unmodifiableSet(new LinkedHashSet<>(outbound));
        dropletIds = Collections.unmodifiableSortedSet(new TreeSet<>(dropletIds));
        tags = Collections.unmodifiableSortedSet(new TreeSet<>(tags));
    }

    /**
     * The firewall a playbook asks for; each argument is the YAML value as given (null when absent).
     *
     * @throws IllegalArgumentException naming the first value that is wrong, with its place
     */
    public static Firewall desired(String name, Object inboundRules, Object outboundRules, Object dropletIds, Object tags) {
        if (name == null || !name.matches(NAME_PATTERN)) {
            throw new IllegalArgumentException("firewall name '" + name + "' must start with a letter or digit, followed by"
                    + " at least one letter, digit, '.' or '-'");
        }
        return new Firewall(null, name, rules(inboundRules, Direction.INBOUND), rules(outboundRules, Direction.OUTBOUND),
                RuleTarget.set(dropletIds, "droplet_ids", Firewall::dropletId),
                RuleTarget.set(tags, "tags", Function.identity()));
    }

    /** A firewall as the API returns it (the object inside {@code {"firewall": ...}}). */
    public static Firewall fromApi(JsonNode json) {
        Map<?, ?> m = DigitalOceanClient.JSON.convertValue(json, Map.class);
        String name = String.valueOf(m.get("name"));
        try {
            return new Firewall(String.valueOf(m.get("id")), name, rules(m.get("inbound_rules"), Direction.INBOUND),
                    rules(m.get("outbound_rules"), Direction.OUTBOUND),
                    RuleTarget.set(m.get("droplet_ids"), "droplet_ids", Firewall::dropletId),
                    RuleTarget.set(m.get("tags"), "tags", Function.identity()));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("firewall '" + name + "' as the API returned it: " + e.getMessage(), e);
        }
    }

    private static Set<FirewallRule> rules(Object raw, Direction direction) {
        Set<FirewallRule> out = new LinkedHashSet<>();
        if (raw == null) return out;
        if (!(raw instanceof List<?> list)) throw new IllegalArgumentException(direction.listKey + " must be a list of rules");
        for (int i = 0; i < list.size(); i++) out.add(FirewallRule.parse(list.get(i), direction, direction.listKey + "[" + (i + 1) + "]"));
        return out;
    }

    static Long dropletId(String text) {
        if (!text.matches("\\d{1,18}")) throw new IllegalArgumentException("'" + text + "' is not a droplet id (a number)");
        return Long.parseLong(text);
    }

    public Set<FirewallRule> rules(Direction direction) {
        return direction == Direction.INBOUND ? inbound : outbound;
    }

    /** Every way this firewall exceeds DigitalOcean's limits; empty when it fits. */
    public List<String> limitProblems() {
        List<String> problems = new ArrayList<>();
        int rules = inbound.size() + outbound.size();
        if (rules > MAX_RULES) {
            problems.add("firewall '" + name + "' has " + rules + " rules (" + inbound.size() + " inbound, " + outbound.size()
                    + " outbound); DigitalOcean allows at most " + MAX_RULES + " per firewall");
        }
        if (dropletIds.size() > MAX_DROPLETS) {
            problems.add("firewall '" + name + "' names " + dropletIds.size() + " droplets; DigitalOcean allows at most "
                    + MAX_DROPLETS + " by id per firewall (use tags for more)");
        }
        if (tags.size() > MAX_TAGS) {
            problems.add("firewall '" + name + "' names " + tags.size() + " tags; DigitalOcean allows at most " + MAX_TAGS + " per firewall");
        }
        for (Direction d : Direction.values()) {
            int i = 0;
            for (FirewallRule r : rules(d)) {
                i++;
                int n = r.target().addresses().size();
                if (n > MAX_ADDRESSES_PER_RULE) {
                    problems.add("firewall '" + name + "': " + d.listKey + "[" + i + "] (" + r.protocol() + " " + r.ports() + ") has "
                            + n + " addresses; DigitalOcean allows at most " + MAX_ADDRESSES_PER_RULE + " per rule");
                }
            }
        }
        if (rules == 0) problems.add("firewall '" + name + "' has no rules; DigitalOcean needs at least one inbound or outbound rule");
        return problems;
    }

    /** The full representation for POST and PUT: a PUT resets whatever it leaves out, so nothing is left out. */
    public Map<String, Object> requestBody() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        for (Direction d : Direction.values()) body.put(d.listKey, rules(d).stream().map(r -> r.toJson(d)).toList());
        body.put("droplet_ids", List.copyOf(dropletIds));
        body.put("tags", List.copyOf(tags));
        return body;
    }
}

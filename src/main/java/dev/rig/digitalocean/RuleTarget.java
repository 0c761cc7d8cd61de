package dev.rig.digitalocean;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Where a rule's traffic may come from (inbound {@code sources}) or go to (outbound
 * {@code destinations}). Every list is a sorted set of canonical values: the API returns them in
 * its own order and spelling, and a firewall means the same whatever the order.
 */
public record RuleTarget(SortedSet<String> addresses, SortedSet<Long> dropletIds, SortedSet<String> loadBalancerUids,
                         SortedSet<String> kubernetesIds, SortedSet<String> tags) {
    static final List<String> KEYS = List.of("addresses", "droplet_ids", "load_balancer_uids", "kubernetes_ids", "tags");

    public RuleTarget {
        addresses = Collections.unmodifiableSortedSet(new TreeSet<>(addresses));
        dropletIds = Collections.unmodifiableSortedSet(new TreeSet<>(dropletIds));
        loadBalancerUids = Collections.unmodifiableSortedSet(new TreeSet<>(loadBalancerUids));
        kubernetesIds = Collections.unmodifiableSortedSet(new TreeSet<>(kubernetesIds));
        tags = Collections.unmodifiableSortedSet(new TreeSet<>(tags));
    }

    /** @param where names the value in messages, e.g. {@code inbound_rules[2].sources} */
    static RuleTarget parse(Object raw, String where) {
        if (!(raw instanceof Map<?, ?> map)) throw new IllegalArgumentException(where + " must be a mapping with any of " + String.join(", ", KEYS));
        for (Object key : map.keySet()) {
            if (!KEYS.contains(String.valueOf(key))) {
                throw new IllegalArgumentException(where + ": unknown key '" + key + "'; expected any of " + String.join(", ", KEYS));
            }
        }
        RuleTarget t = new RuleTarget(
                set(map.get("addresses"), where + ".addresses", Addresses::canonical),
                set(map.get("droplet_ids"), where + ".droplet_ids", Firewall::dropletId),
                set(map.get("load_balancer_uids"), where + ".load_balancer_uids", Function.identity()),
                set(map.get("kubernetes_ids"), where + ".kubernetes_ids", Function.identity()),
                set(map.get("tags"), where + ".tags", Function.identity()));
        if (t.isEmpty()) {
            throw new IllegalArgumentException(where + " names nothing: give addresses, droplet_ids, load_balancer_uids, kubernetes_ids or tags");
        }
        return t;
    }

    /** A YAML/JSON list (null is empty) made a sorted set of canonical values; a bad value names its place. */
    static <T extends Comparable<T>> SortedSet<T> set(Object raw, String where, Function<String, T> canonical) {
        SortedSet<T> out = new TreeSet<>();
        if (raw == null) return out;
        if (!(raw instanceof List<?> list)) throw new IllegalArgumentException(where + " must be a list");
        for (int i = 0; i < list.size(); i++) {
            Object v = list.get(i);
            if (v == null || v instanceof Map<?, ?> || v instanceof List<?>) throw new IllegalArgumentException(where + "[" + (i + 1) + "] must be a single value");
            try {
                out.add(canonical.apply(String.valueOf(v).strip()));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(where + "[" + (i + 1) + "]: " + e.getMessage());
            }
        }
        return out;
    }

    boolean isEmpty() {
        return addresses.isEmpty() && dropletIds.isEmpty() && loadBalancerUids.isEmpty() && kubernetesIds.isEmpty() && tags.isEmpty();
    }

    /** The API's JSON shape; empty lists are left out. */
    Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        if (!addresses.isEmpty()) out.put("addresses", List.copyOf(addresses));
        if (!dropletIds.isEmpty()) out.put("droplet_ids", List.copyOf(dropletIds));
        if (!loadBalancerUids.isEmpty()) out.put("load_balancer_uids", List.copyOf(loadBalancerUids));
        if (!kubernetesIds.isEmpty()) out.put("kubernetes_ids", List.copyOf(kubernetesIds));
        if (!tags.isEmpty()) out.put("tags", List.copyOf(tags));
        return out;
    }

    /** For people: {@code 203.0.113.0/24, droplet 42, tag edge}. */
    String describe() {
        List<String> parts = new ArrayList<>(addresses);
        dropletIds.forEach(id -> parts.add("droplet " + id));
        loadBalancerUids.forEach(id -> parts.add("load balancer " + id));
        kubernetesIds.forEach(id -> parts.add("kubernetes " + id));
        tags.forEach(tag -> parts.add("tag " + tag));
        return String.join(", ", parts);
    }
}

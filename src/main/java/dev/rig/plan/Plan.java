package dev.rig.plan;

import dev.rig.core.Digests;
import dev.rig.core.Secrets;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A plan as data, the way Terraform's internal/plans keeps one: what it was made from ({@code inputs}, and
 * {@code files}, the sha256 of every input file) and each host's planned tasks. {@link PlanCodec} reads and
 * writes it; reporters only render it; {@code rig apply} holds a fresh plan to it.
 */
public record Plan(String rigVersion, Instant createdAt, Inputs inputs, Map<String, String> files, List<HostPlan> hosts) {
    public Plan {
        files = new TreeMap<>(files);
        hosts = List.copyOf(hosts);
    }

    /** An extra var whose name is a secret's: only its digest is kept, so it must be given again to apply. */
    public record SecretDigest(String sha256) {
        public boolean matches(Object value) {
            return sha256.equals(Digests.sha256(String.valueOf(value)));
        }
    }

    /**
     * What a plan was computed from: absolute inventory and playbook paths, limit, tags and extra vars
     * (a secret-named one as a {@link SecretDigest}).
     */
    public record Inputs(String inventory, List<String> playbooks, String limit, List<String> tags, List<String> skipTags,
                         Map<String, Object> extraVars) {
        public Inputs {
            playbooks = List.copyOf(playbooks);
            tags = List.copyOf(tags);
            skipTags = List.copyOf(skipTags);
            extraVars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(extraVars));
        }

        /** The inputs of a run, with every extra var whose name is a secret's kept as its digest only. */
        public static Inputs of(String inventory, List<String> playbooks, String limit, List<String> tags, List<String> skipTags,
                                Map<String, Object> extraVars, Secrets secrets) {
            Map<String, Object> kept = new LinkedHashMap<>();
            extraVars.forEach((k, v) -> kept.put(k, secrets.isSecret(k) ? new SecretDigest(Digests.sha256(String.valueOf(v))) : v));
            return new Inputs(inventory, playbooks, limit, tags, skipTags, kept);
        }
    }

    public Map<String, HostPlan> byHost() {
        Map<String, HostPlan> out = new LinkedHashMap<>();
        hosts.forEach(h -> out.put(h.host(), h));
        return out;
    }

    public int toChange() {
        return hosts.stream().mapToInt(HostPlan::toChange).sum();
    }

    public long hostsWithProblems() {
        return hosts.stream().filter(h -> h.state().problem()).count();
    }

    /** Input files whose content differs from this plan's digests (or that are gone, or new). */
    public List<String> changedFiles(Map<String, String> now) {
        List<String> out = new ArrayList<>();
        files.forEach((file, digest) -> {
            String current = now.get(file);
            if (current == null) out.add(file + " (gone)");
            else if (!current.equals(digest)) out.add(file);
        });
        for (String f : now.keySet()) if (!files.containsKey(f)) out.add(f + " (new)");
        return out;
    }

    /** Which hosts a fresh plan may apply, and why the others are refused. */
    public record Verdict(List<String> accepted, Map<String, String> refused) {}

    /**
     * Holds {@code now} (the same hosts planned again) to this reviewed plan: a host is refused when it is gone,
     * failed while being read again, or would not do and run exactly what was reviewed. {@code onlyChanges}: accept
     * only the hosts this plan had changes for (a saved plan applies nothing else).
     */
    public Verdict check(List<HostPlan> now, HostPlan.Reviewed reviewed, boolean onlyChanges) {
        Map<String, HostPlan> fresh = new LinkedHashMap<>();
        now.forEach(h -> fresh.put(h.host(), h));
        List<String> accepted = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (HostPlan host : hosts) {
            HostPlan current = fresh.get(host.host());
            String why;
            if (current == null) why = "no longer selected by the inventory";
            else if (current.state().problem()) why = Objects.requireNonNullElse(current.failure(), "failed while re-reading its state");
            else why = host.staleReason(current, reviewed);
            if (why != null) refused.put(host.host(), why);
            else if (!onlyChanges || host.state() == HostPlan.State.CHANGES) accepted.add(host.host());
        }
        return new Verdict(accepted, refused);
    }

    public Plan redacted(Secrets secrets) {
        return new Plan(rigVersion, createdAt, inputs, files, hosts.stream().map(h -> h.redacted(secrets)).toList());
    }
}

package dev.rig.modules;

import dev.rig.digitalocean.ApiAccess;
import dev.rig.digitalocean.ApiRequest;
import dev.rig.digitalocean.CurrentFirewall;
import dev.rig.digitalocean.Firewall;
import dev.rig.digitalocean.FirewallRule;
import dev.rig.digitalocean.FirewallRule.Direction;
import dev.rig.digitalocean.Firewalls;
import dev.rig.facts.LocalFact;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.Diff;
import dev.rig.playbook.ArgSpec;
import dev.rig.template.Templates;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static dev.rig.playbook.ArgSpec.ArgType.LIST;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * A DigitalOcean Cloud Firewall, found by name: created, replaced as a whole (the API's PUT
 * resets what it is not given), or deleted. Runs on the operator's machine ({@code hosts:
 * localhost}); the firewall is read in the facts step before plan ({@link CurrentFirewall}), plan is
 * pure desired-vs-fact, and every write is an {@link ApiRequest} value, an effect that only apply sends. Rules are compared as sets of canonical rules, so what the API rewrites
 * (ports, address spelling, order) never shows as a change. A firewall beyond DigitalOcean's
 * limits is refused before any request.
 */
public final class DigitalOceanFirewallModule implements LocalFactModule<CurrentFirewall> {
    @Override
    public String name() {
        return "digitalocean_firewall";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("name", STRING), ArgSpec.choice("state", false, "present", "absent"),
                ArgSpec.optional("inbound_rules", LIST), ArgSpec.optional("outbound_rules", LIST),
                ArgSpec.optional("droplet_ids", LIST), ArgSpec.optional("tags", LIST));
    }

    /** A firewall written out in the playbook (no templates in it) is checked, limits too, before any host or API is contacted. */
    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        if (templated(args.values()) || "absent".equals(args.get("state"))) return List.of();
        try {
            return desired(new Args(args)).limitProblems();
        } catch (IllegalArgumentException | Args.ArgumentException e) {
            return List.of(e.getMessage());
        }
    }

    /**
     * The facts step, before plan: the desired firewall is checked (its values and DigitalOcean's limits)
     * and the API access resolved, so that a refused firewall sends not a single request; then the
     * firewall of this name is what the engine reads.
     */
    @Override
    public LocalFact<CurrentFirewall> localFact(Args args, ModuleContext ctx) {
        String name = args.string("name");
        if (present(args)) {
            List<String> problems = desired(args).limitProblems();
            if (!problems.isEmpty()) throw new IllegalArgumentException(String.join("; ", problems));
        }
        return CurrentFirewall.of(ApiAccess.resolve(ctx.vars().get(ApiAccess.URL_VARIABLE),
                ctx.vars().get(ApiAccess.TOKEN_VARIABLE), System.getenv()), name);
    }

    /** Desired vs the firewall read: the diffs and the one request (POST, PUT or DELETE) that converges it, as values. */
    @Override
    public Outcome plan(Args args, CurrentFirewall fact, ModuleContext ctx) {
        String name = args.string("name");
        if (!name.equals(fact.name())) throw new IllegalArgumentException("the firewall read is '" + fact.name() + "', not '" + name + "'");
        Firewall desired = null;
        if (present(args)) {
            try {
                desired = desired(args);
            } catch (IllegalArgumentException e) {
                return Outcome.fail(e.getMessage());
            }
            List<String> problems = desired.limitProblems();
            if (!problems.isEmpty()) return Outcome.fail(String.join("; ", problems));
        }
        ApiAccess api = fact.api();
        Optional<Firewall> current = fact.firewall();
        String resource = "digitalocean_firewall." + name;
        if (desired == null) {
            if (current.isEmpty()) return Outcome.ok("firewall '" + name + "' is absent");
            Firewall f = current.get();
            List<Diff> diffs = new ArrayList<>(List.of(Diff.attributes(resource, Map.of("state", "present"), Map.of("state", "absent"))));
            diffs.addAll(ruleDiffs(resource, f, null));
            return Outcome.of(Change.local(Action.DELETE, List.of(Firewalls.delete(api, f)), diffs, "delete firewall '" + name + "'"))
                    .withResult(Map.of("id", f.id()));
        }
        if (current.isEmpty()) {
            List<Diff> diffs = new ArrayList<>(List.of(Diff.attributes(resource, Map.of("state", "absent"), Map.of("state", "present"))));
            diffs.addAll(ruleDiffs(resource, null, desired));
            diffs.addAll(memberDiffs(resource, null, desired));
            int rules = desired.inbound().size() + desired.outbound().size();
            String summary = "create firewall '" + name + "' (" + rules + " " + plural(rules, "rule") + ": "
                    + desired.inbound().size() + " inbound, " + desired.outbound().size() + " outbound)";
            return Outcome.of(Change.local(Action.CREATE, List.of(Firewalls.create(api, desired)), diffs, summary));
        }
        Firewall f = current.get();
        List<Diff> diffs = new ArrayList<>(ruleDiffs(resource, f, desired));
        diffs.addAll(memberDiffs(resource, f, desired));
        if (diffs.isEmpty()) return Outcome.ok("firewall '" + name + "' is as wanted").withResult(Map.of("id", f.id()));
        return Outcome.of(Change.local(Action.UPDATE, List.of(Firewalls.replace(api, f.id(), desired)), diffs,
                "update firewall '" + name + "' (" + changeSummary(f, desired) + ")")).withResult(Map.of("id", f.id()));
    }

    private static boolean present(Args args) {
        return args.string("state", "present").equals("present");
    }

    private static Firewall desired(Args args) {
        Map<String, Object> v = args.values();
        return Firewall.desired(args.string("name"), v.get("inbound_rules"), v.get("outbound_rules"), v.get("droplet_ids"), v.get("tags"));
    }

    /** One diff per rule removed (before only) or added (after only); rules in both are not shown. */
    private static List<Diff> ruleDiffs(String resource, Firewall before, Firewall after) {
        List<Diff> diffs = new ArrayList<>();
        for (Direction d : Direction.values()) {
            Set<FirewallRule> was = before == null ? Set.of() : before.rules(d);
            Set<FirewallRule> will = after == null ? Set.of() : after.rules(d);
            String key = d.word() + " rule";
            for (FirewallRule r : was) if (!will.contains(r)) diffs.add(Diff.attributes(resource, Map.of(key, r.describe(d)), Map.of()));
            for (FirewallRule r : will) if (!was.contains(r)) diffs.add(Diff.attributes(resource, Map.of(), Map.of(key, r.describe(d))));
        }
        return diffs;
    }

    private static List<Diff> memberDiffs(String resource, Firewall before, Firewall after) {
        List<Diff> diffs = new ArrayList<>();
        member(diffs, resource, "droplet_ids", before == null ? Set.of() : before.dropletIds(), after.dropletIds());
        member(diffs, resource, "tags", before == null ? Set.of() : before.tags(), after.tags());
        return diffs;
    }

    private static void member(List<Diff> diffs, String resource, String key, Collection<?> before, Collection<?> after) {
        if (new LinkedHashSet<>(before).equals(new LinkedHashSet<>(after))) return;
        diffs.add(Diff.attributes(resource, before.isEmpty() ? Map.of() : Map.of(key, join(before)), after.isEmpty() ? Map.of() : Map.of(key, join(after))));
    }

    private static String changeSummary(Firewall before, Firewall after) {
        List<String> parts = new ArrayList<>();
        for (Direction d : Direction.values()) {
            long added = after.rules(d).stream().filter(r -> !before.rules(d).contains(r)).count();
            long removed = before.rules(d).stream().filter(r -> !after.rules(d).contains(r)).count();
            if (added > 0) parts.add("+" + added + " " + d.word() + " " + plural(added, "rule"));
            if (removed > 0) parts.add("-" + removed + " " + d.word() + " " + plural(removed, "rule"));
        }
        if (!before.dropletIds().equals(after.dropletIds())) parts.add("droplet_ids");
        if (!before.tags().equals(after.tags())) parts.add("tags");
        return String.join(", ", parts);
    }

    private static String plural(long n, String word) {
        return n == 1 ? word : word + "s";
    }

    private static String join(Collection<?> values) {
        return String.join(", ", values.stream().map(String::valueOf).toList());
    }

    private static boolean templated(Object value) {
        if (value instanceof String s) return Templates.isTemplated(s);
        if (value instanceof Map<?, ?> m) return templated(m.keySet()) || templated(m.values());
        if (value instanceof Collection<?> c) return c.stream().anyMatch(DigitalOceanFirewallModule::templated);
        return false;
    }
}

package dev.rig.modules;

import dev.rig.facts.AptCacheAge;
import dev.rig.facts.AptCandidates;
import dev.rig.facts.DpkgStatus;
import dev.rig.facts.Probe;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;
import dev.rig.playbook.ArgSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
import static dev.rig.playbook.ArgSpec.ArgType.INT;
import static dev.rig.playbook.ArgSpec.ArgType.LIST;

/**
 * Debian packages: installed (optionally at a pinned version), at the newest version the cache
 * knows, or removed. One probe reads dpkg's status, apt's candidates and the cache's age.
 * {@code update_cache} refreshes the cache only when it matters — when the cache is older than
 * {@code cache_valid_time} (without it: before installing), or does not know a wanted package — so a
 * converged host reports "ok".
 */
public final class AptModule implements Module {
    private static final Pattern PACKAGE = Pattern.compile("[a-z0-9][a-z0-9+.-]*(:[a-z0-9]+)?(=[A-Za-z0-9.+~:_-]+)?");
    private static final String DPKG = "dpkg";
    private static final String POLICY = "policy";
    private static final String CACHE = "cache";

    @Override
    public String name() {
        return "apt";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.optional("name", LIST), ArgSpec.choice("state", false, "present", "absent", "latest"),
                ArgSpec.optional("update_cache", BOOL), ArgSpec.optional("cache_valid_time", INT),
                ArgSpec.optional("install_recommends", BOOL), ArgSpec.optional("purge", BOOL),
                ArgSpec.optional("lock_timeout", INT));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        if (!args.containsKey("name") && !args.containsKey("update_cache")) return List.of("give 'name' (packages) or 'update_cache'");
        return List.of();
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        List<String> names = baseNames(packages(args));
        ProbeParts parts = new ProbeParts();
        parts.add("tools", "command -v dpkg-query >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1"
                + " || { echo 'this host has no dpkg-query/apt-get: the apt module works on Debian and Ubuntu only'; exit 3; }");
        if (!names.isEmpty()) {
            parts.add(DPKG, DpkgStatus.of(names).probe());
            parts.add(POLICY, AptCandidates.of(names).probe());
        }
        parts.add(CACHE, AptCacheAge.FACT.probe());
        return parts.probe();
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        List<String> wanted = packages(args);
        String state = args.string("state", "present");
        long lockTimeout = args.integer("lock_timeout", AptCommands.DEFAULT_LOCK_TIMEOUT);
        Map<String, String> parts = ProbeParts.parse(probeOutput);
        List<String> names = baseNames(wanted);
        DpkgStatus installed = DpkgStatus.of(names).parse(parts.getOrDefault(DPKG, ""));
        AptCandidates candidates = AptCandidates.of(names).parse(parts.getOrDefault(POLICY, ""));

        Map<String, String> before = new LinkedHashMap<>();
        Map<String, String> after = new LinkedHashMap<>();
        List<String> install = new ArrayList<>();
        List<String> remove = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        boolean purge = args.bool("purge", false);
        for (String spec : wanted) {
            String name = baseName(spec);
            String pinned = spec.contains("=") ? spec.substring(spec.indexOf('=') + 1) : null;
            DpkgStatus.Package cur = installed.get(name);
            String candidate = candidates.candidate(name).orElse(null);
            switch (state) {
                case "absent" -> {
                    if (cur.present() || (purge && cur.configOnly())) {
                        remove.add(name);
                        before.put(name, cur.present() ? cur.version() : "config files");
                        after.put(name, "absent");
                    }
                }
                case "present", "latest" -> {
                    boolean needed = !cur.installed() || (pinned != null && !pinned.equals(cur.version()))
                            || (state.equals("latest") && candidate != null && !candidate.equals(cur.version()));
                    if (needed) {
                        install.add(spec);
                        before.put(name, cur.installed() ? cur.version() : "absent");
                        after.put(name, pinned != null ? pinned : candidate != null ? candidate : "present");
                        if (candidate == null && pinned == null) unknown.add(name);
                    }
                }
                default -> {
                    return Outcome.fail("unknown state '" + state + "'");
                }
            }
        }

        boolean updateCache = args.bool("update_cache", false);
        long validFor = args.integer("cache_valid_time", 0);
        Long age = AptCacheAge.FACT.parse(parts.getOrDefault(CACHE, "")).seconds().orElse(null);
        boolean stale = validFor > 0 ? age == null || age > validFor : wanted.isEmpty() || !install.isEmpty();
        // A package the cache does not know may come from a repository added earlier in this run: refresh first.
        boolean update = updateCache && (stale || !unknown.isEmpty());
        if (!unknown.isEmpty() && !update) {
            return Outcome.fail("no package named " + String.join(", ", unknown) + " in this host's apt cache"
                    + (updateCache ? "" : " (update_cache: true refreshes it first)") + "; is a repository missing?");
        }

        List<HostCommand> cmds = new ArrayList<>();
        List<String> done = new ArrayList<>();
        if (update) {
            cmds.add(AptCommands.update(lockTimeout));
            done.add(age == null ? "update the apt cache" : "update the apt cache (" + age + " s old)");
        }
        Boolean recommends = args.has("install_recommends") ? args.bool("install_recommends", true) : null;
        if (!install.isEmpty()) {
            cmds.add(AptCommands.install(install, recommends, lockTimeout));
            done.add("install " + String.join(", ", install));
        } else if (update && state.equals("latest") && !wanted.isEmpty()) {
            // The refreshed cache may know newer versions than the probe saw; installing is a no-op when it does not.
            cmds.add(AptCommands.install(wanted, recommends, lockTimeout));
            done.add("upgrade " + String.join(", ", wanted) + " if the refreshed cache has newer versions");
        }
        if (!remove.isEmpty()) {
            cmds.add(AptCommands.remove(remove, purge, lockTimeout));
            done.add((purge ? "purge " : "remove ") + String.join(", ", remove));
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("installed", install);
        result.put("removed", remove);
        result.put("cache_updated", update);
        if (cmds.isEmpty()) {
            String what = wanted.isEmpty() ? "the apt cache is fresh" : String.join(", ", baseNames(wanted)) + " " + (state.equals("absent") ? "absent" : "installed");
            return Outcome.ok(what).withResult(result);
        }
        Action action = install.isEmpty() && remove.isEmpty() ? Action.RUN
                : remove.isEmpty() ? (before.values().stream().allMatch("absent"::equals) ? Action.CREATE : Action.UPDATE)
                : install.isEmpty() ? Action.DELETE : Action.UPDATE;
        List<Diff> diffs = before.isEmpty() ? List.of() : List.of(Diff.attributes("packages", before, after));
        if (!unknown.isEmpty()) done.add("(" + String.join(", ", unknown) + " not in the cache yet: known after the update)");
        return Outcome.of(Change.of(action, cmds, diffs, String.join("; ", done))).withResult(result);
    }

    private static List<String> packages(Args args) {
        List<String> names = args.list("name");
        for (String n : names) {
            if (!PACKAGE.matcher(n).matches()) {
                throw new Args.ArgumentException("'" + n + "' is not a Debian package name (name, name:arch or name=version)");
            }
        }
        return names;
    }

    private static List<String> baseNames(List<String> specs) {
        return specs.stream().map(AptModule::baseName).distinct().toList();
    }

    /** "nginx=1.22-1" and "libc6:amd64" → the name dpkg-query prints. */
    private static String baseName(String spec) {
        String s = spec.contains("=") ? spec.substring(0, spec.indexOf('=')) : spec;
        return s.contains(":") ? s.substring(0, s.indexOf(':')) : s;
    }
}

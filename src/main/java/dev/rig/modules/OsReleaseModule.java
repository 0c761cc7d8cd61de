package dev.rig.modules;

import dev.rig.facts.OsRelease;
import dev.rig.facts.Probe;
import dev.rig.playbook.ArgSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the host's {@code /etc/os-release} into the fact {@code os_release}: its fields with
 * lower-case names ({@code os_release.id}, {@code os_release.version_codename}...), plus
 * {@code machine} ({@code uname -m}) and, on dpkg systems, {@code dpkg_architecture}. Read-only, so
 * a plan knows the OS too, and later tasks can pick packages, repositories or fail early by it.
 */
public final class OsReleaseModule implements Module {
    static final String FACT = "os_release";

    @Override
    public java.util.Set<String> hostFacts() {
        return java.util.Set.of(FACT);
    }

    @Override
    public String name() {
        return "os_release";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of();
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return OsRelease.FACT.probe();
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        Map<String, Object> fields = new LinkedHashMap<>(OsRelease.FACT.parse(probeOutput).fields());
        if (!fields.containsKey("id")) return Outcome.fail("the host has no /etc/os-release (or it names no ID): cannot tell its OS");
        String message = fields.getOrDefault("pretty_name", fields.get("id")) + " (" + fields.get("machine") + ")";
        return Outcome.ok(message).withFacts(Map.of(FACT, fields)).withResult(Map.of(FACT, fields));
    }
}

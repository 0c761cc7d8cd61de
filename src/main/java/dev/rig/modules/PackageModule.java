package dev.rig.modules;

import dev.rig.facts.PackageManager;
import dev.rig.facts.Probe;
import dev.rig.playbook.ArgSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * Ansible's generic {@code package}: the probe finds the host's package manager and, where it is apt,
 * reads what {@link AptModule} reads, in the same round trip; the plan is apt's. On a host with another
 * manager (dnf, yum, zypper, apk, pacman) the task fails naming it: rig drives apt only. As in Ansible,
 * the arguments of the manager's own module pass through ({@code update_cache}, {@code cache_valid_time}...).
 */
public final class PackageModule implements Module {
    private final AptModule apt = new AptModule();

    @Override
    public String name() {
        return "package";
    }

    @Override
    public List<ArgSpec> args() {
        List<ArgSpec> args = new ArrayList<>();
        args.add(ArgSpec.choice("use", false, "auto", "apt"));
        // Ansible requires both: a package task says which packages and in what state.
        for (ArgSpec a : apt.args()) args.add(Set.of("name", "state").contains(a.name()) ? new ArgSpec(a.name(), a.type(), true, a.choices()) : a);
        return args;
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        return apt.crossCheck(args);
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return PackageManager.detect(apt.probe(args, ctx)).probe();
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        PackageManager manager = PackageManager.detect(apt.probe(args, ctx)).parse(probeOutput);
        if (manager.name().equals("none")) {
            return Outcome.fail("this host has no package manager rig knows (apt; found none of apt, " + String.join(", ", PackageManager.OTHERS) + ")");
        }
        if (!manager.isApt()) return Outcome.fail("this host's package manager is " + manager.name() + "; rig's package module drives apt only");
        return apt.plan(args, manager.aptOutput(), ctx);
    }
}

package dev.rig.modules;

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
    private static final String MARK = "@@rig-package-manager ";
    private static final List<String> OTHERS = List.of("dnf", "yum", "zypper", "apk", "pacman", "pkg");
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
        StringBuilder s = new StringBuilder();
        s.append("if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then\n")
                .append("echo '").append(MARK).append("apt'\n")
                .append(apt.probe(args, ctx).script()).append('\n')
                .append("else\n")
                .append("for m in ").append(String.join(" ", OTHERS)).append("; do command -v $m >/dev/null 2>&1 && { echo \"").append(MARK)
                .append("$m\"; exit 0; }; done\n")
                .append("echo '").append(MARK).append("none'\n")
                .append("fi\n");
        return new Probe(s.toString());
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        String out = probeOutput == null ? "" : probeOutput;
        int at = out.indexOf(MARK);
        if (at < 0) throw new IllegalStateException("unexpected output of the package probe: " + out.strip());
        int eol = out.indexOf('\n', at);
        String manager = out.substring(at + MARK.length(), eol < 0 ? out.length() : eol).strip();
        if (manager.equals("none")) return Outcome.fail("this host has no package manager rig knows (apt; found none of apt, " + String.join(", ", OTHERS) + ")");
        if (!manager.equals("apt")) return Outcome.fail("this host's package manager is " + manager + "; rig's package module drives apt only");
        return apt.plan(args, eol < 0 ? "" : out.substring(eol + 1), ctx);
    }
}

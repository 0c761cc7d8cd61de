package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.HostName;
import dev.rig.facts.Probe;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;
import dev.rig.playbook.ArgSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * The host's name, now and at boot, as Ansible's hostname: the {@code systemd} way through
 * {@code hostnamectl --transient/--static set-hostname}, the {@code debian} (systemd-less) way by
 * writing /etc/hostname and running {@code hostname}. Without {@code use}, systemd when it runs
 * (/run/systemd/system) and has hostnamectl, else debian. /etc/hosts is left alone, as in Ansible.
 */
public final class HostnameModule implements Module {
    @Override
    public String name() {
        return "hostname";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("name", STRING), ArgSpec.choice("use", false, "systemd", "debian"));
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return HostName.FACT.probe();
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        String name = args.string("name").strip();
        if (!name.matches("[A-Za-z0-9]([A-Za-z0-9.-]{0,252}[A-Za-z0-9])?")) throw new Args.ArgumentException("'" + name + "' is not a host name");
        HostName host = HostName.FACT.parse(probeOutput);
        String use = args.optString("use").orElse(host.systemd() ? "systemd" : "debian");
        String current = host.current();
        String permanent = host.permanent().orElse("");
        List<HostCommand> cmds = new ArrayList<>();
        Map<String, String> before = new LinkedHashMap<>();
        Map<String, String> after = new LinkedHashMap<>();
        if (!permanent.equals(name)) {
            before.put("permanent", permanent);
            after.put("permanent", name);
            cmds.add(use.equals("systemd") ? HostCommand.of(Shell.join("hostnamectl", "--static", "set-hostname", name), "hostnamectl --static set-hostname " + name)
                    : FileContent.upload("/etc/hostname", (name + "\n").getBytes(StandardCharsets.UTF_8), dev.rig.core.Digests.sha256(name + "\n"),
                            new FileAttributes(java.util.Optional.of("0644"), java.util.Optional.empty(), java.util.Optional.empty()), host.permanent().isPresent()));
        }
        if (!current.equals(name)) {
            before.put("current", current);
            after.put("current", name);
            cmds.add(use.equals("systemd") ? HostCommand.of(Shell.join("hostnamectl", "--transient", "set-hostname", name), "hostnamectl --transient set-hostname " + name)
                    : HostCommand.of(Shell.join("hostname", name), "hostname " + name));
        }
        Map<String, Object> result = Map.of("name", name, "ansible_facts", Map.of("ansible_hostname", name.split("\\.")[0], "ansible_nodename", name));
        if (cmds.isEmpty()) return Outcome.ok("host name is " + name).withResult(result);
        return Outcome.of(Change.of(Action.UPDATE, cmds, List.of(Diff.attributes("hostname", before, after)), "set the host name to " + name + " (" + use + ")"))
                .withResult(result);
    }
}

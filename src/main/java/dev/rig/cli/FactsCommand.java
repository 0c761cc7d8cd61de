package dev.rig.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.rig.apply.Engine;
import dev.rig.apply.Remote;
import dev.rig.apply.RoutingConnector;
import dev.rig.apply.SshConnector;
import dev.rig.facts.HostFacts;
import dev.rig.inventory.Host;
import dev.rig.inventory.Inventory;
import dev.rig.ssh.ExecResult;
import dev.rig.ssh.SshException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;

/** Like {@code ansible PATTERN -m setup}: the facts rig gathers, per host, as JSON. */
@Command(name = "facts", description = "Print the facts rig gathers for the hosts of PATTERN, as JSON (like ansible -m setup).")
final class FactsCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Options.InventoryOptions inventory;
    @Mixin Options.SshOptions ssh;

    @Parameters(index = "0", paramLabel = "PATTERN")
    String pattern;

    @Override
    public Integer call() throws Exception {
        Inventory inv = dev.rig.load.Inputs.inventoryOnly(inventory.sources, null, inventory.vault()).inventory;
        List<Host> hosts = Engine.hostsFor(inv, pattern, inventory.limit);
        if (hosts.isEmpty()) {
            spec.commandLine().getErr().println("error: no hosts match '" + pattern + "'");
            return Main.ERROR;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        boolean failed = false;
        try (RoutingConnector connector = new RoutingConnector(new SshConnector(ssh.settings(), ssh.user, ssh.privateKey))) {
            for (Host h : hosts) {
                try (Remote remote = connector.connect(h)) {
                    ExecResult r = remote.exec(dev.rig.apply.RemoteCommands.script(HostFacts.PROBE.script(), null, null)
                            .doing("reading the host's facts"), Duration.ofSeconds(60));
                    Map<String, Object> facts = new TreeMap<>();
                    HostFacts.parse(r.out()).forEach((k, v) -> facts.put("ansible_" + k, v));
                    out.put(h.name(), Map.of("ansible_facts", facts, "changed", false));
                } catch (SshException e) {
                    out.put(h.name(), Map.of("unreachable", true, "msg", e.getMessage()));
                    failed = true;
                }
            }
        }
        spec.commandLine().getOut().println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        return failed ? Main.ERROR : Main.OK;
    }
}

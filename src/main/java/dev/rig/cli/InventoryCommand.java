package dev.rig.cli;

import dev.rig.core.Secrets;
import dev.rig.inventory.Inventory;
import dev.rig.load.Inputs;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "inventory", description = "Show the inventory as rig reads it (like ansible-inventory).")
final class InventoryCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Options.InventoryOptions inventory;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    @Option(names = {"-y", "--yaml"}, description = "YAML instead of JSON (--list and --host)")
    boolean yaml;

    @Option(names = "--export", description = "Each host's and group's own variables instead of the merged ones, to see which level set what")
    boolean export;

    @Option(names = "--playbook-dir", paramLabel = "DIR", description = "Read group_vars/ and host_vars/ beside playbooks in DIR too, as a run would")
    Path playbookDir;

    static final class What {
        @Option(names = "--list", description = "All groups and hosts with their variables, as JSON") boolean list;
        @Option(names = "--graph", description = "The group tree") boolean graph;
        @Option(names = "--host", paramLabel = "NAME", description = "One host's merged variables, as JSON") String host;
    }

    @Override
    public Integer call() {
        Inputs inputs = Inputs.inventoryOnly(inventory.sources, playbookDir, inventory.vault());
        Inventory inv = inputs.inventory;
        Secrets secrets = inputs.secrets;
        // Masked value by value, so a masked number is the string "********" and the output stays valid JSON/YAML.
        if (what.list) spec.commandLine().getOut().print(inv.view("list", null, inventory.limit, yaml, export, secrets::redactValue));
        else if (what.graph) spec.commandLine().getOut().print(inv.toGraph(inventory.limit));
        else {
            if (inventory.limit != null) {
                spec.commandLine().getErr().println("error: -l does not apply to --host, which names its host; use -l with --list or --graph");
                return Main.ERROR;
            }
            if (inv.host(what.host).isEmpty()) {
                spec.commandLine().getErr().println("error: no host named '" + what.host + "' in " + inventory.inventory);
                return Main.ERROR;
            }
            spec.commandLine().getOut().print(inv.view("host", what.host, null, yaml, export, secrets::redactValue));
        }
        return Main.OK;
    }
}

package dev.rig.cli;

import dev.rig.core.Secrets;
import dev.rig.inventory.Inventory;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.util.concurrent.Callable;

@Command(name = "inventory", description = "Show the inventory as rig reads it (like ansible-inventory).")
final class InventoryCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Options.InventoryOptions inventory;

    @ArgGroup(exclusive = true, multiplicity = "1")
    What what;

    static final class What {
        @Option(names = "--list", description = "All groups and hosts with their variables, as JSON") boolean list;
        @Option(names = "--graph", description = "The group tree") boolean graph;
        @Option(names = "--host", paramLabel = "NAME", description = "One host's merged variables, as JSON") String host;
    }

    @Override
    public Integer call() {
        dev.rig.load.Inputs inputs = dev.rig.load.Inputs.inventoryOnly(inventory.inventory);
        Inventory inv = inputs.inventory;
        Secrets secrets = inputs.secrets;
        if (what.list) spec.commandLine().getOut().println(secrets.redact(inv.toListJson()));
        else if (what.graph) spec.commandLine().getOut().print(inv.toGraph());
        else {
            if (inv.host(what.host).isEmpty()) {
                spec.commandLine().getErr().println("error: no host named '" + what.host + "' in " + inventory.inventory);
                return Main.ERROR;
            }
            spec.commandLine().getOut().println(secrets.redact(inv.hostJson(what.host)));
        }
        return Main.OK;
    }
}

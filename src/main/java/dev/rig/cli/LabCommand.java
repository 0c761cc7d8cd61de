package dev.rig.cli;

import dev.rig.lab.LabFleet;
import dev.rig.lab.LabHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;

/** A local lab fleet of real sshd processes on 127.0.0.11-13, for trying rig and for its demo. */
@Command(name = "lab", description = "Start, stop or demo a local fleet of real sshd hosts on 127.0.0.11-13 (needs root and openssh-server).",
        subcommands = {LabCommand.Up.class, LabCommand.Down.class, LabCommand.Demo.class})
final class LabCommand {
    /** The lab fleet's inventory (the top-level inventory/ is the monitoring example). */
    static final String LAB_INVENTORY = "inventory/lab";
    static final Path DEFAULT_DIR = Path.of("lab");

    @Command(name = "up", description = "Start lab hosts (sshd on 127.0.0.11-13 by default), each in its own mount namespace.")
    static final class Up implements Callable<Integer> {
        @Option(names = "--dir", defaultValue = "lab", description = "Where keys, known_hosts, logs and the inventory go. Default: ${DEFAULT-VALUE}")
        Path dir;

        @Option(names = "--hosts", paramLabel = "N", description = "Start N hosts named host1..hostN, all in group web, with an inventory in DIR/inventory, instead of lab1..lab3")
        Integer hosts;

        @Option(names = "--first-octet", defaultValue = "11", paramLabel = "N", description = "First host listens on 127.0.0.N. Default: ${DEFAULT-VALUE}")
        int firstOctet;

        @Option(names = "--network", defaultValue = LabFleet.DEFAULT_NETWORK, paramLabel = "A.B.C",
                description = "The /24 inside 127.0.0.0/8 that --hosts listen in, as its first three octets (127.0.1 for 127.0.1.x); more hosts than it holds go on in the /24s after it. Default: ${DEFAULT-VALUE}")
        String network;

        @Override
        public Integer call() {
            if (hosts == null) {
                start(dir);
            } else {
                List<String> names = IntStream.rangeClosed(1, hosts).mapToObj(i -> "host" + i).toList();
                LabFleet fleet = LabFleet.start(dir, names, network, firstOctet, true);
                // All in group web, so the example playbook (playbooks/lab.yml) runs on them as it is.
                Path inv = fleet.writeInventory(dir.resolve("inventory").resolve("hosts.yml"), Map.of("web", names));
                System.out.println("started " + hosts + " hosts on " + network + "." + firstOctet + " to " + LabFleet.address(network, firstOctet, hosts - 1) + "; inventory " + inv);
                return Main.OK;
            }
            System.out.println("Try:  ./rig plan -i " + LAB_INVENTORY + " --known-hosts " + dir.resolve("known_hosts") + " playbooks/lab.yml");
            System.out.println("Stop: ./rig lab down");
            return Main.OK;
        }
    }

    @Command(name = "down", description = "Stop the lab fleet started by 'rig lab up'.")
    static final class Down implements Callable<Integer> {
        @Option(names = "--dir", defaultValue = "lab") Path dir;

        @Override
        public Integer call() {
            if (!Files.exists(dir)) {
                System.out.println("No lab fleet in " + dir);
                return Main.OK;
            }
            LabFleet.stopFromState(dir);
            System.out.println("Lab fleet stopped.");
            return Main.OK;
        }
    }

    @Command(name = "demo", description = "rig's main job on the lab: start the fleet, plan, apply, apply again (0 changed), drift-check.")
    static final class Demo implements Callable<Integer> {
        @Option(names = "--dir", defaultValue = "lab") Path dir;

        @Option(names = "--keep", description = "Leave the fleet running afterwards")
        boolean keep;

        @Override
        public Integer call() {
            if (Files.exists(dir)) LabFleet.stopFromState(dir); // a fresh fleet, so the first apply has work to do
            start(dir);
            String kh = dir.resolve("known_hosts").toString();
            try {
                step("rig plan: what would change (nothing is touched)");
                int plan = Main.run("plan", "-i", LAB_INVENTORY, "--known-hosts", kh, "--detailed-exitcode", "playbooks/lab.yml");
                step("rig apply: converge the fleet");
                int apply = Main.run("apply", "-i", LAB_INVENTORY, "--yes", "--known-hosts", kh, "playbooks/lab.yml");
                step("rig apply again: nothing left to change");
                int again = Main.run("apply", "-i", LAB_INVENTORY, "--yes", "--known-hosts", kh, "playbooks/lab.yml");
                step("rig plan --detailed-exitcode: 0 means the fleet matches the playbooks");
                int check = Main.run("plan", "-i", LAB_INVENTORY, "--known-hosts", kh, "--detailed-exitcode", "playbooks/lab.yml");
                System.out.printf("%nexit codes: plan=%d (2 = changes pending), apply=%d, apply again=%d, final plan=%d%n", plan, apply, again, check);
                return plan == Main.CHANGES && apply == Main.OK && again == Main.OK && check == Main.OK ? Main.OK : Main.ERROR;
            } finally {
                if (!keep) {
                    LabFleet.stopFromState(dir);
                    System.out.println("Lab fleet stopped (use --keep to leave it running).");
                }
            }
        }

        private static void step(String title) {
            System.out.println("\n==> " + title);
        }
    }

    static void start(Path dir) {
        LabFleet fleet = LabFleet.startDefault(dir, true);
        for (LabHost h : fleet.hosts()) {
            System.out.println("started " + h.name() + " sshd on " + h.address() + ":" + h.port() + " (pid " + h.pid() + ")");
        }
        System.out.println("client key " + fleet.clientKey() + ", known_hosts " + fleet.knownHosts());
    }
}

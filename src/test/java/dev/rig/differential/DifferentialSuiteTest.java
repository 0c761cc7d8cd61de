package dev.rig.differential;

import dev.rig.cli.Main;
import dev.rig.lab.LabFleet;
import dev.rig.testkit.LabHosts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The differential suite: each pair of playbooks (Ansible's with Jinja2, rig's with FreeMarker, same
 * meaning) runs on the same two lab hosts, first with the real ansible-playbook, then, on the hosts
 * wiped again, with rig; what each left under /srv/t (paths, kinds, modes, contents) must be equal.
 */
@Tag("integration")
class DifferentialSuiteTest {
    static final List<String> HOSTS = List.of("d1", "d2");
    static Path dir;
    @RegisterExtension
    static final LabHosts lab = LabHosts.named(HOSTS);
    static LabFleet fleet;
    static Path inventory;
    static AnsibleOracle ansible;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("rig-differential");
        fleet = lab.fleet();
        inventory = fleet.writeInventory(dir.resolve("inventory/hosts.yml"), Map.of());
        ansible = new AnsibleOracle(dir.resolve("ansible"), fleet);
    }

    @Test
    void rigLeavesOnTheHostsWhatAnsibleLeaves() throws Exception {
        List<Pairs.Pair> pairs = Pairs.all();
        assertTrue(pairs.size() >= 40, "at least 40 pairs");
        String only = System.getProperty("differential.only"); // a regex on pair names, to run a few while working on them
        if (only != null && !only.isBlank()) pairs = pairs.stream().filter(p -> p.name().matches("(?i).*(" + only + ").*")).toList();
        List<String> disagreements = new ArrayList<>();
        int agree = 0;
        for (int i = 0; i < pairs.size(); i++) {
            Pairs.Pair p = pairs.get(i);
            Path a = write(dir.resolve("pairs/" + i + "/ansible"), p.ansible(), p.ansibleFiles());
            Path r = write(dir.resolve("pairs/" + i + "/rig"), p.rig(), p.rigFiles());

            wipe();
            AnsibleOracle.Result ar = ansible.playbook(inventory, a, p.args().toArray(String[]::new));
            String theirs = snapshot();
            wipe();
            List<String> args = new ArrayList<>(List.of("apply", "--yes", "-i", inventory.getParent().toString(),
                    "--known-hosts", fleet.knownHosts().toString()));
            args.addAll(p.args());
            args.add(r.toString());
            StringWriter out = new StringWriter(), err = new StringWriter();
            int rc = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
            String ours = snapshot();
            boolean sameExit = (ar.exit() == 0) == (rc == 0);
            if (theirs.equals(ours) && sameExit) {
                agree++;
            } else {
                disagreements.add("#" + i + " " + p.name() + ": ansible exit " + ar.exit() + ", rig exit " + rc
                        + "\n--- ansible left\n" + theirs + "--- rig left\n" + ours
                        + (ar.exit() != 0 ? "--- ansible said\n" + ar.out() + ar.err() : "")
                        + (rc != 0 || !theirs.equals(ours) ? "--- rig said\n" + out + err : ""));
            }
        }
        System.out.println("differential suite: " + agree + " of " + pairs.size() + " pairs agree with ansible-playbook");
        assertEquals("", String.join("\n", disagreements));
    }

    private static Path write(Path d, String playbook, Map<String, String> files) throws IOException {
        Files.createDirectories(d);
        for (Map.Entry<String, String> f : files.entrySet()) {
            Path file = d.resolve(f.getKey());
            Files.createDirectories(file.getParent());
            Files.writeString(file, f.getValue());
        }
        return Files.writeString(d.resolve("site.yml"), playbook);
    }

    private static void wipe() {
        for (String h : HOSTS) fleet.exec(h, "rm -rf /srv/t && mkdir -p /srv/t");
    }

    /** Every path under /srv/t on each host with its kind, mode, link target and content. */
    private static String snapshot() {
        StringBuilder s = new StringBuilder();
        for (String h : HOSTS) {
            s.append("[").append(h).append("]\n").append(fleet.exec(h, "cd /srv/t && find . -mindepth 1 -printf '%p %y %m %l\\n' | sort"
                    + " && find . -type f | sort | while read -r f; do echo \"== $f\"; cat \"$f\"; echo; done"));
        }
        return s.toString();
    }
}

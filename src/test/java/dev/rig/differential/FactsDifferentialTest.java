package dev.rig.differential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.cli.Main;
import dev.rig.lab.LabFleet;
import dev.rig.testkit.LabHosts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rig facts against Ansible's setup module on the same lab hosts: the documented facts agree. */
@Tag("integration")
class FactsDifferentialTest {
    static final List<String> HOSTS = List.of("fa1", "fa2");
    static final List<String> SAME = List.of("distribution", "distribution_version", "distribution_major_version",
            "distribution_release", "os_family", "architecture", "machine", "kernel", "kernel_version", "system", "hostname",
            "nodename", "fqdn", "domain", "all_ipv4_addresses", "memtotal_mb", "processor_vcpus", "pkg_mgr", "service_mgr", "user_id",
            "user_uid", "user_gid");
    static Path dir;
    @RegisterExtension
    static final LabHosts lab = LabHosts.named(HOSTS);
    static LabFleet fleet;
    static Path inventory;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("rig-facts");
        fleet = lab.fleet();
        inventory = fleet.writeInventory(dir.resolve("inventory/hosts.yml"), Map.of());
    }

    @Test
    void rigFactsEqualAnsibleSetupOnTheSameHosts() throws Exception {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), new String[]{"facts", "-i", inventory.getParent().toString(),
                "--known-hosts", fleet.knownHosts().toString(), "all"});
        assertEquals(0, code, err::toString);
        JsonNode rig = new ObjectMapper().readTree(out.toString());

        AnsibleOracle.Result setup = new AnsibleOracle(dir.resolve("ansible"), fleet).setup(inventory, "all");
        assertEquals(0, setup.exit(), () -> setup.out() + setup.err());
        List<String> differences = new ArrayList<>();
        int compared = 0;
        for (String line : setup.out().split("\n")) {
            int at = line.indexOf(" | SUCCESS => ");
            if (at < 0) continue;
            String host = line.substring(0, at);
            JsonNode theirs = new ObjectMapper().readTree(line.substring(at + " | SUCCESS => ".length())).path("ansible_facts");
            JsonNode ours = rig.path(host).path("ansible_facts");
            for (String fact : SAME) {
                compared++;
                JsonNode a = theirs.path("ansible_" + fact), r = ours.path("ansible_" + fact);
                if (!a.equals(r)) differences.add(host + " " + fact + ": ansible " + a + ", rig " + r);
            }
            compared++;
            if (!theirs.path("ansible_default_ipv4").path("address").equals(ours.path("ansible_default_ipv4").path("address"))) {
                differences.add(host + " default_ipv4.address: ansible " + theirs.path("ansible_default_ipv4") + ", rig " + ours.path("ansible_default_ipv4"));
            }
            compared++;
            if (!mountPoints(theirs).equals(mountPoints(ours))) differences.add(host + " mounts: ansible " + mountPoints(theirs) + ", rig " + mountPoints(ours));
            compared++;
            for (String k : List.of("tz", "tz_offset", "date", "year")) {
                if (!theirs.path("ansible_date_time").path(k).equals(ours.path("ansible_date_time").path(k))) {
                    differences.add(host + " date_time." + k + ": ansible " + theirs.path("ansible_date_time").path(k) + ", rig " + ours.path("ansible_date_time").path(k));
                }
            }
            compared++;
            if (!theirs.path("ansible_env").path("HOME").equals(ours.path("ansible_env").path("HOME"))) differences.add(host + " env.HOME differs");
        }
        System.out.println("facts compared with Ansible's setup: " + compared + ", differing: " + differences.size());
        assertTrue(compared >= HOSTS.size() * (SAME.size() + 4), "setup reported every host: " + setup.out());
        assertEquals(List.of(), differences);
    }

    private static TreeSet<String> mountPoints(JsonNode facts) {
        TreeSet<String> out = new TreeSet<>();
        facts.path("ansible_mounts").forEach(m -> out.add(m.path("mount").asText()));
        return out;
    }
}

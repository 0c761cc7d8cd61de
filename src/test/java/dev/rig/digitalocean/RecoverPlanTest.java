package dev.rig.digitalocean;

import dev.rig.testkit.Rig;
import dev.rig.lab.LabFleet;
import dev.rig.testkit.LabHosts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rig recover central --plan (the rehearsal) with central's host dead: real sshd hosts for the new central
 * and two edges (the old central's sshd is stopped), the DigitalOcean stand-in
 * holding the firewalls the fleet had. The plan shows the stack on the new host, each edge's agent
 * pointed at the new central's address, the central firewall moved to the new droplet, the backup it
 * would restore; it changes nothing anywhere. The 10.110.x addresses only appear in rendered configs
 * and firewall rules; nothing connects to them.
 */
@Tag("integration")
class RecoverPlanTest {
    static final Path PLAYBOOKS = Path.of("playbooks").toAbsolutePath();

    @TempDir static Path dir;
    static DigitalOceanStandIn api;
    @RegisterExtension
    static final LabHosts lab = LabHosts.named("old-central", "new-central", "edge-a", "edge-b");
    static LabFleet fleet;
    static Path inventory;
    static Path secrets;
    static Path backup;

    @BeforeAll
    static void aFleetWhoseCentralDied() throws Exception {
        api = DigitalOceanStandIn.start();
        api.addDroplet(301, "old-central", List.of("monitoring-edge"), "192.0.2.31", "10.110.0.31");
        api.addDroplet(302, "new-central", List.of(), "192.0.2.32", "10.110.0.32");
        api.addDroplet(303, "edge-a", List.of("monitoring-edge"), "192.0.2.33", "10.110.0.33");
        fleet = lab.fleet();
        inventory = dir.resolve("inventory");
        fleet.writeInventory(inventory.resolve("hosts.yml"), Map.of("central", List.of("old-central"), "edge", List.of("edge-a", "edge-b"),
                "spare", List.of("new-central")));
        Files.createDirectories(inventory.resolve("host_vars"));
        Files.createDirectories(inventory.resolve("group_vars"));
        Files.writeString(inventory.resolve("host_vars/old-central.yml"), "do_id: 301\nprivate_ip: 10.110.0.31\n");
        Files.writeString(inventory.resolve("host_vars/new-central.yml"), "do_id: 302\nprivate_ip: 10.110.0.32\n");
        Files.writeString(inventory.resolve("host_vars/edge-a.yml"), "do_id: 303\nprivate_ip: 10.110.0.33\n");
        Files.writeString(inventory.resolve("host_vars/edge-b.yml"), "monitoring_transport: https\n");
        Files.writeString(inventory.resolve("group_vars/all.yml"), "monitoring_domain: monitoring.example.com\noperator_cidrs: [\"203.0.113.7/32\"]\n"
                + "monitoring_edge_tag: monitoring-edge\ndocker_install_source: distro\nmonitoring_edge_inbound_rules: []\n");
        secrets = Files.writeString(dir.resolve("secrets.yml"), "grafana_admin_password: recover-grafana-secret\nmonitoring_push_password: recover-push-secret\n");
        // The firewalls as they were while the old central lived; then it dies.
        Rig firewalls = rig(List.of("apply", "--yes", "-t", "firewall"), PLAYBOOKS.resolve("site.yml"));
        assertEquals(0, firewalls.exit(), firewalls::toString);
        fleet.stop("old-central");
        backup = fakeBackup(dir.resolve("backups"));
    }

    @AfterAll
    static void stop() {
        if (api != null) {
            StandInTests.assertConformsToContract(api);
            api.close();
        }
    }

    @Test
    void theRehearsalShowsEverythingRecoveryWouldDoAndChangesNothing() throws Exception {
        int writes = api.writes().size();
        Rig plan = rig(List.of("recover", "central", "--to", "new-central", "--plan", "--skip-tags", "docker", "--from-backup", dir.resolve("backups").toString()), null);
        assertEquals(0, plan.exit(), plan::toString);
        String out = plan.out();
        assertTrue(out.startsWith("RECOVER central: old-central → new-central, restoring backup " + backup), plan::toString);
        assertTrue(out.contains("change [new-central] monitoring_central : Central stack (Caddy, Prometheus, Loki, Grafana, Alertmanager)"), plan::toString);
        assertTrue(out.contains("+      - \"10.110.0.32:9090:9090\""), "Prometheus published on the new central's VPC address\n" + plan);
        assertTrue(out.contains("+10.110.0.32\tmonitoring-central"), "the VPC edge resolves central's name to the new central\n" + plan);
        assertFalse(out.contains("[old-central]"), "the dead central is not contacted\n" + plan);
        assertTrue(out.contains("update firewall 'monitoring-central'"), plan::toString);
        assertTrue(out.contains("    droplet_ids: 301 → 302"), "the central firewall moves to the new droplet\n" + plan);
        assertTrue(out.contains("restore prometheus-snapshot.tar.gz, grafana-data.tar.gz, caddy-data.tar.gz, alertmanager-data.tar.gz into the stack's volumes"), plan::toString);
        assertTrue(out.contains("Nothing was changed (--plan)."), plan::toString);
        assertEquals(writes, api.writes().size(), "the rehearsal writes nothing to the API");
        assertEquals("absent", fleet.exec("new-central", "test -e /opt/monitoring && echo present || echo absent").strip());
    }

    @Test
    void aDamagedBackupIsRefusedBeforeAnythingIsContacted() throws Exception {
        Path damaged = Files.createDirectories(dir.resolve("damaged"));
        Path b = fakeBackup(damaged);
        Files.writeString(b.resolve("grafana-data.tar.gz"), "not what was backed up");
        int requests = api.log().size();
        Rig r = rig(List.of("recover", "central", "--to", "new-central", "--plan", "--from-backup", b.toString()), null);
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("SHA256SUMS: does not match grafana-data.tar.gz: the backup is damaged"), r::toString);
        assertEquals(requests, api.log().size());
    }

    @Test
    void theNewCentralMustBeAnotherHostOfTheInventory() {
        Rig unknown = rig(List.of("recover", "central", "--to", "nowhere", "--plan", "--no-backup"), null);
        assertEquals(1, unknown.exit());
        assertTrue(unknown.err().contains("--to nowhere: is not in the inventory"), unknown::toString);
        Rig same = rig(List.of("recover", "central", "--to", "old-central", "--plan", "--no-backup"), null);
        assertTrue(same.err().contains("--to old-central: is central already"), same::toString);
        Rig silent = rig(List.of("recover", "central", "--to", "new-central", "--plan"), null);
        assertTrue(silent.err().contains("give --from-backup DIR"), "recovering without data must be asked for\n" + silent);
    }

    // ---- helpers ----

    static Rig rig(List<String> command, Path playbook) {
        List<String> args = new ArrayList<>(command);
        args.addAll(List.of("-i", inventory.toString(), "--known-hosts", fleet.knownHosts().toString(), "-e", "@" + secrets,
                "-e", ApiAccess.URL_VARIABLE + "=" + api.url(), "-e", ApiAccess.TOKEN_VARIABLE + "=" + DigitalOceanStandIn.TOKEN));
        if (playbook != null) args.add(playbook.toString());
        if (command.get(0).equals("recover")) args.addAll(List.of("--playbooks", PLAYBOOKS.toString()));
        Rig r = Rig.run(args);
        for (String secret : List.of(DigitalOceanStandIn.TOKEN, "recover-grafana-secret", "recover-push-secret")) {
            assertFalse(r.all().contains(secret), () -> "a secret was printed:\n" + r);
        }
        return r;
    }

    /** A backup in rig backup's layout (archives of small trees, SHA256SUMS, manifest). */
    static Path fakeBackup(Path root) throws IOException, InterruptedException {
        Path b = Files.createDirectories(root.resolve("20261125T120000Z"));
        Path src = Files.createDirectories(dir.resolve("backup-src/01ABCDEF-snap"));
        Files.writeString(src.resolve("meta.json"), "{}");
        sh(b, "tar -C " + src.getParent() + " -czf prometheus-snapshot.tar.gz 01ABCDEF-snap && tar -C " + src + " -czf grafana-data.tar.gz . "
                + "&& tar -C " + src + " -czf caddy-data.tar.gz . && tar -C " + src + " -czf alertmanager-data.tar.gz . "
                + "&& sha256sum prometheus-snapshot.tar.gz grafana-data.tar.gz caddy-data.tar.gz alertmanager-data.tar.gz > SHA256SUMS");
        Files.writeString(b.resolve("manifest.json"), "{\"central\": \"old-central\", \"prometheus_snapshot\": \"01ABCDEF-snap\"}\n");
        return b;
    }

    static void sh(Path cwd, String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, out);
    }
}

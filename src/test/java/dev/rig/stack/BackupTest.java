package dev.rig.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.lab.LabFleet;
import dev.rig.testkit.LabHosts;
import dev.rig.testkit.Rig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.rig.testkit.Steps.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rig backup central against a real sshd host running Debian's Prometheus (admin API on, data in the
 * host's private /srv) with Grafana's and Caddy's data directories beside it: the snapshot is taken
 * through an SSH forward, archived on the host, pulled over SFTP with checksums, and restores into a
 * Prometheus that answers for the backed-up time; rig recover restores it on another host. The hosts'
 * addresses come from {@link LabHosts}. The steps build on each other (backup, restore, keep, fail,
 * recover), so they are one test; a failure names its step.
 */
@Tag("integration")
class BackupTest {
    @RegisterExtension
    static final LabHosts lab = LabHosts.named("monitor-1", "monitor-2").group("central", "monitor-1").group("spare", "monitor-2");
    /** monitor-1's and monitor-2's addresses. */
    static String CENTRAL, SPARE;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @TempDir static Path dir;
    static LabFleet fleet;
    static Daemons daemons;
    static Process prometheus;
    static Path inventory;
    static Path backups;

    @BeforeAll
    static void startCentral() throws Exception {
        daemons = new Daemons(dir.resolve("logs"));
        fleet = lab.fleet();
        CENTRAL = lab.address("monitor-1");
        SPARE = lab.address("monitor-2");
        inventory = lab.inventory();
        Files.createDirectories(inventory.resolve("host_vars"));
        Files.writeString(inventory.resolve("host_vars/monitor-1.yml"), """
                private_ip: %s
                backup_prometheus_data_dir: /srv/prometheus
                backup_grafana_data_dir: /srv/grafana
                backup_caddy_data_dir: /srv/caddy
                backup_alertmanager_data_dir: /srv/alertmanager
                """.formatted(CENTRAL));
        Files.writeString(inventory.resolve("host_vars/monitor-2.yml"), """
                private_ip: %s
                backup_prometheus_data_dir: /srv/prometheus
                backup_grafana_data_dir: /srv/grafana
                backup_caddy_data_dir: /srv/caddy
                backup_alertmanager_data_dir: /srv/alertmanager
                """.formatted(SPARE));
        fleet.exec("monitor-1", "mkdir -p /srv/prometheus /srv/grafana/plugins /srv/caddy/certificates/local/" + CENTRAL
                + " && printf 'SQLite format 3 (a stand-in for grafana.db)' > /srv/grafana/grafana.db"
                + " && printf 'CERT' > /srv/caddy/certificates/local/" + CENTRAL + "/" + CENTRAL + ".crt"
                + " && mkdir -p /srv/alertmanager && printf 'a silence' > /srv/alertmanager/silences");
        Path config = Files.writeString(dir.resolve("prometheus.yml"), """
                global:
                  scrape_interval: 1s
                scrape_configs:
                  - job_name: self
                    static_configs:
                      - targets: ["%s:9090"]
                """.formatted(CENTRAL));
        prometheus = fleet.spawn("monitor-1", List.of("/usr/bin/prometheus", "--config.file=" + config, "--storage.tsdb.path=/srv/prometheus",
                "--web.enable-admin-api", "--web.listen-address=" + CENTRAL + ":9090"), dir.resolve("prometheus.log"));
        eventually(() -> count("http://" + CENTRAL + ":9090", "up{job=\"self\"}", null) > 0, "Prometheus scrapes itself");
        backups = dir.resolve("backups");
    }

    @AfterAll
    static void stop() {
        if (prometheus != null) prometheus.destroyForcibly();
        if (daemons != null) daemons.close();
    }

    @Test
    void backupRestoreAndRecover() {
        step("backup", BackupTest::aBackupIsCompleteCheckedAndLeavesNothingOnCentral);
        step("restore the snapshot", BackupTest::theSnapshotRestoresIntoAPrometheusThatAnswersForTheBackedUpTime);
        step("keep the newest", BackupTest::onlyTheNewestBackupsAreKept);
        step("failing snapshot", BackupTest::aBackupThatCannotSnapshotFailsClearlyAndAddsNothing);
        step("recover on the spare", BackupTest::recoverRestoresTheBackupOnTheNewHostOnceAndSaysWhatIsLeftToDo);
    }

    private static void aBackupIsCompleteCheckedAndLeavesNothingOnCentral() throws Exception {
        Instant before = Instant.now();
        Rig r = backup("--keep", "2");
        assertEquals(0, r.exit(), r::toString);
        List<Path> made = backupDirs();
        assertEquals(1, made.size(), made.toString());
        Path b = made.get(0);
        assertTrue(r.out().startsWith("Backup of central (monitor-1) in " + b + ": prometheus-snapshot.tar.gz"), r::toString);
        assertEquals(0, run(b, "sha256sum", "-c", "SHA256SUMS").exit(), "the sums file checks with sha256sum -c");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(b.resolve("caddy-data.tar.gz"))),
                "archives hold TLS private keys: the operator's only");
        JsonNode manifest = JSON.readTree(b.resolve("manifest.json").toFile());
        assertEquals("monitor-1", manifest.get("central").asText());
        assertEquals(4, manifest.get("files").size());
        assertTrue(run(b, "tar", "-tzf", "alertmanager-data.tar.gz").out().contains("./silences"));
        assertFalse(Instant.parse(manifest.get("time").asText()).isBefore(before.minusSeconds(1)));
        assertTrue(run(b, "tar", "-tzf", "grafana-data.tar.gz").out().contains("./grafana.db"));
        assertTrue(run(b, "tar", "-tzf", "caddy-data.tar.gz").out().contains("./certificates/local/" + CENTRAL + "/" + CENTRAL + ".crt"));
        assertEquals("", fleet.exec("monitor-1", "ls /srv/prometheus/snapshots").strip(), "the snapshot is removed from central once pulled");
        assertEquals("", fleet.exec("monitor-1", "ls -d /var/tmp/rig-backup.* 2>/dev/null || true").strip(), "no staging directory left");
        try (Stream<Path> s = Files.list(backups)) {
            assertTrue(s.noneMatch(p -> p.getFileName().toString().startsWith(".partial")), "no partial download left");
        }
    }

    private static void theSnapshotRestoresIntoAPrometheusThatAnswersForTheBackedUpTime() throws Exception {
        Path b = backupDirs().get(0);
        JsonNode manifest = JSON.readTree(b.resolve("manifest.json").toFile());
        Path restore = Files.createDirectories(dir.resolve("restore"));
        assertEquals(0, run(restore, "tar", "-xzf", b.resolve("prometheus-snapshot.tar.gz").toString()).exit());
        Path tsdb = restore.resolve(manifest.get("prometheus_snapshot").asText());
        Path empty = Files.writeString(dir.resolve("empty.yml"), "global: {}\n");
        Daemons.Daemon restored = daemons.start("restored", List.of("/usr/bin/prometheus", "--config.file=" + empty, "--storage.tsdb.path=" + tsdb,
                "--web.listen-address=" + SPARE + ":9090"));
        Daemons.awaitStart(restored, Duration.ofSeconds(30), () -> count("http://" + SPARE + ":9090", "vector(1)", null) > 0);
        long at = Instant.parse(manifest.get("time").asText()).getEpochSecond() + 1; // the snapshot was taken before the manifest time
        assertTrue(count("http://" + SPARE + ":9090", "up{job=\"self\"}", at) > 0, "samples from before the backup are in the restored TSDB\n" + restored.tail());
        restored.stop();
    }

    private static void onlyTheNewestBackupsAreKept() throws Exception {
        for (int i = 0; i < 2; i++) {
            Thread.sleep(1100); // backups are named by the second
            Rig r = backup("--keep", "2");
            assertEquals(0, r.exit(), r::toString);
            if (i == 1) assertTrue(r.out().contains("Removed 1 older backup (keeping 2)"), r::toString);
        }
        assertEquals(2, backupDirs().size());
    }

    private static void aBackupThatCannotSnapshotFailsClearlyAndAddsNothing() throws Exception {
        List<Path> before = backupDirs();
        prometheus.destroy();
        prometheus.waitFor(10, TimeUnit.SECONDS);
        Rig r = backup("--keep", "2");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("error: backup of central (monitor-1) failed: cannot reach Prometheus"), r::toString);
        assertEquals(before, backupDirs());
    }

    private static void recoverRestoresTheBackupOnTheNewHostOnceAndSaysWhatIsLeftToDo() throws Exception {
        // The spare host has no Docker daemon (no images can be pulled here): the restore runs for real, the
        // stack's deploy then fails, and recovery says so; its data is checked with a real Prometheus.
        Path newest = backupDirs().get(backupDirs().size() - 1);
        Rig r = recover();
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("backup " + newest.getFileName() + ": Prometheus blocks into /srv/prometheus; Grafana data into /srv/grafana; Caddy data into /srv/caddy; Alertmanager data into /srv/alertmanager"), r::toString);
        assertTrue(r.out().contains("RECOVERY FAILED: the deploy failed on some host (see above). Fix it and run the same command again"), r::toString);
        assertEquals("SQLite format 3 (a stand-in for grafana.db)", fleet.exec("monitor-2", "cat /srv/grafana/grafana.db"));
        assertEquals("a silence", fleet.exec("monitor-2", "cat /srv/alertmanager/silences"));
        assertEquals("CERT", fleet.exec("monitor-2", "cat /srv/caddy/certificates/local/" + CENTRAL + "/" + CENTRAL + ".crt"));
        assertEquals("", fleet.exec("monitor-2", "ls -d /var/tmp/rig-restore.* 2>/dev/null || true").strip(), "no staging directory left");
        Path empty = Files.writeString(dir.resolve("empty-spare.yml"), "global: {}\n");
        Process restored = fleet.spawn("monitor-2", List.of("/usr/bin/prometheus", "--config.file=" + empty, "--storage.tsdb.path=/srv/prometheus",
                "--web.listen-address=" + SPARE + ":9090"), dir.resolve("spare-prometheus.log"));
        try {
            eventually(() -> count("http://" + SPARE + ":9090", "vector(1)", null) > 0, "the restored Prometheus starts");
            long at = Instant.parse(JSON.readTree(newest.resolve("manifest.json").toFile()).get("time").asText()).getEpochSecond() + 1;
            assertTrue(count("http://" + SPARE + ":9090", "up{job=\"self\"}", at) > 0, "central's samples are on the new host");
        } finally {
            restored.destroy();
            restored.waitFor(10, TimeUnit.SECONDS);
        }
        Rig again = recover();
        assertTrue(again.out().contains("backup " + newest.getFileName() + ": was restored here before: nothing to do"), again::toString);
    }

    static Rig recover() {
        List<String> args = List.of("recover", "central", "--to", "monitor-2", "--from-backup", backups.toString(), "--skip-tags", "docker,firewall",
                "-i", inventory.toString(), "--known-hosts", fleet.knownHosts().toString(),
                "-e", "monitoring_domain=monitoring.example.com", "-e", "grafana_admin_password=restore-grafana-secret");
        return Rig.run(args);
    }

    // ---- helpers ----

    static Rig backup(String... more) {
        List<String> args = new ArrayList<>(List.of("backup", "central", "-i", inventory.toString(), "--known-hosts", fleet.knownHosts().toString(),
                "--to", backups.toString()));
        args.addAll(List.of(more));
        return Rig.run(args);
    }

    static List<Path> backupDirs() throws IOException {
        if (!Files.isDirectory(backups)) return List.of();
        try (Stream<Path> s = Files.list(backups)) {
            return s.filter(p -> p.getFileName().toString().matches("\\d{8}T\\d{6}Z")).sorted().toList();
        }
    }

    static Rig run(Path cwd, String... argv) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(argv).directory(cwd.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), String.join(" ", argv) + " took over 60 s");
        return new Rig(p.exitValue(), out, "");
    }

    /** Series in an instant query's answer (at a given unix time, or now); 0 when Prometheus does not answer. */
    static int count(String base, String promql, Long at) {
        try {
            String url = base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + (at == null ? "" : "&time=" + at);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()).path("data").path("result").size() : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    static void eventually(java.util.function.BooleanSupplier check, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!check.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + ": not within 60 s");
            Daemons.pause(250);
        }
    }
}

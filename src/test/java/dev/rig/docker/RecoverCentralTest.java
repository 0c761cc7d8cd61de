package dev.rig.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.digitalocean.DigitalOceanStandIn;
import dev.rig.lab.LabFleet;
import dev.rig.stack.GrafanaStandIn;
import dev.rig.stack.LokiPusher;
import dev.rig.stack.LokiStandIn;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static dev.rig.testkit.Steps.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Disaster recovery end to end. Central runs on mon-a, two edges ship to it, all under real Docker engines
 * (one per sshd host, host networking: no bridge addresses) deployed by rig apply playbooks/site.yml; a
 * backup is taken; mon-a dies (its containers and sshd gone); rig recover central --to mon-d brings the
 * stack up on mon-d with the backup restored, re-points both edges, moves the firewall, and rig verify
 * passes (the moment it says so is after each edge's first sample scraped since the start); a second run
 * changes nothing; an edge that cannot reach the new central leaves the recovery incomplete, without an RTO.
 *
 * <p>No registry here, so the images are made from Debian's binaries: Prometheus (central and the edge
 * agents), Caddy, node-exporter and Alertmanager are the real programs. Loki, Grafana, cAdvisor and Promtail have no
 * package: their containers are placeholders that only sleep, while the Loki and Grafana stand-ins
 * (contracts) answer on the new central's address, fed by a pusher per edge; the cadvisor scrape target
 * is the edge's node-exporter. This Docker refuses privileged containers and rslave mounts (the machine
 * is itself a container), so cAdvisor runs unprivileged and node-exporter's root mount is plain read-only.
 * The hosts' addresses come from {@link LabHosts}, plus one spare where nothing listens. The steps build on each other
 * (recover, check the data, recover again, break an edge), so they are one test; a failure names its step.
 */
@Tag("integration")
class RecoverCentralTest {
    static final Path PLAYBOOKS = Path.of("playbooks").toAbsolutePath();
    static final List<String> HOSTS = List.of("mon-a", "mon-d", "edge-1", "edge-2");
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @RegisterExtension
    static final LabHosts lab = LabHosts.named(HOSTS).group("central", "mon-a").group("spare", "mon-d").group("edge", "edge-1", "edge-2")
            .withSpareAddresses(1);
    /** mon-a's and mon-d's addresses. */
    static String A, D;

    @TempDir static Path dir;
    static LabFleet fleet;
    static final Map<String, DockerEngine> engines = new LinkedHashMap<>();
    static DigitalOceanStandIn api;
    static LokiStandIn loki;
    static LokiStandIn lokiOnA;
    static final int OUTAGE_SCRAPES = 10;
    static final Map<String, String> agentStartedAt = new LinkedHashMap<>();
    static GrafanaStandIn grafana;
    static final List<LokiPusher> pushers = new ArrayList<>();
    static final List<Path> madeDirs = new ArrayList<>();
    static Path inventory;
    static Path secrets;
    static Path backups;
    static Rig recovered;

    @BeforeAll
    static void centralOnMonAWithTwoEdges() throws Exception {
        // cAdvisor's container mounts these; a container machine may lack them (made here, removed afterwards).
        for (Path p : List.of(Path.of("/var/lib/docker"), Path.of("/dev/disk"))) {
            if (!Files.exists(p)) {
                Files.createDirectories(p);
                madeDirs.add(p);
            }
        }
        A = lab.address("mon-a");
        D = lab.address("mon-d");
        api = DigitalOceanStandIn.start();
        api.addDroplet(401, "mon-a", List.of(), "192.0.2.41", A);
        api.addDroplet(402, "mon-d", List.of(), "192.0.2.42", D);
        fleet = lab.fleet();
        Path images = buildImages();
        for (String host : HOSTS) {
            DockerEngine e = DockerEngine.start(fleet, host, dir.resolve("docker-" + host));
            engines.put(host, e);
            e.sh("for f in " + images + "/*.tar; do docker load -i \"$f\" >/dev/null; done");
        }
        inventory = writeInventory();
        secrets = Files.writeString(dir.resolve("secrets.yml"), "grafana_admin_password: dr-grafana-secret\nmonitoring_push_password: dr-push-secret\n");
        // Loki (a stand-in) on mon-a; each edge's shipper (a pusher) writes where its promtail.yaml and hosts file say.
        lokiOnA = LokiStandIn.start(A, 3100);
        for (String edge : List.of("edge-1", "edge-2")) {
            pushers.add(LokiPusher.start(lokiUrlOf(edge), Map.of("host", edge, "container", "app", "job", "test"), newLinesOf(edge), Duration.ofMillis(300),
                    null, null, null));
        }
        Rig deploy = rig(List.of("apply", "--yes", "--skip-tags", "docker"), PLAYBOOKS.resolve("site.yml"));
        assertEquals(0, deploy.exit(), deploy::toString);
        eventually(() -> series(A, "up{job=\"node\"} == 1") == 2, "both edges' agents write to mon-a");
        for (String edge : List.of("edge-1", "edge-2")) agentStartedAt.put(edge, startedAt(edge, "prometheus-agent"));
        // Grafana's state as a real one would leave it in its volume, for the backup to carry.
        engines.get("mon-a").sh("echo grafana-state-from-mon-a > \"$(docker volume inspect -f '{{.Mountpoint}}' monitoring-central_grafana-data)/grafana.db\"");
        backups = dir.resolve("backups");
        Rig backup = lab.rig("backup", "central", "-e", "@" + secrets, "--to", backups.toString(),
                PLAYBOOKS.resolve("site.yml").toString());
        assertEquals(0, backup.exit(), backup::toString);
    }

    @AfterAll
    static void stop() throws IOException {
        pushers.forEach(LokiPusher::stop);
        engines.values().forEach(DockerEngine::close);
        if (loki != null) loki.close();
        if (lokiOnA != null) lokiOnA.close();
        if (grafana != null) grafana.close();
        if (api != null) api.close();
        for (Path p : madeDirs) Files.deleteIfExists(p);
    }

    @Test
    void centralDiesAndIsRecoveredOnANewHost() {
        step("recover on mon-d", RecoverCentralTest::recoveryOnANewHostBringsTheStackUpRepointsTheEdgesAndPassesVerify);
        step("backup's data on mon-d", RecoverCentralTest::theBackupsDataIsOnTheNewCentral);
        step("second recovery", RecoverCentralTest::aSecondRecoveryChangesNothingAndSaysSoWithoutAnRto);
        step("unreachable edge", RecoverCentralTest::anEdgeThatCannotReachTheNewCentralLeavesTheRecoveryIncompleteWithoutAnRto);
    }

    private static void recoveryOnANewHostBringsTheStackUpRepointsTheEdgesAndPassesVerify() throws Exception {
        String datasources = fleet.exec("mon-a", "cat /opt/monitoring/central/grafana/provisioning/datasources/datasources.yaml");
        for (String edge : List.of("edge-1", "edge-2")) fleet.exec(edge, "echo before-outage-" + edge + " >> /srv/app.log");
        for (String edge : List.of("edge-1", "edge-2")) {
            eventually(() -> lokiOnA.lines(Map.of("host", edge)).contains("before-outage-" + edge), edge + "'s logs reach mon-a");
        }
        // mon-a dies: its containers, its sshd and its Loki are gone.
        long killedAt = Instant.now().getEpochSecond();
        engines.remove("mon-a").close();
        fleet.stop("mon-a");
        lokiOnA.close();
        // The outage: the edges keep scraping (every 2 s) and their applications keep logging.
        for (int i = 1; i <= OUTAGE_SCRAPES; i++) {
            for (String edge : List.of("edge-1", "edge-2")) fleet.exec(edge, "echo outage-" + edge + "-" + i + " >> /srv/app.log");
            Thread.sleep(2000);
        }
        // Loki and Grafana (stand-ins) answer on the new central's address.
        loki = LokiStandIn.start(D, 3100);
        grafana = GrafanaStandIn.start(D, 3000, "admin", "dr-grafana-secret", Files.writeString(dir.resolve("datasources.yaml"), datasources));
        long started = Instant.now().getEpochSecond();
        recovered = recover();
        assertEquals(0, recovered.exit(), recovered::toString);
        assertTrue(recovered.out().matches("(?s).*RTO \\d+(m\\d+)?s: central recovered on mon-d, from the start to a sample scraped after it from every edge, verified\\..*"),
                recovered::toString);
        assertTrue(recovered.out().contains("Prometheus blocks into"), recovered::toString);
        recovered.out().lines().filter(l -> l.startsWith("RTO ")).forEach(System.out::println); // the figure the README quotes
        // --within 10m makes the restored samples fresh; success still waited for each edge's samples scraped after the start:
        // the moment recover declared success (its start + the RTO it printed) is no earlier than each edge's first sample
        // scraped after the start (by the scrape's own timestamp, on the new central).
        java.util.regex.Matcher rto = java.util.regex.Pattern.compile("RTO (?:(\\d+)m)?(\\d+)s:").matcher(recovered.out());
        assertTrue(rto.find(), recovered::toString);
        long declared = started + (rto.group(1) == null ? 0 : 60L * Integer.parseInt(rto.group(1))) + Integer.parseInt(rto.group(2));
        long window = Instant.now().getEpochSecond() - started + 5;
        for (String edge : List.of("edge-1", "edge-2")) {
            double first = value(D, "min_over_time((timestamp(up{job=\"node\",host=\"" + edge + "\"}) >= " + started + ")[" + window + "s:1s])",
                    Instant.now().getEpochSecond());
            System.out.printf("%s: first sample scraped after the start at +%.1f s; recover declared success at +%d s%n", edge, first - started, declared - started);
            // the RTO is printed in whole seconds, rounded: one second of slack
            assertTrue(first <= declared + 1, edge + ": recover declared success at " + declared + ", before its first post-start sample (" + first + ")\n" + recovered);
        }
        // A summary per host and step; every task and diff in the file it names.
        assertTrue(recovered.out().matches("(?s).*\\n  mon-d\\s+new central\\s+\\d+ changed: .*"), recovered::toString);
        assertTrue(recovered.out().matches("(?s).*\\n  localhost\\s+firewalls\\s+\\d+ changed: .*"), recovered::toString);
        assertFalse(recovered.out().contains("+++ "), "no diffs without --diff\n" + recovered);
        java.util.regex.Matcher report = java.util.regex.Pattern.compile("Every task and full diff: (\\S+)").matcher(recovered.out());
        assertTrue(report.find(), recovered::toString);
        String full = Files.readString(Path.of(report.group(1)));
        assertTrue(full.contains("+++ ") && full.contains("hosts.json"), full);
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(Path.of(report.group(1)))));
        for (String secret : List.of(DigitalOceanStandIn.TOKEN, "dr-grafana-secret", "dr-push-secret")) assertFalse(full.contains(secret), "a secret in the report file");
        Files.delete(Path.of(report.group(1)));
        // the stack runs on mon-d
        String ps = engines.get("mon-d").containers("monitoring-central");
        for (String svc : List.of("caddy", "grafana", "loki", "prometheus")) assertTrue(ps.matches("(?s).*" + svc + " \\S+ running.*"), ps);
        // both edges now resolve central's name to mon-d; their configs did not change and their agents were not restarted
        for (String edge : List.of("edge-1", "edge-2")) {
            String hosts = fleet.exec(edge, "cat /opt/monitoring/edge/hosts");
            assertTrue(hosts.contains(D + "\tmonitoring-central") && !hosts.contains(A), edge + ":\n" + hosts);
            String agent = fleet.exec(edge, "cat /opt/monitoring/edge/prometheus/agent.yml");
            assertTrue(agent.contains("http://monitoring-central:9090/api/v1/write"), edge + ":\n" + agent);
            assertEquals(agentStartedAt.get(edge), startedAt(edge, "prometheus-agent"), () -> edge + "'s agent was restarted: its buffer would be lost\n"
                    + engines.get(edge).sh("docker ps -a; docker logs --tail 20 $(docker ps -aq --filter label=com.docker.compose.service=prometheus-agent) 2>&1")
                    + "\n" + full.lines().filter(l -> l.contains("[" + edge + "]") || l.startsWith("    ")).limit(200).reduce("", (x, y) -> x + y + "\n"));
        }
        // What the edges scraped while central was away reached the new central: node samples every 2 s over the outage.
        long outage = started - killedAt;
        for (String edge : List.of("edge-1", "edge-2")) {
            double samples = value(D, "count_over_time(up{job=\"node\",host=\"" + edge + "\"}[" + outage + "s])", started);
            System.out.printf("outage %d s: %s's node samples on the new central: %.0f (one per 2 s: %d)%n", outage, edge, samples, outage / 2);
            assertTrue(samples >= outage / 2 - 2, edge + ": " + samples + " node samples over the " + outage + " s outage, scraped every 2 s");
        }
        // and every line logged during the outage arrived once; the line mon-a had already taken is not sent again.
        for (String edge : List.of("edge-1", "edge-2")) {
            List<String> lines = loki.lines(Map.of("host", edge));
            for (int i = 1; i <= OUTAGE_SCRAPES; i++) {
                String line = "outage-" + edge + "-" + i;
                assertEquals(1, lines.stream().filter(line::equals).count(), line + " on the new central:\n" + lines);
            }
            assertFalse(lines.contains("before-outage-" + edge), "sent again:\n" + lines);
        }
        // the central firewall covers the new droplet
        JsonNode central = api.firewalls().stream().filter(f -> f.get("name").asText().equals("monitoring-central")).findFirst().orElseThrow();
        assertEquals("[402]", central.get("droplet_ids").toString());
    }

    private static void theBackupsDataIsOnTheNewCentral() throws Exception {
        Path newest;
        try (Stream<Path> s = Files.list(backups)) {
            newest = s.filter(p -> p.getFileName().toString().matches("\\d{8}T\\d{6}Z")).max(Path::compareTo).orElseThrow();
        }
        long at = Instant.parse(JSON.readTree(newest.resolve("manifest.json").toFile()).get("time").asText()).getEpochSecond();
        assertEquals(2, series(D, "up{job=\"node\"}", at), "mon-a's samples from before the backup answer on mon-d");
        assertEquals("grafana-state-from-mon-a", engines.get("mon-d").sh(
                "cat \"$(docker volume inspect -f '{{.Mountpoint}}' monitoring-central_grafana-data)/grafana.db\"").strip());
        assertTrue(fleet.exec("mon-d", "ls /opt/monitoring/central/grafana/dashboards").contains("hosts.json"), "the provisioned dashboards");
    }

    private static void aSecondRecoveryChangesNothingAndSaysSoWithoutAnRto() {
        Rig again = recoverSkipping("docker,firewall", "--diff");
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.out().contains("was restored here before: nothing to do"), again::toString);
        for (String host : List.of("mon-d", "edge-1", "edge-2")) {
            assertTrue(again.out().matches("(?s).*\\n  " + host + "\\s+(new central|edge)\\s+up to date\\n.*"), host + "\n" + again);
        }
        assertFalse(again.out().matches("(?s).*localhost\\s+firewalls\\s+(up to date|\\d+ changed).*"), "skipped firewalls are not reported as converged\n" + again);
        assertFalse(again.out().contains("RTO"), again::toString);
        assertTrue(again.out().contains("Nothing to recover: central already runs on mon-d"), again::toString);
        assertTrue(again.out().contains("RECAP"), "--diff prints the engine's report\n" + again);
    }

    private static void anEdgeThatCannotReachTheNewCentralLeavesTheRecoveryIncompleteWithoutAnRto() throws IOException {
        // edge-2 is re-pointed at an address where nothing listens: its samples never reach mon-d.
        Path vars = lab.inventory().resolve("host_vars/edge-2.yml");
        Files.writeString(vars, Files.readString(vars) + "monitoring_central_address: " + lab.spareAddress(0) + "\n");
        Rig broken = rig(List.of("recover", "central", "--to", "mon-d", "--from-backup", backups.toString(), "--skip-tags", "docker,firewall",
                "--playbooks", PLAYBOOKS.toString(), "--within", "10m", "--log-timeout", "5s", "--verify-timeout", "15s"), null);
        assertEquals(2, broken.exit(), broken::toString);
        assertTrue(broken.out().contains("RECOVERY INCOMPLETE: central runs on mon-d but rig verify still fails"), broken::toString);
        assertFalse(broken.out().contains("RTO"), "no recovery time for a recovery that did not finish\n" + broken);
        // The hosts file is read anew for each new connection: the log shipper's next push goes to the dead address. (The
        // agent's open keep-alive connection to mon-d may carry its samples a while longer; after a real failure there is
        // no such connection.) Either way edge-2's row is not all ok, and edge-1's metrics still arrive.
        String edge2 = broken.out().lines().filter(l -> l.startsWith("edge-2 ")).findFirst().orElse("");
        assertTrue(edge2.contains("stale") || edge2.contains("missing"), broken::toString);
        assertTrue(broken.out().matches("(?s).*\\nedge-1\\s+(-\\s+){4}ok\\s.*"), "edge-1 still reaches it\n" + broken);
    }

    // ---- the fleet ----

    static Rig recover(String... more) {
        return recoverSkipping("docker", more);
    }

    static Rig recoverSkipping(String skipTags, String... more) {
        List<String> args = new ArrayList<>(List.of("recover", "central", "--to", "mon-d", "--from-backup", backups.toString(), "--skip-tags", skipTags,
                "--playbooks", PLAYBOOKS.toString(), "--within", "10m", "--log-timeout", "20s", "--verify-timeout", "3m"));
        args.addAll(List.of(more));
        return rig(args, null);
    }

    static Path writeInventory() throws IOException {
        Path inv = lab.inventory();
        Files.createDirectories(inv.resolve("host_vars"));
        Files.createDirectories(inv.resolve("group_vars"));
        Files.writeString(inv.resolve("host_vars/mon-a.yml"), "private_ip: " + A + "\ndo_id: 401\ncaddy_bind: " + A + "\n");
        Files.writeString(inv.resolve("host_vars/mon-d.yml"), "private_ip: " + D + "\ndo_id: 402\ncaddy_bind: " + D + "\n");
        for (String edge : List.of("edge-1", "edge-2")) Files.writeString(inv.resolve("host_vars/" + edge + ".yml"), "private_ip: " + lab.address(edge) + "\n");
        Files.writeString(inv.resolve("group_vars/all.yml"), """
                monitoring_network_mode: host
                # the name follows central, as DNS would after the operator moves it
                monitoring_domain: "${hostvars[groups.central[0]].private_ip}"
                monitoring_verify_grafana_url: "http://${hostvars[groups.central[0]].private_ip}:3000"
                caddy_tls: internal
                caddy_admin: "off"
                operator_cidrs: ["203.0.113.7/32"]
                monitoring_edge_inbound_rules: []
                docker_install_source: distro
                prometheus_image: local/prometheus:2.42
                edge_prometheus_image: local/prometheus:2.42
                caddy_image: local/caddy:2.6
                edge_node_exporter_image: local/node-exporter:1.5
                loki_image: local/placeholder:1
                grafana_image: local/placeholder:1
                edge_cadvisor_image: local/placeholder:1
                edge_promtail_image: local/placeholder:1
                edge_alloy_image: local/placeholder:1
                alertmanager_image: local/alertmanager:0.25
                blackbox_exporter_image: local/placeholder:1
                edge_cadvisor_privileged: false
                edge_node_exporter_rootfs_propagation: ""
                edge_cadvisor_target: "${monitoring_edge_bind}:9100"
                edge_node_scrape_interval: 2s
                edge_cadvisor_scrape_interval: 2s
                monitoring_log_canary_command: 'echo "$RIG_CANARY" >> /srv/app.log'
                edge_log_agent: promtail
                """);
        return inv;
    }

    /** docker save tarballs of images made from this machine's binaries (their libraries by ldd) plus busybox. */
    static Path buildImages() throws IOException, InterruptedException {
        Path out = Files.createDirectories(dir.resolve("images"));
        DockerEngine builder = DockerEngine.start(fleet, "mon-a", dir.resolve("docker-builder"));
        try {
            image(builder, "local/prometheus:2.42", "/usr/bin/prometheus", "ENTRYPOINT [\"/usr/bin/prometheus\"]");
            image(builder, "local/node-exporter:1.5", "/usr/bin/prometheus-node-exporter", "ENTRYPOINT [\"/usr/bin/prometheus-node-exporter\"]");
            image(builder, "local/caddy:2.6", "/usr/bin/caddy", "ENV XDG_DATA_HOME=/data XDG_CONFIG_HOME=/config",
                    "ENTRYPOINT [\"/usr/bin/caddy\"]", "CMD [\"run\", \"--config\", \"/etc/caddy/Caddyfile\", \"--adapter\", \"caddyfile\"]");
            // rig verify checks Alertmanager (ready, configuration, receivers): the real one, as recover's verification needs it
            // (Debian's build reads its notification templates from /usr/share/prometheus/alertmanager)
            image(builder, "local/alertmanager:0.25", "/usr/bin/prometheus-alertmanager /usr/share/prometheus/alertmanager",
                    "ENTRYPOINT [\"/usr/bin/prometheus-alertmanager\"]");
            image(builder, "local/placeholder:1", null, "ENTRYPOINT [\"/bin/sh\", \"-c\", \"exec sleep 2147483647\", \"placeholder\"]");
            builder.sh("for t in local/prometheus:2.42 local/node-exporter:1.5 local/caddy:2.6 local/alertmanager:0.25 local/placeholder:1; do docker save \"$t\" -o "
                    + out + "/$(echo $t | tr '/:' '__').tar; done");
        } finally {
            builder.close();
        }
        return out;
    }

    /** binary: the program (its libraries found by ldd), optionally followed by further paths it needs, space-separated. */
    static void image(DockerEngine e, String tag, String binary, String... changes) {
        StringBuilder s = new StringBuilder("set -e; d=$(mktemp -d); mkdir -p \"$d/bin\" \"$d/tmp\" \"$d/etc\" \"$d/usr/bin\"; cp /bin/busybox \"$d/bin/\";"
                + " for c in sh sleep wget cat; do ln -s busybox \"$d/bin/$c\"; done;"
                // as in the official images: names from /etc/hosts first (no DNS query for a name it holds)
                + " printf 'hosts: files dns\\n' > \"$d/etc/nsswitch.conf\";"
                + " printf 'root:x:0:0::/:/bin/sh\\nnobody:x:65534:65534::/:/bin/sh\\n' > \"$d/etc/passwd\";");
        if (binary != null && binary.contains(" ")) {
            // further paths the program needs besides its binary, copied as they are
            for (String extra : binary.substring(binary.indexOf(' ') + 1).split(" ")) {
                s.append(" mkdir -p \"$d$(dirname ").append(extra).append(")\"; cp -a ").append(extra).append(" \"$d").append(extra).append("\";");
            }
            binary = binary.substring(0, binary.indexOf(' '));
        }
        if (binary != null) {
            s.append(" cp ").append(binary).append(" \"$d").append(binary).append("\";")
                    .append(" for l in $(ldd ").append(binary).append(" | grep -o '/[^ ]*'); do mkdir -p \"$d$(dirname $l)\"; cp -L \"$l\" \"$d$l\"; done;");
        }
        s.append(" tar -C \"$d\" -c . | docker import");
        for (String c : changes) s.append(" -c '").append(c).append("'");
        s.append(" - ").append(tag).append(" >/dev/null; rm -rf \"$d\"");
        e.sh(s.toString());
    }

    /**
     * Where the edge's log shipper pushes: the client URL of its rendered promtail.yaml, its host name resolved through the
     * edge's hosts file (its container's /etc/hosts), asked again before every push as Promtail dials anew.
     */
    static Supplier<String> lokiUrlOf(String edge) {
        return () -> {
            String config = fleet.exec(edge, "cat /opt/monitoring/edge/promtail/promtail.yaml");
            java.util.regex.Matcher url = java.util.regex.Pattern.compile("url: \"http://([^:/\"]+):(\\d+)/loki/api/v1/push\"").matcher(config);
            if (!url.find()) throw new IllegalStateException("no client url in " + edge + "'s promtail.yaml:\n" + config);
            java.util.regex.Matcher entry = java.util.regex.Pattern.compile("(?m)^(\\S+)\\s(.*\\s)?" + java.util.regex.Pattern.quote(url.group(1)) + "(\\s|$)")
                    .matcher(fleet.exec(edge, "cat /opt/monitoring/edge/hosts"));
            return "http://" + (entry.find() ? entry.group(1) : url.group(1)) + ":" + url.group(2);
        };
    }

    /** When the edge's container of a compose service last started. */
    static String startedAt(String edge, String service) {
        return engines.get(edge).sh("docker inspect -f '{{.State.StartedAt}}' $(docker ps -aq --filter label=com.docker.compose.project=monitoring-edge"
                + " --filter label=com.docker.compose.service=" + service + ")").strip();
    }

    /** The lines appended to /srv/app.log on the host (where rig's canary command writes) since the last call. */
    static Supplier<List<String>> newLinesOf(String host) {
        return LokiPusher.appendedLines(() -> fleet.exec(host, "cat /srv/app.log 2>/dev/null || true"));
    }

    // ---- helpers ----

    /** rig with the test's inventory, known_hosts, secrets and the API stand-in; no secret may appear in what it printed. */
    static Rig rig(List<String> command, Path playbook) {
        List<String> more = new ArrayList<>(command.subList(1, command.size()));
        more.addAll(List.of("-e", "@" + secrets, "-e", "digitalocean_api_url=" + api.url(), "-e", "digitalocean_token=" + DigitalOceanStandIn.TOKEN));
        if (playbook != null) more.add(playbook.toString());
        Rig r = lab.rig(command.get(0), more.toArray(String[]::new));
        for (String secret : List.of(DigitalOceanStandIn.TOKEN, "dr-grafana-secret", "dr-push-secret")) {
            assertFalse(r.all().contains(secret), () -> "a secret was printed:\n" + r);
        }
        return r;
    }

    static int series(String prometheus, String promql) {
        return series(prometheus, promql, null);
    }

    /** The value of the query's first series, NaN when there is none. */
    static double value(String prometheus, String promql, long at) {
        try {
            String url = "http://" + prometheus + ":9090/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + at;
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            JsonNode result = JSON.readTree(r.body()).path("data").path("result");
            return result.isEmpty() ? Double.NaN : Double.parseDouble(result.get(0).path("value").path(1).asText());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
    }

    static int series(String prometheus, String promql, Long at) {
        try {
            String url = "http://" + prometheus + ":9090/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + (at == null ? "" : "&time=" + at);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()).path("data").path("result").size() : 0;
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    static void eventually(BooleanSupplier check, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!check.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                StringBuilder logs = new StringBuilder();
                engines.forEach((h, e) -> logs.append("--- ").append(h).append('\n').append(e.sh("docker ps -a --format '{{.Names}} {{.Status}}'; for c in $(docker ps -aq); do docker logs --tail 5 $c 2>&1; done")));
                throw new AssertionError(what + ": not within 90 s\n" + logs);
            }
            Thread.sleep(500);
        }
    }
}

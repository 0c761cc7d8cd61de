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
import org.w3c.dom.Document;

import javax.xml.parsers.DocumentBuilderFactory;
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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static dev.rig.testkit.Steps.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rig verify against a live pipeline: real central Prometheus (remote-write receiver, the rendered
 * config) and on two real sshd hosts real Prometheus agents (the rendered agent configs) with real
 * node-exporters, remote-writing to it; a Loki stand-in (contracts/loki) fed by a pusher per edge that
 * ships what rig's canary command appends on that host; a Grafana stand-in serving the rendered
 * datasource provisioning; real Caddy with the rendered basic auth for the HTTPS path. cAdvisor has no
 * package: a second node-exporter per edge answers its scrape target, so the cadvisor job's up is real.
 * The hosts' addresses come from {@link LabHosts}, with two spares for Caddy and the webhook receiver.
 * The steps change the pipeline as they go (an agent stopped, a pusher stopped, central gone), so they
 * are one test that runs them in order; a failure names its step.
 */
@Tag("integration")
class VerifyEndToEndTest {
    static final Path SITE = Path.of("playbooks/site.yml").toAbsolutePath();
    static final List<String> EDGES = List.of("edge-a", "edge-b");
    @RegisterExtension
    static final LabHosts lab = LabHosts.named("central", "edge-a", "edge-b").group("central", "central").group("edge", "edge-a", "edge-b")
            .withSpareAddresses(2);
    /** central's address, Caddy's and the webhook receiver's (the spares). */
    static String CENTRAL, CADDY, HOOK;
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @TempDir static Path dir;
    static LabFleet fleet;
    static Daemons daemons;
    static LokiStandIn loki;
    /** Alertmanager's webhook receiver (the inventory's alertmanager_receivers), for --fire-test. */
    static AlertWebhookReceiver hook;
    static GrafanaStandIn grafana;
    static final Map<String, LokiPusher> pushers = new HashMap<>();
    static final Map<String, Daemons.Daemon> agents = new HashMap<>();
    static Path inventory;
    static Path secrets;
    static Path caVars;

    @BeforeAll
    static void startThePipeline() throws Exception {
        CENTRAL = lab.address("central");
        CADDY = lab.spareAddress(0);
        HOOK = lab.spareAddress(1);
        daemons = new Daemons(dir.resolve("logs"));
        hook = new AlertWebhookReceiver(HOOK, 9099);
        fleet = lab.fleet();
        inventory = writeInventory();
        secrets = Files.writeString(dir.resolve("secrets.yml"), "grafana_admin_password: verify-grafana-secret\nmonitoring_push_password: verify-push-secret\n");

        Path central = render("central", dir.resolve("render-central"), "-e", "monitoring_verify_via=https").resolve("central/opt/monitoring/central");
        startCaddy(central.resolve("caddy/Caddyfile"));
        AlertDeliveryTest.startAlertmanager(daemons, central, Files.createDirectories(dir.resolve("alertmanager")), CENTRAL);
        Path tsdb = Files.createDirectories(dir.resolve("tsdb"));
        Daemons.Daemon prometheus = daemons.start("central-prometheus", List.of("/usr/bin/prometheus", "--config.file=" + central.resolve("prometheus/prometheus.yml"),
                "--web.enable-remote-write-receiver", "--storage.tsdb.path=" + tsdb, "--web.listen-address=" + CENTRAL + ":9090"));
        Daemons.awaitStart(prometheus, Duration.ofSeconds(30), () -> status("http://" + CENTRAL + ":9090/-/ready") == 200);
        loki = LokiStandIn.start(CENTRAL, 3100);
        grafana = GrafanaStandIn.start(CENTRAL, 3000, "admin", "verify-grafana-secret", central.resolve("grafana/provisioning/datasources/datasources.yaml"));

        Path edges = render("edge", dir.resolve("render-edges"));
        for (int i = 0; i < EDGES.size(); i++) {
            String host = EDGES.get(i);
            String ip = lab.address(EDGES.get(i));
            for (String port : List.of("9100", "9101")) {
                Daemons.Daemon exporter = daemons.start("node-exporter-" + host + "-" + port, List.of("/usr/bin/prometheus-node-exporter",
                        "--web.listen-address=" + ip + ":" + port, "--collector.disable-defaults", "--collector.loadavg", "--collector.meminfo"));
                Daemons.awaitStart(exporter, Duration.ofSeconds(20), () -> status("http://" + ip + ":" + port + "/metrics") == 200);
            }
            agents.put(host, startAgent(host, ip, edges.resolve(host + "/opt/monitoring/edge/prometheus/agent.yml")));
            pushers.put(host, LokiPusher.start(loki.url(), Map.of("host", host, "container", "app", "job", "test"), newLinesOf(host), Duration.ofMillis(300)));
        }
        for (String host : EDGES) {
            eventually(() -> series("up{host=\"" + host + "\",job=\"node\"} == 1") > 0 && series("up{host=\"" + host + "\",job=\"cadvisor\"} == 1") > 0,
                    host + "'s agent remote-writes to central");
        }
    }

    @AfterAll
    static void stopThePipeline() {
        pushers.values().forEach(LokiPusher::stop);
        if (daemons != null) daemons.close();
        if (loki != null) loki.close();
        if (grafana != null) grafana.close();
        if (hook != null) hook.close();
    }

    @Test
    void verifyThroughThePipelineAsItBreaks() {
        step("all ok, with reports", VerifyEndToEndTest::everySignalIsOkThroughAnSshForwardAndTheReportsSayTheSame);
        step("json", VerifyEndToEndTest::jsonIsOneObjectPerHostAndSignal);
        step("through Caddy", VerifyEndToEndTest::throughCaddyWithThePushCredentials);
        step("wrong credentials", VerifyEndToEndTest::wrongCredentialsAreAClearErrorNotMissingData);
        step("apply --verify", VerifyEndToEndTest::applyWithVerifyChecksTheFlowAfterConverging);
        step("stopped agent", VerifyEndToEndTest::aStoppedAgentTurnsItsHostStaleAndTheOtherStaysOk);
        step("samples before the moment", VerifyEndToEndTest::samplesScrapedBeforeTheGivenMomentDoNotCountWhateverWithinSays);
        step("stopped logs", VerifyEndToEndTest::logsThatStopArrivingAreMissingWithTheNewestLineAge);
        step("fire test", VerifyEndToEndTest::aFireTestReachesTheWebhookReceiverAndIsResolved);
        step("refusing receiver", VerifyEndToEndTest::aReceiverThatRefusesTheFireTestIsAnError);
        step("missing receiver", VerifyEndToEndTest::anAlertmanagerWithoutTheInventorysReceiversIsMissing);
        step("central gone", VerifyEndToEndTest::withCentralGoneEveryEdgeIsListedAsUnknown);
    }

    private static void everySignalIsOkThroughAnSshForwardAndTheReportsSayTheSame() throws Exception {
        Path junit = dir.resolve("verify.xml");
        Path metrics = dir.resolve("verify.prom");
        Rig r = rig("verify", "--within", "20s", "--log-timeout", "20s", "--junit", junit.toString(), "--metrics-file", metrics.toString());
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().matches("(?s)HOST\\s+PROMETHEUS\\s+LOKI\\s+GRAFANA\\s+ALERTMANAGER\\s+METRICS\\s+AGENT\\s+LOGS.*"), r::toString);
        assertTrue(r.out().contains("10 of 10 signals ok, 3 hosts"), r::toString);
        Document xml = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile());
        var suite = xml.getDocumentElement().getElementsByTagName("testsuite").item(0).getAttributes();
        assertEquals("10", suite.getNamedItem("tests").getNodeValue());
        assertEquals("0", suite.getNamedItem("failures").getNodeValue());
        assertEquals("0", suite.getNamedItem("errors").getNodeValue());
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectInput(metrics.toFile()).redirectErrorStream(true).start();
        String lint = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(promtool.waitFor(30, TimeUnit.SECONDS) && promtool.exitValue() == 0, lint);
        assertTrue(Files.readString(metrics).contains("rig_verify_ok{host=\"edge-b\",signal=\"logs\",status=\"ok\"} 1"), Files.readString(metrics));
        // The canaries were written on the hosts, over SSH, and shipped from there.
        for (String host : EDGES) assertTrue(fleet.exec(host, "cat /srv/app.log").contains("rig-verify-canary-"), host);
    }

    private static void jsonIsOneObjectPerHostAndSignal() throws Exception {
        Rig r = rig("verify", "--json", "--within", "20s", "--log-timeout", "20s");
        assertEquals(0, r.exit(), r::toString);
        List<String> lines = r.out().lines().toList();
        assertEquals(10, lines.size(), r::toString);
        for (String line : lines) {
            JsonNode o = JSON.readTree(line);
            assertEquals("ok", o.get("status").asText(), line);
            assertTrue(o.has("host") && o.has("signal") && o.has("detail"), line);
        }
    }

    private static void throughCaddyWithThePushCredentials() {
        Rig r = rig("verify", "--json", "--within", "20s", "--log-timeout", "20s", "-e", "monitoring_verify_via=https", "-e", "@" + caVars,
                "-e", "monitoring_verify_grafana_url=https://" + CADDY);
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("\"detail\":\"ready (https://" + CADDY + ")\""), r::toString);
        assertEquals(10, r.out().lines().filter(l -> l.contains("\"status\":\"ok\"")).count(), r::toString);
    }

    private static void wrongCredentialsAreAClearErrorNotMissingData() {
        Rig r = rig("verify", "--within", "20s", "--log-timeout", "5s", "-e", "monitoring_verify_via=https", "-e", "@" + caVars,
                "-e", "monitoring_verify_grafana_url=https://" + CADDY, "-e", "monitoring_push_password=not-the-push-secret");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("refused the credentials (401)"), r::toString);
        assertFalse(r.out().contains("missing"), "a refused login is not missing data:\n" + r);
        assertFalse(r.all().contains("not-the-push-secret"), "the password is masked");
    }

    private static void applyWithVerifyChecksTheFlowAfterConverging() throws IOException {
        Path playbooks = Files.createDirectories(dir.resolve("deploy"));
        Files.createSymbolicLink(playbooks.resolve("roles"), SITE.getParent().resolve("roles"));
        Path deploy = Files.writeString(playbooks.resolve("deploy.yml"), """
                - hosts: edge
                  roles: [monitoring_common]
                  tasks:
                    - copy: {dest: /srv/deployed, content: "ok\\n"}
                """);
        Rig r = rig(deploy, "apply", "--yes", "--verify", "--within", "20s", "--log-timeout", "20s");
        assertEquals(0, r.exit(), r::toString);
        assertTrue(r.out().contains("VERIFY") && r.out().contains("10 of 10 signals ok"), r::toString);
    }

    private static void aStoppedAgentTurnsItsHostStaleAndTheOtherStaysOk() throws IOException {
        agents.get("edge-b").stop();
        Daemons.pause(7000); // longer than --within 5s: edge-b's newest samples age past it, edge-a's keep coming every 2 s
        Rig r = rig("verify", "--json", "--within", "5s", "--log-timeout", "10s");
        assertEquals(2, r.exit(), r::toString);
        Map<String, String> status = statuses(r.out());
        assertEquals("stale", status.get("edge-b/metrics"), r::toString);
        assertEquals("stale", status.get("edge-b/agent"), r::toString);
        assertEquals("ok", status.get("edge-a/metrics"), r::toString);
        assertEquals("ok", status.get("edge-a/agent"), r::toString);
        assertEquals("ok", status.get("edge-b/logs"), "logs do not go through the agent");
        // and a deploy that ends there fails
        Path deploy = dir.resolve("deploy/deploy.yml");
        assertEquals(2, rig(deploy, "apply", "--yes", "--verify", "--within", "5s", "--log-timeout", "10s", "--verify-timeout", "0s").exit());
    }

    private static void samplesScrapedBeforeTheGivenMomentDoNotCountWhateverWithinSays() {
        // rig recover's rule: edge-b's samples are seconds old (well within 10m) but from before the moment; edge-a's keep coming.
        Instant moment = Instant.now();
        Daemons.pause(4000);
        Verifier.Central central = new Verifier.Central("central", new CentralHttp("Prometheus", "http://" + CENTRAL + ":9090", Optional.empty(), Optional.empty(), Optional.empty()),
                new CentralHttp("Loki", loki.url(), Optional.empty(), Optional.empty(), Optional.empty()), "/ready",
                new CentralHttp("Grafana", "http://" + CENTRAL + ":3000", Optional.of("admin"), Optional.of("verify-grafana-secret"), Optional.empty()),
                new java.util.LinkedHashSet<>(List.of("prometheus", "loki")),
                new CentralHttp("Alertmanager", "http://" + CENTRAL + ":9093/alertmanager", Optional.empty(), Optional.empty(), Optional.empty()), List.of("hook"));
        List<Verifier.Edge> edges = EDGES.stream().map(h -> new Verifier.Edge(h, h, false)).toList();
        Verifier.CanaryWriter canaries = (host, canary) -> fleet.exec(host, "echo " + canary + " >> /srv/app.log");
        Map<String, Check> before = byHostAndSignal(new Verifier(central, canaries, Duration.ofMinutes(10), Duration.ofSeconds(10)).run(edges));
        assertEquals(Health.OK, before.get("edge-b/metrics").health(), "without the moment, 10m makes edge-b's old samples fresh: " + before);
        Map<String, Check> after = byHostAndSignal(new Verifier(central, canaries, Duration.ofMinutes(10), Duration.ofSeconds(10), Optional.of(moment)).run(edges));
        assertEquals(Health.STALE, after.get("edge-b/metrics").health(), after::toString);
        assertTrue(after.get("edge-b/metrics").detail().contains("scraped before " + moment), after::toString);
        assertEquals(Health.STALE, after.get("edge-b/agent").health(), after::toString);
        assertEquals(Health.OK, after.get("edge-a/metrics").health(), after::toString);
        assertEquals(Health.OK, after.get("edge-a/agent").health(), after::toString);
    }

    static Map<String, Check> byHostAndSignal(List<Check> checks) {
        Map<String, Check> out = new HashMap<>();
        for (Check c : checks) out.put(c.host() + "/" + c.signal(), c);
        return out;
    }

    private static void logsThatStopArrivingAreMissingWithTheNewestLineAge() throws IOException {
        pushers.get("edge-a").stop();
        Rig r = rig("verify", "--json", "--within", "5s", "--log-timeout", "3s", "-l", "edge-a");
        assertEquals(2, r.exit(), r::toString);
        Map<String, String> status = statuses(r.out());
        assertEquals("missing", status.get("edge-a/logs"), r::toString);
        assertTrue(r.out().contains("canary not in Loki after 3s; newest line"), r::toString);
        assertFalse(status.containsKey("edge-b/logs"), "--limit narrows the edges checked");
    }

    private static void aFireTestReachesTheWebhookReceiverAndIsResolved() throws IOException {
        Rig r = rig("verify", "--json", "--within", "20s", "--log-timeout", "3s", "-l", "edge-a", "--fire-test", "--fire-timeout", "30s");
        Map<String, String> status = statuses(r.out());
        assertEquals("ok", status.get("central/fire-test"), r::toString);
        assertEquals("ok", status.get("central/alertmanager"), r::toString);
        assertTrue(r.out().contains("accepted by the receivers after") && r.out().contains("webhook "), r::toString);
        // What the receiver got: the test alert, both severities (every route), naming central; then its resolution.
        List<AlertWebhookReceiver.Delivered> fired = hook.delivered().stream().filter(d -> d.label("alertname").equals("RigFireTest")).toList();
        assertEquals(java.util.Set.of("critical", "warning"), fired.stream().filter(d -> d.status().equals("firing")).map(d -> d.label("severity"))
                .collect(java.util.stream.Collectors.toSet()), fired::toString);
        assertTrue(fired.stream().allMatch(d -> d.label("host").equals("central") && d.receiver().equals("hook")), fired::toString);
        assertTrue(hook.await(d -> d.label("alertname").equals("RigFireTest") && d.status().equals("resolved"), Duration.ofSeconds(20)) != null,
                () -> "no resolved test alert: " + hook.delivered());
        assertEquals(List.of(), hook.protocolErrors());
    }

    private static void aReceiverThatRefusesTheFireTestIsAnError() throws IOException {
        hook.refusing = true;
        try {
            Rig r = rig("verify", "--json", "--within", "20s", "--log-timeout", "3s", "-l", "edge-a", "--fire-test", "--fire-timeout", "30s");
            assertEquals(1, r.exit(), r::toString);
            assertEquals("error", statuses(r.out()).get("central/fire-test"), r::toString);
            assertTrue(r.out().contains("webhook notification attempt(s) refused by the receiver"), r::toString);
        } finally {
            hook.refusing = false;
        }
    }

    private static void anAlertmanagerWithoutTheInventorysReceiversIsMissing() throws IOException {
        Path more = Files.writeString(dir.resolve("more-receivers.yml"), """
                alertmanager_receivers:
                  - {name: hook, webhook: {url: "%s"}, severities: [critical, warning]}
                  - {name: pager, webhook: {url: "%s"}, severities: [critical]}
                """.formatted(hook.url(), hook.url()));
        Rig r = rig("verify", "--json", "--within", "20s", "--log-timeout", "3s", "-l", "edge-a", "-e", "@" + more);
        assertEquals(2, r.exit(), r::toString);
        assertEquals("missing", statuses(r.out()).get("central/alertmanager"), r::toString);
        assertTrue(r.out().contains("lacks the receivers pager of the inventory (has blackhole, hook)"), r::toString);
    }

    private static void withCentralGoneEveryEdgeIsListedAsUnknown() {
        fleet.stop("central");
        Rig r = rig("verify", "--within", "5s", "--log-timeout", "3s", "--connect-timeout", "3");
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().matches("(?s).*\\ncentral\\s+error\\s.*"), r::toString);
        for (String edge : EDGES) assertTrue(r.out().matches("(?s).*\\n" + edge + "(\\s+-){4}\\s+unknown\\s+unknown\\s+unknown\\s*\\n.*"), r::toString);
        assertTrue(r.out().contains("unknown [edge-a] metrics: not checked: central central cannot be reached"), r::toString);
    }

    // ---- the pipeline ----

    static Path writeInventory() throws IOException {
        Path inv = lab.inventory();
        Files.createDirectories(inv.resolve("host_vars"));
        Files.createDirectories(inv.resolve("group_vars"));
        Files.writeString(inv.resolve("host_vars/central.yml"), "private_ip: " + CENTRAL + "\n");
        for (int i = 0; i < EDGES.size(); i++) {
            String ip = lab.address(EDGES.get(i));
            Files.writeString(inv.resolve("host_vars/" + EDGES.get(i) + ".yml"), "edge_agent_target: " + ip + ":9090\n"
                    + "edge_node_exporter_target: " + ip + ":9100\nedge_cadvisor_target: " + ip + ":9101\n");
        }
        Files.writeString(inv.resolve("group_vars/all.yml"), """
                monitoring_domain: %s
                caddy_tls: internal
                docker_install_source: distro
                caddy_bind: %s
                caddy_admin: "off"
                central_prometheus_upstream: %s:9090
                central_loki_upstream: %s:3100
                central_grafana_upstream: %s:3000
                central_prometheus_self_target: %s:9090
                central_caddy_metrics_target: %s:9180
                monitoring_verify_grafana_url: http://%s:3000
                edge_node_scrape_interval: 2s
                edge_cadvisor_scrape_interval: 2s
                # the agents run here as plain processes, without the hosts file the edge stack mounts as their /etc/hosts
                monitoring_central_name: ""
                # The test's pushers ship this file of each host to the Loki stand-in.
                monitoring_log_canary_command: 'echo "$RIG_CANARY" >> /srv/app.log'
                # Alertmanager (Debian's) on central's address; rig verify forwards there, Caddy and Prometheus send there.
                central_alertmanager_upstream: %s:9093
                monitoring_verify_alertmanager_address: %s
                alertmanager_group_wait: 1s
                alertmanager_group_interval: 2s
                alertmanager_receivers:
                  - {name: hook, webhook: {url: "%s"}, severities: [critical, warning]}
                """.formatted(CADDY, CADDY, CENTRAL, CENTRAL, CENTRAL, CENTRAL, CADDY, CENTRAL, CENTRAL, CENTRAL, hook.url()));
        return inv;
    }

    static Path render(String limit, Path out, String... more) {
        List<String> args = new ArrayList<>(List.of("render", "-i", inventory.toString(), "-o", out.toString(), "-l", limit, "-e", "@" + secrets));
        args.addAll(List.of(more));
        args.add(SITE.toString());
        Rig r = Rig.run(args);
        assertEquals(0, r.exit(), r::toString);
        return out;
    }

    static void startCaddy(Path caddyfile) throws IOException {
        Path home = Files.createDirectories(dir.resolve("caddy"));
        // A clean environment with an empty PATH: Caddy's CA stays in its data directory, the machine's trust store is not touched.
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_DATA_HOME", home.resolve("data").toString(),
                "XDG_CONFIG_HOME", home.resolve("config").toString(), "PATH", Files.createDirectories(home.resolve("empty")).toString());
        Daemons.Daemon caddy = daemons.start("caddy", env, true, List.of("/usr/bin/caddy", "run", "--config", caddyfile.toString(), "--adapter", "caddyfile"), null);
        Path root = home.resolve("data/caddy/pki/authorities/local/root.crt");
        Daemons.awaitStart(caddy, Duration.ofSeconds(30), () -> Files.isRegularFile(root));
        String pem = Files.readString(root);
        caVars = Files.writeString(dir.resolve("ca.yml"), "monitoring_ca_cert: |\n" + pem.lines().map(l -> "  " + l + "\n").reduce("", String::concat));
    }

    static Daemons.Daemon startAgent(String host, String ip, Path agentYml) throws IOException {
        Path wal = Files.createDirectories(dir.resolve("wal-" + host));
        Daemons.Daemon agent = daemons.start("agent-" + host, List.of("/usr/bin/prometheus", "--config.file=" + agentYml, "--enable-feature=agent",
                "--storage.agent.path=" + wal, "--web.listen-address=" + ip + ":9090"));
        Daemons.awaitStart(agent, Duration.ofSeconds(30), () -> status("http://" + ip + ":9090/-/ready") == 200);
        return agent;
    }

    /** The lines appended to /srv/app.log on the host (where rig's canary command writes) since the last call. */
    static Supplier<List<String>> newLinesOf(String host) {
        return LokiPusher.appendedLines(() -> fleet.exec(host, "cat /srv/app.log 2>/dev/null || true"));
    }

    // ---- helpers ----

    static Rig rig(String command, String... more) {
        return rig(SITE, command, more);
    }

    static Rig rig(Path playbook, String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "-i", inventory.toString(), "--known-hosts", lab.knownHosts().toString(), "-e", "@" + secrets));
        args.addAll(List.of(more));
        args.add(playbook.toString());
        Rig r = Rig.run(args).explainedBy(() -> "daemons:\n" + daemons.logs());
        for (String secret : List.of("verify-grafana-secret", "verify-push-secret")) assertFalse(r.all().contains(secret), () -> "a secret was printed:\n" + r);
        return r;
    }

    static Map<String, String> statuses(String jsonLines) throws IOException {
        Map<String, String> out = new HashMap<>();
        for (String line : jsonLines.lines().toList()) {
            JsonNode o = JSON.readTree(line);
            out.put(o.get("host").asText() + "/" + o.get("signal").asText(), o.get("status").asText());
        }
        return out;
    }

    static int status(String url) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    static int series(String promql) {
        try {
            String url = "http://" + CENTRAL + ":9090/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8);
            HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
            return JSON.readTree(r.body()).path("data").path("result").size();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    static void eventually(Supplier<Boolean> check, String what) {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!check.get()) {
            if (System.nanoTime() > deadline) throw new AssertionError(what + ": not within 60 s\n" + daemons.logs());
            Daemons.pause(250);
        }
    }
}

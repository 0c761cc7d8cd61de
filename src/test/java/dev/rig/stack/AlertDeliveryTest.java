package dev.rig.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.stack.AlertWebhookReceiver.Delivered;
import dev.rig.stack.Daemons.Daemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
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
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.rig.stack.StackDataFlowTest.HTTP;
import static dev.rig.stack.StackDataFlowTest.hostArgs;
import static dev.rig.stack.StackDataFlowTest.mounts;
import static dev.rig.stack.StackDataFlowTest.service;
import static dev.rig.stack.StackDataFlowTest.status;
import static dev.rig.stack.StackDataFlowTest.strings;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Alerting live (issue #20): what `rig render` writes for central and two VPC edges is what runs, with the
 * real programs. Central: Debian's Prometheus (2.42, the supported 2.x path) with the rendered prometheus.yml
 * and rules/alerts.yml, and Debian's Alertmanager with the rendered alertmanager.yml, whose one receiver is
 * a webhook: {@link AlertWebhookReceiver}, written from Alertmanager's payload documentation. Each edge: a
 * Prometheus agent with its rendered agent.yml and a real node-exporter.
 *
 * <p>The alert timings are role variables, shortened here (the defaults are minutes); the bounds asserted are
 * computed from them. Everything listens on 127.0.0.191-196 only.
 */
@Tag("integration")
class AlertDeliveryTest {
    static final String CENTRAL_IP = "127.0.0.191";
    static final String ALERTMANAGER_IP = "127.0.0.192";
    static final String RECEIVER_IP = "127.0.0.193";
    static final String CENTRAL_API = "http://" + CENTRAL_IP + ":9090";
    static final String ALERTMANAGER_API = "http://" + ALERTMANAGER_IP + ":9093/alertmanager";
    static final Map<String, String> EDGES = new LinkedHashMap<>(Map.of("edge-a", "127.0.0.195", "edge-b", "127.0.0.196"));

    // The role variables this test renders with (the defaults are 120 s / 1m / 15s / 30s / 5m).
    static final int SILENT_SECONDS = 12;
    static final int FOR_SECONDS = 6;
    static final int EVALUATION_SECONDS = 2;
    static final int GROUP_WAIT_SECONDS = 1;
    static final int GROUP_INTERVAL_SECONDS = 2;
    static final int NODE_EXPORTER_FOR_SECONDS = 4;
    /** What the bounds allow beyond the configured timings: Prometheus's notifier queue, one HTTP hop, a loaded machine. */
    static final Duration SLACK = Duration.ofSeconds(4);

    static final Duration START_BOUND = Duration.ofSeconds(20);
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    static Daemons daemons;
    static AlertWebhookReceiver receiver;
    static Path edgeRender;
    static final Map<String, Daemon> agents = new LinkedHashMap<>();
    static final Map<String, Daemon> nodeExporters = new LinkedHashMap<>();

    @BeforeAll
    static void startTheStack() throws Exception {
        daemons = new Daemons(dir.resolve("logs"));
        Runtime.getRuntime().addShutdownHook(new Thread(daemons::close));
        receiver = new AlertWebhookReceiver(RECEIVER_IP, 9099);
        Path inventory = writeInventory(dir.resolve("inventory"), receiver.url());
        Path secrets = Rendered.varsFile(dir, Map.of("grafana_admin_password", "gf-" + StackDataFlowTest.random(),
                "monitoring_push_password", "push-" + StackDataFlowTest.random()));
        Path central = StackDataFlowTest.render(inventory, "central", dir.resolve("render-central"), secrets)
                .resolve("central/opt/monitoring/central");
        startAlertmanager(central);
        startCentralPrometheus(central);
        edgeRender = StackDataFlowTest.render(inventory, "edge", dir.resolve("render-edges"), secrets);
        for (Map.Entry<String, String> edge : EDGES.entrySet()) {
            nodeExporters.put(edge.getKey(), startNodeExporter(edge.getKey(), edge.getValue()));
            agents.put(edge.getKey(), startAgent(edge.getKey(), edge.getValue()));
        }
    }

    @AfterAll
    static void stopTheStack() {
        if (daemons != null) daemons.close();
        if (receiver != null) receiver.close();
    }

    @Test
    void anEdgeThatStopsPushingIsAlertedNamingItAndResolvedWhenItPushesAgain() throws Exception {
        // Both edges push: their agents' series arrive, and nothing alerts about either.
        for (String host : EDGES.keySet()) {
            awaitTrue("edge " + host + "'s agent series at central", Duration.ofSeconds(60),
                    () -> !query("up{job=\"agent\",host=\"" + host + "\"} == 1").isEmpty());
        }
        awaitTrue("the rendered rules loaded by central", Duration.ofSeconds(20), () -> ruleNames().contains("EdgeStoppedPushing"));
        awaitTrue("Alertmanager discovered by central", Duration.ofSeconds(30), () -> {
            JsonNode active = getJson(CENTRAL_API + "/api/v1/alertmanagers").path("data").path("activeAlertmanagers");
            return active.size() == 1 && active.get(0).path("url").asText().equals(ALERTMANAGER_API + "/api/v2/alerts");
        });

        // node-exporter on edge-a stops: its agent still pushes, with up{job="node"} = 0.
        nodeExporters.get("edge-a").stop();
        Delivered nodeDown = receiver.await(d -> d.label("alertname").equals("NodeExporterDown") && d.status().equals("firing"),
                Duration.ofSeconds(60));
        assertNotNull(nodeDown, () -> "NodeExporterDown never arrived; received " + receiver.delivered() + "\n" + daemons.logs());
        assertEquals("edge-a", nodeDown.label("host"));
        assertEquals("warning", nodeDown.label("severity"));

        // Then edge-a's agent stops: its series stop arriving at central.
        Instant stopped = Instant.now();
        agents.get("edge-a").stop();
        // The newest sample of edge-a's agent that central has, by the scrape's own timestamp.
        awaitTrue("edge-a's series growing old at central", Duration.ofSeconds(30),
                () -> !query("time() - timestamp(up{job=\"agent\",host=\"edge-a\"}) > 6").isEmpty());
        Instant lastSample = Instant.ofEpochMilli((long) (value(query("timestamp(up{job=\"agent\",host=\"edge-a\"})")) * 1000));
        // The rule's condition holds from the moment the newest sample is older than the threshold.
        Instant conditionFrom = lastSample.plusSeconds(SILENT_SECONDS);
        Duration expected = Duration.ofSeconds(FOR_SECONDS + EVALUATION_SECONDS + GROUP_WAIT_SECONDS);
        Delivered firing = receiver.await(d -> d.label("alertname").equals("EdgeStoppedPushing") && d.status().equals("firing"),
                Duration.between(Instant.now(), conditionFrom.plus(expected).plus(SLACK)).plus(Duration.ofSeconds(30)));
        assertNotNull(firing, () -> "EdgeStoppedPushing never arrived; received " + receiver.delivered() + "\n" + daemons.logs());
        assertEquals("edge-a", firing.label("host"), firing::toString);
        assertEquals("critical", firing.label("severity"));
        assertEquals("hook", firing.receiver());
        assertTrue(firing.annotations().get("summary").contains("edge-a"), firing::toString);
        assertTrue(firing.annotations().get("runbook").startsWith("Is edge-a up"), firing::toString);
        Duration afterCondition = Duration.between(conditionFrom, firing.received());
        System.out.printf("AlertDeliveryTest: agent stopped at %s, its newest sample at central %s; EdgeStoppedPushing delivered %.1f s after"
                        + " the stop, %.1f s after its condition held (for %d s + evaluation %d s + group_wait %d s = %d s)%n",
                stopped, lastSample, millis(stopped, firing.received()) / 1000.0, afterCondition.toMillis() / 1000.0,
                FOR_SECONDS, EVALUATION_SECONDS, GROUP_WAIT_SECONDS, expected.toSeconds());
        assertTrue(afterCondition.compareTo(Duration.ofSeconds(FOR_SECONDS)) >= 0, "delivered before its for: had passed: " + afterCondition);
        assertTrue(afterCondition.compareTo(expected.plus(SLACK)) <= 0,
                "delivered " + afterCondition + " after the condition held, over for + evaluation interval + group_wait + " + SLACK);

        // While edge-a is silent, its NodeExporterDown is inhibited (the rendered inhibit rule), as Alertmanager reports.
        awaitTrue("NodeExporterDown of edge-a inhibited by EdgeStoppedPushing", Duration.ofSeconds(20), () -> {
            JsonNode alerts = getJson(ALERTMANAGER_API + "/api/v2/alerts?filter=" + URLEncoder.encode("alertname=\"NodeExporterDown\"", StandardCharsets.UTF_8));
            return alerts.size() == 1 && alerts.get(0).path("status").path("state").asText().equals("suppressed")
                    && alerts.get(0).path("status").path("inhibitedBy").size() == 1;
        });

        // The agent starts again (same WAL directory): the resolved notification follows.
        Instant restarted = Instant.now();
        agents.put("edge-a", startAgent("edge-a", EDGES.get("edge-a")));
        Delivered resolved = receiver.await(d -> d.label("alertname").equals("EdgeStoppedPushing") && d.status().equals("resolved"),
                Duration.ofSeconds(60));
        assertNotNull(resolved, () -> "no resolved EdgeStoppedPushing; received " + receiver.delivered() + "\n" + daemons.logs());
        assertEquals("edge-a", resolved.label("host"));
        assertEquals("resolved", resolved.notificationStatus());
        assertTrue(Instant.parse(resolved.endsAt()).isAfter(firing.startsAt()), resolved::toString);
        System.out.printf("AlertDeliveryTest: agent restarted at %s; resolved notification %.1f s later%n",
                restarted, millis(restarted, resolved.received()) / 1000.0);
        // The first fresh sample, an evaluation, Prometheus's resolved alert and Alertmanager's next group_interval.
        assertTrue(millis(restarted, resolved.received()) <= 1000L * (5 + EVALUATION_SECONDS + GROUP_INTERVAL_SECONDS) + 15_000,
                "resolved after " + millis(restarted, resolved.received()) + " ms");

        // edge-b pushed all along: no alert ever named it, and every POST was a well-formed notification.
        List<Delivered> aboutB = receiver.delivered().stream().filter(d -> "edge-b".equals(d.label("host"))).toList();
        assertTrue(aboutB.isEmpty(), "alerts about edge-b, which never stopped: " + aboutB);
        assertEquals(List.of(), receiver.protocolErrors());
    }

    // ---- the stack's programs, from the render ----

    static Path writeInventory(Path inventory, URI hook) throws IOException {
        Files.createDirectories(inventory.resolve("group_vars"));
        StringBuilder edges = new StringBuilder();
        EDGES.forEach((host, ip) -> edges.append("""
                        %s:
                          ansible_host: %s
                          monitoring_transport: vpc
                          edge_agent_target: %s:9090
                          edge_node_exporter_target: %s:9100
                          edge_cadvisor_target: %s:8080
                """.formatted(host, ip, ip, ip, ip)));
        Files.writeString(inventory.resolve("hosts.yml"), """
                all:
                  children:
                    central:
                      hosts:
                        central:
                          ansible_host: %s
                          private_ip: %s
                    edge:
                      hosts:
                %s""".formatted(CENTRAL_IP, CENTRAL_IP, edges.toString().stripTrailing() + "\n"));
        // The services central's configs name by compose service (alertmanager:9093, localhost:9090) at their
        // addresses here; Loki, Grafana, Caddy and the blackbox exporter do not run in this test.
        Files.writeString(inventory.resolve("group_vars/all.yml"), """
                docker_install_source: distro
                monitoring_domain: 127.0.0.194
                caddy_tls: internal
                central_prometheus_self_target: %s:9090
                central_alertmanager_upstream: %s:9093
                central_loki_upstream: %s:3100
                central_grafana_upstream: %s:3000
                prometheus_scrape_interval: 2s
                prometheus_evaluation_interval: %ds
                edge_node_scrape_interval: 1s
                edge_cadvisor_scrape_interval: 5s
                monitoring_central_name: ""
                alert_edge_silent_seconds: %d
                alert_edge_silent_for: %ds
                alert_node_exporter_for: %ds
                alertmanager_group_wait: %ds
                alertmanager_group_interval: %ds
                alertmanager_repeat_interval: 1h
                alertmanager_receivers:
                  - name: hook
                    webhook: {url: "%s"}
                    severities: [critical, warning]
                """.formatted(CENTRAL_IP, ALERTMANAGER_IP, CENTRAL_IP, CENTRAL_IP, EVALUATION_SECONDS, SILENT_SECONDS, FOR_SECONDS,
                NODE_EXPORTER_FOR_SECONDS, GROUP_WAIT_SECONDS, GROUP_INTERVAL_SECONDS, hook));
        return inventory;
    }

    static void startAlertmanager(Path project) throws IOException {
        String config = Files.readString(project.resolve("alertmanager/alertmanager.yml"));
        assertTrue(config.contains("url: \"" + receiver.url() + "\""), config);
        startAlertmanager(daemons, project, dir.resolve("volumes/central"), ALERTMANAGER_IP);
    }

    /** Debian's Alertmanager with the flags and files of the rendered compose service, listening on ip:9093. */
    static Daemon startAlertmanager(Daemons daemons, Path project, Path volumes, String ip) throws IOException {
        Map<String, Object> service = service(project.resolve("compose.yaml"), "alertmanager");
        List<String> command = strings(service.get("command"));
        assertTrue(command.contains("--web.route-prefix=/alertmanager"), "Caddy and Prometheus reach it under /alertmanager: " + command);
        Map<String, Path> mounts = mounts(service, project, volumes);
        List<String> args = new ArrayList<>(List.of("/usr/bin/prometheus-alertmanager"));
        // The route prefix is a URL path, not a file: it stays as rendered.
        for (String arg : command) {
            args.add(arg.startsWith("--web.route-prefix=") ? arg : hostArgs(List.of(arg), mounts).get(0));
        }
        // Where its container listens in the compose network (alertmanager:9093): its own address here.
        args.add("--web.listen-address=" + ip + ":9093");
        Daemon am = daemons.start("alertmanager", args);
        Daemons.awaitStart(am, START_BOUND, () -> status(HTTP, "http://" + ip + ":9093/alertmanager/-/ready", null) == 200);
        return am;
    }

    static void startCentralPrometheus(Path project) throws IOException {
        Map<String, Object> service = service(project.resolve("compose.yaml"), "prometheus");
        List<String> command = strings(service.get("command"));
        Map<String, Path> mounts = mounts(service, project, dir.resolve("volumes/central"));
        // Only the container path of the rule files changes, to where the compose volume puts them on the host.
        Path config = project.resolve("prometheus/prometheus.yml");
        Matcher m = Pattern.compile("(?m)^(\\s*-\\s*)(/etc/prometheus/rules/\\S+)$").matcher(Files.readString(config));
        StringBuilder hostConfig = new StringBuilder();
        int found = 0;
        while (m.find()) {
            m.appendReplacement(hostConfig, Matcher.quoteReplacement(m.group(1) + StackDataFlowTest.hostPath(m.group(2), mounts)));
            found++;
        }
        m.appendTail(hostConfig);
        assertEquals(1, found, "prometheus.yml loads the rules directory:\n" + hostConfig);
        Files.writeString(config, hostConfig);
        assertTrue(Files.isRegularFile(project.resolve("prometheus/rules/alerts.yml")), "the render has the rules");

        List<String> args = new ArrayList<>(List.of("/usr/bin/prometheus"));
        args.addAll(hostArgs(command, mounts));
        args.add("--web.listen-address=" + CENTRAL_IP + ":9090");
        Daemon central = daemons.start("central-prometheus", args);
        Daemons.awaitStart(central, START_BOUND, () -> status(HTTP, CENTRAL_API + "/-/ready", null) == 200);
    }

    static Daemon startNodeExporter(String host, String ip) {
        Daemon d = daemons.start("node-exporter@" + host, List.of("/usr/bin/prometheus-node-exporter", "--web.listen-address=" + ip + ":9100",
                "--collector.disable-defaults", "--collector.meminfo", "--collector.loadavg"));
        Daemons.awaitStart(d, START_BOUND, () -> status(HTTP, "http://" + ip + ":9100/metrics", null) == 200);
        return d;
    }

    static Daemon startAgent(String host, String ip) throws IOException {
        Path project = edgeRender.resolve(host).resolve("opt/monitoring/edge");
        Map<String, Object> service = service(project.resolve("compose.yaml"), "prometheus-agent");
        List<String> args = new ArrayList<>(List.of("/usr/bin/prometheus"));
        // The same volume directories on a restart: the agent keeps its WAL, as its named volume does.
        args.addAll(hostArgs(strings(service.get("command")), mounts(service, project, dir.resolve("volumes").resolve(host))));
        args.add("--web.listen-address=" + ip + ":9090");
        Daemon agent = daemons.start("agent@" + host + "@" + System.nanoTime(), args);
        Daemons.awaitStart(agent, START_BOUND, () -> status(HTTP, "http://" + ip + ":9090/-/ready", null) == 200);
        return agent;
    }

    // ---- central's APIs ----

    static JsonNode getJson(String url) {
        HttpResponse<String> r = StackDataFlowTest.get(HTTP, url, null);
        assertEquals(200, r.statusCode(), () -> url + ": " + r.body());
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new AssertionError(url + ": " + r.body(), e);
        }
    }

    static JsonNode query(String promql) {
        return getJson(CENTRAL_API + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8)).path("data").path("result");
    }

    static double value(JsonNode result) {
        assertEquals(1, result.size(), result::toString);
        return Double.parseDouble(result.get(0).path("value").path(1).asText());
    }

    static List<String> ruleNames() {
        List<String> names = new ArrayList<>();
        for (JsonNode g : getJson(CENTRAL_API + "/api/v1/rules").path("data").path("groups")) {
            for (JsonNode r : g.path("rules")) names.add(r.path("name").asText());
        }
        return names;
    }

    static long millis(Instant from, Instant to) {
        return Duration.between(from, to).toMillis();
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void awaitTrue(String what, Duration bound, Condition c) {
        long deadline = System.nanoTime() + bound.toNanos();
        String last = "";
        while (true) {
            try {
                if (c.holds()) return;
            } catch (Exception | AssertionError e) {
                last = e.toString();
            }
            if (System.nanoTime() > deadline) fail(what + ": not within " + bound.toSeconds() + " s " + last + "\n" + daemons.logs());
            Daemons.pause(250);
        }
    }
}

package dev.rig.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.stack.Daemons.Daemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The live data flow of the monitoring stack (issue #7), with the real programs wherever this machine has
 * them: what `rig render` writes for a test fleet is what runs.
 *
 * <ul>
 *   <li>central (127.0.0.171): Debian's Prometheus with the rendered prometheus.yml and the flags of the
 *       rendered compose.yaml's prometheus service (remote-write receiver), listening where compose
 *       publishes it (the host's private_ip); Caddy (127.0.0.172) with the rendered Caddyfile: an IP site
 *       with its internal CA and the rendered bcrypt basic auth, proxying to central Prometheus.</li>
 *   <li>edge-vpc (127.0.0.181): Prometheus in agent mode with its rendered agent.yml, remote-writing
 *       straight to central; a real node-exporter. cAdvisor has no package: its target is down.</li>
 *   <li>edge-https (127.0.0.182, group edge_postgres): the same, but remote-writing through Caddy over
 *       HTTPS with the push credentials and Caddy's CA (rendered from monitoring_ca_cert); plus
 *       postgres-exporter from the rendered edge-postgres project against a real PostgreSQL (127.0.0.183).</li>
 * </ul>
 *
 * Central's HTTP API then has to show every edge's series with its own host label, and Caddy has to
 * refuse the push route without the right credentials. Everything listens on 127.0.0.171-183 only.
 */
@Tag("integration")
class StackDataFlowTest {
    static final String CENTRAL_IP = "127.0.0.171";
    static final String CADDY_IP = "127.0.0.172";
    static final String POSTGRES_IP = "127.0.0.183";
    static final String ALERTMANAGER_IP = "127.0.0.173";
    static final String CENTRAL_API = "http://" + CENTRAL_IP + ":9090";
    static final String CADDY_URL = "https://" + CADDY_IP;
    /** Edge → its own loopback address: its agent, node-exporter (and postgres-exporter) listen there. */
    static final Map<String, String> EDGES = new LinkedHashMap<>(Map.of("edge-vpc", "127.0.0.181", "edge-https", "127.0.0.182"));
    static final String PUSH_USER = "edge";

    static final Duration START_BOUND = Duration.ofSeconds(20);
    static final Duration ARRIVAL_BOUND = Duration.ofSeconds(60);
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    @TempDir
    static Path dir;
    /** Started programs: stopped newest first (agents flush to a central that is still up). */
    static Daemons daemons;
    static final Map<String, String> secrets = new LinkedHashMap<>();
    static String caPem;
    static HttpClient caddyHttp;

    @BeforeAll
    static void startTheStack() throws Exception {
        daemons = new Daemons(dir.resolve("logs"));
        Runtime.getRuntime().addShutdownHook(new Thread(daemons::close));
        // The PostgreSQL server runs as user postgres, under this directory.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
        String pgPassword = "pg-" + random();
        secrets.put("grafana_admin_password", "gf-" + random());
        secrets.put("monitoring_push_password", "push-" + random());
        secrets.put("postgres_exporter_dsn", "postgresql://exporter:" + pgPassword + "@" + POSTGRES_IP + ":5432/postgres?sslmode=disable");
        Path inventory = writeInventory(dir.resolve("inventory"));
        Path secretsFile = Rendered.varsFile(dir, secrets);

        // Central first: Caddy makes its CA, which the edges are then rendered to trust.
        Path central = render(inventory, "central", dir.resolve("render-central"), secretsFile)
                .resolve("central/opt/monitoring/central");
        startCaddy(central.resolve("caddy/Caddyfile"));
        AlertDeliveryTest.startAlertmanager(daemons, central, dir.resolve("volumes/central"), ALERTMANAGER_IP);
        startCentralPrometheus(central);

        Path edges = render(inventory, "edge", dir.resolve("render-edges"), secretsFile,
                Rendered.varsFile(dir, Map.of("monitoring_ca_cert", caPem)));
        startPostgres(pgPassword);
        startPostgresExporter(edges.resolve("edge-https/opt/monitoring/edge-postgres"), EDGES.get("edge-https"));
        for (Map.Entry<String, String> edge : EDGES.entrySet()) {
            String ip = edge.getValue();
            Daemon nodeExporter = daemons.start("node-exporter@" + edge.getKey(), List.of("/usr/bin/prometheus-node-exporter",
                    "--web.listen-address=" + ip + ":9100",
                    "--collector.disable-defaults", "--collector.cpu", "--collector.meminfo", "--collector.loadavg"));
            Daemons.awaitStart(nodeExporter, START_BOUND, () -> status(HTTP, "http://" + ip + ":9100/metrics", null) == 200);
        }
        for (Map.Entry<String, String> edge : EDGES.entrySet()) {
            startAgent(edge.getKey(), edge.getValue(), edges.resolve(edge.getKey()).resolve("opt/monitoring/edge"));
        }
    }

    @AfterAll
    static void stopTheStack() {
        if (daemons != null) daemons.close();
    }

    @Test
    void everyEdgesSeriesArriveAtCentralWithItsOwnHostLabel() {
        // What each agent scraped, as central stores it: up per host and job (cAdvisor has no package here: down).
        Map<String, String> expectedUp = new TreeMap<>(Map.of(
                "edge-vpc/agent", "1", "edge-vpc/node", "1", "edge-vpc/cadvisor", "0",
                "edge-https/agent", "1", "edge-https/node", "1", "edge-https/cadvisor", "0", "edge-https/postgres", "1"));
        eventually("every edge's targets, with its host label", () -> {
            Map<String, String> up = new TreeMap<>();
            for (Series s : query(CENTRAL_API, "up{host=~\"edge-.*\"}", null)) up.put(s.label("host") + "/" + s.label("job"), s.value);
            return up.equals(expectedUp) ? null : "up by host/job: " + up + ", expected " + expectedUp;
        });
        eventually("the node-exporters' own series", () -> {
            Map<String, String> hosts = byHost(query(CENTRAL_API, "count by (host) (node_memory_MemTotal_bytes)", null));
            return hosts.keySet().equals(EDGES.keySet()) ? null : "node_memory_MemTotal_bytes by host: " + hosts;
        });
        eventually("PostgreSQL reachable by the exporter, from edge-https only", () -> {
            Map<String, String> pgUp = byHost(query(CENTRAL_API, "pg_up", null));
            return pgUp.equals(Map.of("edge-https", "1")) ? null : "pg_up by host: " + pgUp;
        });
        // The rendered TimescaleDB queries file loads in the real exporter (PostgreSQL here has no TimescaleDB, so
        // its queries find nothing; the file's syntax is what this checks).
        eventually("the queries file loaded by the exporter", () -> {
            List<Series> loadError = query(CENTRAL_API, "pg_exporter_user_queries_load_error{host=\"edge-https\"}", null);
            return loadError.size() == 1 && loadError.get(0).value.equals("0") ? null : "pg_exporter_user_queries_load_error: " + loadError;
        });
    }

    @Test
    void centralWatchesItselfAndCaddy() {
        // The rendered prometheus.yml's self and Caddy targets (the inventory's central_prometheus_self_target and
        // central_caddy_metrics_target: compose's localhost:9090 and caddy:9180 at their addresses here) are up.
        // Alertmanager (Debian's, with the rendered config) is scraped at its route prefix; the blackbox exporter has no
        // package, so the tls job is down.
        Map<String, String> expected = new TreeMap<>(Map.of("prometheus", "1", "caddy", "1", "loki", "0", "grafana", "0", "alertmanager", "1", "tls", "0"));
        eventually("central's own scrape targets", () -> {
            Map<String, String> up = new TreeMap<>();
            for (Series s : query(CENTRAL_API, "up{host=\"central\"}", null)) up.put(s.label("job"), s.value);
            return up.equals(expected) ? null : "up{host=\"central\"} by job: " + up + ", expected " + expected
                    + " (no Loki or Grafana package: those are down)";
        });
    }

    @Test
    void httpsEdgePushesThroughCaddyWithItsCredentialsOnly() throws Exception {
        String right = basic(PUSH_USER, secrets.get("monitoring_push_password"));
        String wrong = basic(PUSH_USER, secrets.get("monitoring_push_password") + "x");
        // The read API behind the push credentials answers with what the HTTPS edge pushed; its agent's only
        // remote-write URL is Caddy's (127.0.0.172 is Caddy's alone), so its series came through Caddy.
        eventually("edge-https's series, read through Caddy with the push credentials", () -> {
            List<Series> viaCaddy = query(CADDY_URL, "up{host=\"edge-https\",job=\"node\"}", right);
            return viaCaddy.stream().map(s -> s.value).toList().equals(List.of("1")) ? null : "via Caddy: " + viaCaddy;
        });
        // And no batch of either agent was refused (a 401 or a TLS error fails its samples for good).
        for (Map.Entry<String, String> edge : EDGES.entrySet()) {
            String url = edge.getKey().equals("edge-https") ? CADDY_URL + "/api/v1/write" : CENTRAL_API + "/api/v1/write";
            String agentMetrics = "http://" + edge.getValue() + ":9090/metrics";
            eventually(edge.getKey() + "'s agent sending to " + url, () -> {
                String metrics = get(HTTP, agentMetrics, null).body();
                double sent = metric(metrics, "prometheus_remote_storage_samples_total", url);
                double failed = metric(metrics, "prometheus_remote_storage_samples_failed_total", url);
                return sent > 0 && failed == 0 ? null : "samples sent " + sent + ", failed " + failed + " to " + url;
            });
        }

        // The push route: nobody without the credentials, through Caddy's TLS (verified against its CA).
        HttpRequest.BodyPublisher junk = HttpRequest.BodyPublishers.ofByteArray(new byte[] {1, 2, 3});
        assertEquals(401, caddyHttp.send(HttpRequest.newBuilder(URI.create(CADDY_URL + "/api/v1/write")).POST(junk)
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode(), daemons::logs);
        assertEquals(401, caddyHttp.send(HttpRequest.newBuilder(URI.create(CADDY_URL + "/api/v1/write")).POST(junk)
                .header("Authorization", wrong).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.discarding()).statusCode(),
                daemons::logs);
        assertEquals(401, status(caddyHttp, CADDY_URL + "/api/v1/query?query=up", null), daemons::logs);
        assertEquals(401, status(caddyHttp, CADDY_URL + "/api/v1/query?query=up", wrong), daemons::logs);
        assertEquals(200, status(caddyHttp, CADDY_URL + "/api/v1/query?query=up", right), daemons::logs);

        // Alertmanager's UI and API behind the same credentials, at its route prefix.
        for (String path : List.of("/alertmanager/", "/alertmanager/api/v2/status")) {
            assertEquals(401, status(caddyHttp, CADDY_URL + path, null), path);
            assertEquals(401, status(caddyHttp, CADDY_URL + path, wrong), path);
            assertEquals(200, status(caddyHttp, CADDY_URL + path, right), () -> path + "\n" + daemons.logs());
        }
        assertTrue(get(caddyHttp, CADDY_URL + "/alertmanager/api/v2/status", right).body().contains("\"versionInfo\""), daemons::logs);
    }

    // ---- the stack's programs, from the render ----

    static Path writeInventory(Path inventory) throws IOException {
        Files.createDirectories(inventory.resolve("group_vars"));
        // The agents' targets are each edge's own loopback address instead of the compose service names
        // (nothing listens on x.x.x.x:8080: cAdvisor has no package here).
        Files.writeString(inventory.resolve("hosts.yml"), """
                all:
                  children:
                    central:
                      hosts:
                        central:
                          ansible_host: 127.0.0.171
                          private_ip: 127.0.0.171
                    edge:
                      hosts:
                        edge-vpc:
                          ansible_host: 127.0.0.181
                          monitoring_transport: vpc
                          edge_agent_target: 127.0.0.181:9090
                          edge_node_exporter_target: 127.0.0.181:9100
                          edge_cadvisor_target: 127.0.0.181:8080
                      children:
                        edge_postgres:
                          hosts:
                            edge-https:
                              ansible_host: 127.0.0.182
                              monitoring_transport: https
                              edge_agent_target: 127.0.0.182:9090
                              edge_node_exporter_target: 127.0.0.182:9100
                              edge_cadvisor_target: 127.0.0.182:8080
                              edge_postgres_exporter_target: 127.0.0.182:9187
                """);
        // Caddy serves central's IP as its site, with its own CA; its admin endpoint is off, so that it never
        // competes for localhost:2019. Loki and Grafana have no package: nothing listens on their ports.
        // Central scrapes itself and Caddy's metrics site (localhost:9090 and caddy:9180 in the compose project)
        // at their addresses here.
        Files.writeString(inventory.resolve("group_vars/all.yml"), """
                docker_install_source: distro
                monitoring_domain: 127.0.0.172
                caddy_tls: internal
                caddy_bind: 127.0.0.172
                caddy_admin: "off"
                monitoring_push_user: %s
                central_prometheus_upstream: 127.0.0.171:9090
                central_loki_upstream: 127.0.0.171:3100
                central_grafana_upstream: 127.0.0.171:3000
                central_alertmanager_upstream: 127.0.0.173:9093
                central_prometheus_self_target: 127.0.0.171:9090
                central_caddy_metrics_target: 127.0.0.172:9180
                prometheus_scrape_interval: 2s
                edge_node_scrape_interval: 2s
                edge_cadvisor_scrape_interval: 2s
                # the agents run here as plain processes, without the hosts file the edge stack mounts as their /etc/hosts
                monitoring_central_name: ""
                """.formatted(PUSH_USER));
        return inventory;
    }

    static void startCaddy(Path caddyfile) throws Exception {
        Path home = Files.createDirectories(dir.resolve("caddy"));
        Path noTools = Files.createDirectories(dir.resolve("caddy/no-tools"));
        // A clean environment: its data (the CA) under home, and a PATH with nothing in it, so that Caddy's
        // attempt to add its root to the system trust store (tls internal) finds no tools and leaves the machine's
        // trust store alone; no JAVA_HOME for the same reason.
        Map<String, String> env = Map.of("HOME", home.toString(), "XDG_DATA_HOME", home.resolve("data").toString(),
                "XDG_CONFIG_HOME", home.resolve("config").toString(), "PATH", noTools.toString());
        Daemon caddy = daemons.start("caddy", env, true, List.of("/usr/bin/caddy", "run", "--config", caddyfile.toString(), "--adapter", "caddyfile"), null);
        Path root = home.resolve("data/caddy/pki/authorities/local/root.crt");
        Daemons.awaitStart(caddy, START_BOUND, () -> {
            try {
                if (!Files.isRegularFile(root)) return false;
                String pem = Files.readString(root);
                HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).sslContext(trusting(pem)).build();
                if (status(client, CADDY_URL + "/api/v1/query?query=up", null) != 401) return false;
                caPem = pem;
                caddyHttp = client;
                return true;
            } catch (Exception e) {
                return false; // the CA or the site's certificate is still being written
            }
        });
    }

    static void startCentralPrometheus(Path project) throws IOException {
        Map<String, Object> service = service(project.resolve("compose.yaml"), "prometheus");
        List<String> command = strings(service.get("command"));
        assertTrue(command.contains("--web.enable-remote-write-receiver"), "central Prometheus must receive remote writes: " + command);
        List<String> ports = strings(service.get("ports"));
        assertEquals(List.of(CENTRAL_IP + ":9090:9090"), ports, "central Prometheus is published on the VPC address (private_ip)");
        Map<String, Path> mounts = mounts(service, project, dir.resolve("volumes/central"));
        List<String> args = new ArrayList<>(List.of("/usr/bin/prometheus"));
        args.addAll(hostArgs(command, mounts));
        // Where compose publishes the container's port 9090: its host side.
        args.add("--web.listen-address=" + ports.get(0).substring(0, ports.get(0).lastIndexOf(':')));
        Daemon central = daemons.start("central-prometheus", args);
        Daemons.awaitStart(central, START_BOUND, () -> status(HTTP, CENTRAL_API + "/-/ready", null) == 200);
    }

    static void startPostgres(String exporterPassword) throws Exception {
        Path bin = postgresBin();
        Path pg = Files.createDirectories(dir.resolve("postgres"));
        Path sockets = Files.createDirectories(pg.resolve("sockets"));
        UserPrincipal postgres = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(pg, postgres);
        Files.setOwner(sockets, postgres);
        List<String> asPostgres = List.of("/usr/bin/setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups", "--");
        List<String> initdb = new ArrayList<>(asPostgres);
        initdb.addAll(List.of(bin.resolve("initdb").toString(), "-D", pg.resolve("data").toString(), "-U", "postgres",
                "--auth-local=trust", "--auth-host=scram-sha-256", "-E", "UTF8", "--locale=C", "--no-sync"));
        run(initdb, pg, Duration.ofSeconds(60));
        List<String> server = new ArrayList<>(asPostgres);
        server.addAll(List.of(bin.resolve("postgres").toString(), "-D", pg.resolve("data").toString(),
                "-c", "listen_addresses=" + POSTGRES_IP, "-c", "port=5432", "-c", "unix_socket_directories=" + sockets, "-c", "fsync=off"));
        Daemon db = daemons.start("postgresql", Map.of(), false, server, pg);
        List<String> psql = List.of(bin.resolve("psql").toString(), "-h", sockets.toString(), "-U", "postgres", "-d", "postgres",
                "-v", "ON_ERROR_STOP=1", "-qAtc");
        Daemons.awaitStart(db, START_BOUND, () -> {
            List<String> ping = new ArrayList<>(psql);
            ping.add("SELECT 1");
            try {
                run(ping, pg, Duration.ofSeconds(5));
                return true;
            } catch (AssertionError e) {
                return false;
            }
        });
        List<String> role = new ArrayList<>(psql);
        role.add("CREATE ROLE exporter LOGIN PASSWORD '" + exporterPassword + "'; GRANT pg_monitor TO exporter;");
        run(role, pg, Duration.ofSeconds(20));
    }

    static void startPostgresExporter(Path project, String ip) throws IOException {
        Map<String, Object> service = service(project.resolve("compose.yaml"), "postgres-exporter");
        assertEquals("${DATA_SOURCE_NAME}", ((Map<?, ?>) service.get("environment")).get("DATA_SOURCE_NAME"));
        assertTrue(Files.readString(project.resolve(".env")).startsWith("DATA_SOURCE_NAME="), "the DSN goes to the project's .env");
        Map<String, Path> mounts = mounts(service, project, dir.resolve("volumes/edge-postgres"));
        List<String> args = new ArrayList<>(List.of("/usr/bin/prometheus-postgres-exporter"));
        for (String arg : hostArgs(strings(service.get("command")), mounts)) {
            if (arg.startsWith("--extend.query-path=")) {
                assertTrue(Files.isRegularFile(Path.of(arg.substring(arg.indexOf('=') + 1))), "the render has the TimescaleDB queries file: " + arg);
            }
            args.add(arg);
        }
        args.add("--web.listen-address=" + ip + ":9187");
        // The .env rig writes holds the DSN (masked in the render): the real one, as compose would pass it.
        Daemon exporter = daemons.start("postgres-exporter", Map.of("DATA_SOURCE_NAME", secrets.get("postgres_exporter_dsn")), false, args, null);
        Daemons.awaitStart(exporter, START_BOUND, () -> status(HTTP, "http://" + ip + ":9187/metrics", null) == 200);
    }

    static void startAgent(String host, String ip, Path rendered) throws IOException {
        // The edge project as rig apply writes it on the host: the render, plus the push password it masks there.
        Path project = copyTree(rendered, dir.resolve("hosts").resolve(host).resolve("opt/monitoring/edge"));
        Path password = project.resolve("secrets/push_password");
        if (host.equals("edge-https")) {
            assertNotEquals(secrets.get("monitoring_push_password"), Files.readString(password), "the render masks the push password");
            Files.writeString(password, secrets.get("monitoring_push_password"));
        } else {
            assertFalse(Files.exists(password), "a VPC edge gets no push password");
        }
        assertEquals(caPem, Files.readString(project.resolve("secrets/ca.crt")), "the edge gets central's CA");

        Map<String, Object> service = service(project.resolve("compose.yaml"), "prometheus-agent");
        List<String> command = strings(service.get("command"));
        // Debian's Prometheus is 2.42, rendered with a prom/prometheus:v2.x image (render above): 2.x's flag.
        assertTrue(command.contains("--enable-feature=agent"), "agent mode of Prometheus 2.x: " + command);
        Map<String, Path> mounts = mounts(service, project, dir.resolve("volumes").resolve(host));

        // Only the container paths of the files the config names (/etc/prometheus/secrets/...) are changed, to where
        // the compose volumes put them on the host; every other byte of the rendered agent.yml is what runs.
        Path config = project.resolve("prometheus/agent.yml");
        Matcher m = Pattern.compile("(?m)^([ \\t]*(?:password_file|ca_file|cert_file|key_file|bearer_token_file|credentials_file):[ \\t]*)(\\S+)[ \\t]*$")
                .matcher(Files.readString(config));
        StringBuilder hostConfig = new StringBuilder();
        while (m.find()) m.appendReplacement(hostConfig, Matcher.quoteReplacement(m.group(1) + hostPath(unquote(m.group(2)), mounts)));
        m.appendTail(hostConfig);
        assertFalse(hostConfig.toString().contains("/etc/prometheus"), () -> "a container path is left in\n" + hostConfig);
        Files.writeString(config, hostConfig);

        List<String> args = new ArrayList<>(List.of("/usr/bin/prometheus"));
        args.addAll(hostArgs(command, mounts));
        args.add("--web.listen-address=" + ip + ":9090");
        Daemon agent = daemons.start("agent@" + host, args);
        Daemons.awaitStart(agent, START_BOUND, () -> status(HTTP, "http://" + ip + ":9090/-/ready", null) == 200);
    }

    // ---- compose: container paths to host paths ----

    @SuppressWarnings("unchecked")
    static Map<String, Object> service(Path compose, String name) throws IOException {
        Map<String, Object> doc = new Yaml().load(Files.readString(compose));
        Map<String, Object> service = (Map<String, Object>) ((Map<String, Object>) doc.get("services")).get(name);
        assertTrue(service != null, "no service " + name + " in " + compose);
        return service;
    }

    static List<String> strings(Object list) {
        assertTrue(list instanceof List<?>, "expected a list, got " + list);
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }

    /** Container path → host path of one service's volumes: ./x in the project directory, named volumes in fresh directories. */
    static Map<String, Path> mounts(Map<String, Object> service, Path project, Path volumes) throws IOException {
        Map<String, Path> mounts = new LinkedHashMap<>();
        for (String volume : strings(service.get("volumes"))) {
            String[] parts = volume.split(":");
            String source = parts[0];
            Path host = source.startsWith("./") ? project.resolve(source.substring(2))
                    : source.startsWith("/") ? Path.of(source)
                    : Files.createDirectories(volumes.resolve(source));
            mounts.put(parts[1], host);
        }
        return mounts;
    }

    static String hostPath(String containerPath, Map<String, Path> mounts) {
        return mounts.entrySet().stream()
                .filter(e -> containerPath.equals(e.getKey()) || containerPath.startsWith(e.getKey() + "/"))
                .max(Comparator.comparingInt(e -> e.getKey().length()))
                .map(e -> e.getValue() + containerPath.substring(e.getKey().length()))
                .orElseThrow(() -> new AssertionError(containerPath + " is on no volume of the service: " + mounts));
    }

    /** The flags of a rendered command with each absolute path value moved to where its volume is on this machine. */
    static List<String> hostArgs(List<String> command, Map<String, Path> mounts) {
        List<String> args = new ArrayList<>();
        for (String arg : command) {
            int eq = arg.indexOf('=');
            args.add(eq > 0 && arg.startsWith("-") && arg.startsWith("/", eq + 1) ? arg.substring(0, eq + 1) + hostPath(arg.substring(eq + 1), mounts) : arg);
        }
        return args;
    }

    // ---- central's API ----

    record Series(Map<String, String> labels, String value) {
        String label(String name) {
            return labels.get(name);
        }
    }

    static List<Series> query(String base, String promql, String authorization) {
        HttpResponse<String> r = get(base.equals(CADDY_URL) ? caddyHttp : HTTP,
                base + "/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8), authorization);
        assertEquals(200, r.statusCode(), () -> promql + " via " + base + ": " + r.body());
        try {
            List<Series> series = new ArrayList<>();
            for (JsonNode s : JSON.readTree(r.body()).path("data").path("result")) {
                Map<String, String> labels = new TreeMap<>();
                s.path("metric").properties().forEach(f -> labels.put(f.getKey(), f.getValue().asText()));
                series.add(new Series(labels, s.path("value").path(1).asText()));
            }
            return series;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, String> byHost(List<Series> series) {
        Map<String, String> byHost = new TreeMap<>();
        series.forEach(s -> byHost.put(s.label("host"), s.value));
        return byHost;
    }

    /** The value of a metric of the Prometheus text format whose url label is url; NaN when absent. */
    static double metric(String text, String name, String url) {
        for (String line : text.split("\n")) {
            if (line.startsWith(name + "{") && line.contains("url=\"" + url + "\"")) {
                return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            }
        }
        return Double.NaN;
    }

    /** Polls until check returns null (met), or fails after ARRIVAL_BOUND with its last answer and every program's log tail. */
    static void eventually(String what, Supplier<String> check) {
        long deadline = System.nanoTime() + ARRIVAL_BOUND.toNanos();
        String last;
        while (true) {
            try {
                last = check.get();
            } catch (AssertionError | RuntimeException e) {
                last = e.toString();
            }
            if (last == null) return;
            if (System.nanoTime() > deadline) fail(what + ": not within " + ARRIVAL_BOUND.toSeconds() + " s; last: " + last + "\n" + daemons.logs());
            Daemons.pause(250);
        }
    }

    // ---- processes ----

    /** Runs a command to its end within bound; fails with its output unless it exits 0. */
    static String run(List<String> command, Path workDir, Duration bound) {
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile())).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                fail(command.get(0) + " took over " + bound.toSeconds() + " s");
            }
            String text = new String(out, StandardCharsets.UTF_8);
            if (p.exitValue() != 0) fail(String.join(" ", command) + " exited " + p.exitValue() + ":\n" + text);
            return text;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** PostgreSQL's server programs, of the newest installed major version. */
    static Path postgresBin() throws IOException {
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("postgres")))
                    .max(Comparator.comparingInt(b -> Integer.parseInt(b.getParent().getFileName().toString())))
                    .orElseThrow(() -> new AssertionError("no PostgreSQL server in /usr/lib/postgresql (package postgresql)"));
        }
    }

    // ---- rig, HTTP, files ----

    /** rig render of the repository's site playbook for the hosts matching limit; returns the render directory. */
    static Path render(Path inventory, String limit, Path out, Path... varsFiles) {
        // The limit leaves out the DigitalOcean firewall play (implicit localhost), as Ansible's does.
        List<String> args = new ArrayList<>(List.of("-i", inventory.toString(), "-l", limit));
        for (Path vars : varsFiles) args.addAll(List.of("-e", "@" + vars));
        // The binaries here are Debian's Prometheus 2.42: render the supported 2.x path (the default is 3.x).
        args.addAll(List.of("-e", "edge_prometheus_image=prom/prometheus:v2.53.2", "-e", "prometheus_image=prom/prometheus:v2.53.2"));
        args.add(Rendered.SITE.toString());
        Rendered r = Rendered.run(out, args.toArray(String[]::new));
        assertEquals(0, r.exit(), () -> "rig render -o " + out + " " + String.join(" ", args) + "\n--- out\n" + r.out() + "--- err\n" + r.err());
        return out;
    }

    static Path copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
        return to;
    }

    static SSLContext trusting(String pem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        store.setCertificateEntry("caddy-local-root",
                CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII))));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    static HttpResponse<String> get(HttpClient client, String url, String authorization) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (authorization != null) b.header("Authorization", authorization);
        try {
            return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(url, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The HTTP status of a GET, or -1 when nothing answers (yet). */
    static int status(HttpClient client, String url, String authorization) {
        try {
            return get(client, url, authorization).statusCode();
        } catch (UncheckedIOException e) {
            return -1;
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    static String unquote(String s) {
        return s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'")) ? s.substring(1, s.length() - 1) : s;
    }

    static String random() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}

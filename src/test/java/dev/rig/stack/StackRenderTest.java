package dev.rig.stack;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * `rig render` of the example inventory (inventory/) and playbooks/site.yml, every artifact checked by
 * the real tool that reads it: promtool (central and agent configs), caddy validate and adapt, and
 * docker-compose config for each compose project. No plaintext secret in any rendered file.
 */
@Tag("integration")
class StackRenderTest {
    static final List<String> HOSTS = List.of("monitor-1", "app-1", "vps-1", "db-1");
    static final String CENTRAL = "/opt/monitoring/central";
    static final String EDGE = "/opt/monitoring/edge";
    static final String EDGE_PG = "/opt/monitoring/edge-postgres";

    @TempDir static Path dir;
    static Map<String, String> secrets;
    static Rendered example;

    @BeforeAll
    static void renderExample() {
        secrets = Rendered.randomSecrets();
        example = Rendered.run(dir.resolve("example"), "-i", Rendered.EXAMPLE_INVENTORY.toString(),
                "-e", "@" + Rendered.varsFile(dir, secrets), Rendered.SITE.toString());
        assertEquals(0, example.exit(), example::toString);
    }

    @Test
    void everyHostGetsItsStackFiles() {
        assertTrue(Files.isRegularFile(example.file("monitor-1", CENTRAL + "/compose.yaml")));
        for (String f : List.of("caddy/Caddyfile", "prometheus/prometheus.yml", "loki/loki.yaml", ".env",
                "grafana/provisioning/datasources/datasources.yaml", "grafana/provisioning/dashboards/dashboards.yaml")) {
            assertTrue(Files.isRegularFile(example.file("monitor-1", CENTRAL + "/" + f)), f);
        }
        for (String edge : List.of("app-1", "vps-1", "db-1")) {
            for (String f : List.of("compose.yaml", "prometheus/agent.yml")) assertTrue(Files.isRegularFile(example.file(edge, EDGE + "/" + f)), edge + " " + f);
        }
        // only the chosen log shipper's configuration: Alloy by default on every edge, no Promtail file
        for (String edge : List.of("app-1", "vps-1", "db-1")) {
            assertTrue(Files.isRegularFile(example.file(edge, EDGE + "/alloy/config.alloy")), edge);
            assertFalse(Files.exists(example.file(edge, EDGE + "/promtail/promtail.yaml")), edge);
        }
        assertFalse(example.out().contains("ships logs with Promtail"), "no legacy warning for an all-Alloy fleet");
        assertTrue(Files.isRegularFile(example.file("db-1", EDGE_PG + "/compose.yaml")));
        assertFalse(Files.exists(example.file("app-1", EDGE_PG)), "only edge_postgres hosts get the exporter");
        assertFalse(Files.exists(example.file("monitor-1", EDGE)), "central is not an edge");
        assertTrue(example.out().contains("Rendered " + example.files().size() + " files for 4 hosts"), example::toString);
    }

    @Test
    void prometheusConfigsPassPromtool() throws Exception {
        Run central = Run.of(List.of("promtool", "check", "config", example.file("monitor-1", CENTRAL + "/prometheus/prometheus.yml").toString()));
        assertEquals(0, central.exit(), central.output());
        for (String edge : List.of("app-1", "vps-1", "db-1")) {
            Run agent = Run.of(List.of("promtool", "check", "config", "--agent", example.file(edge, EDGE + "/prometheus/agent.yml").toString()));
            assertEquals(0, agent.exit(), edge + ": " + agent.output());
        }
    }

    @Test
    void caddyfilePassesCaddyValidateAndAdapt() throws Exception {
        Path caddyfile = example.file("monitor-1", CENTRAL + "/caddy/Caddyfile");
        Run adapt = Run.of(List.of("caddy", "adapt", "--config", caddyfile.toString(), "--adapter", "caddyfile"));
        assertEquals(0, adapt.exit(), adapt.output());
        Run validate = Run.of(List.of("caddy", "validate", "--config", caddyfile.toString(), "--adapter", "caddyfile"), dir);
        assertEquals(0, validate.exit(), validate.output());
        assertTrue(validate.output().contains("Valid configuration"), validate.output());
        // The adapted JSON has the basic-auth handler on the push routes and the domain's automatic TLS.
        assertTrue(adapt.stdout().contains("\"http_basic\"") && adapt.stdout().contains("monitoring.example.com"), adapt.stdout());
    }

    @Test
    void everyComposeProjectPassesDockerComposeConfig() throws Exception {
        List<Path> projects = List.of(example.file("monitor-1", CENTRAL), example.file("app-1", EDGE), example.file("vps-1", EDGE),
                example.file("db-1", EDGE), example.file("db-1", EDGE_PG));
        for (Path p : projects) {
            Run config = Run.of(List.of("docker-compose", "config", "-q"), p);
            assertEquals(0, config.exit(), p + ": " + config.output());
        }
        Run central = Run.of(List.of("docker-compose", "config"), example.file("monitor-1", CENTRAL));
        for (String volume : List.of("prometheus-data", "loki-data", "grafana-data", "caddy-data", "alertmanager-data")) {
            assertTrue(central.stdout().contains(volume + ":"), volume + "\n" + central.stdout());
        }
    }

    @Test
    void lokiPromtailAndAlloyConfigsMatchTheirDocumentedSchemas() {
        // No Loki, Promtail or Alloy binary here: their configuration references, as JSON Schemas and a parser.
        assertEquals(List.of(), ConfigSchemas.validate(example.file("monitor-1", CENTRAL + "/loki/loki.yaml"), "loki-config.schema.json"));
        for (String edge : List.of("app-1", "vps-1", "db-1")) {
            assertEquals(List.of(), AlloySyntax.validate(example.read(edge, EDGE + "/alloy/config.alloy")), edge);
        }
        assertTrue(example.read("app-1", EDGE + "/alloy/config.alloy").contains("url = \"http://monitoring-central:3100/loki/api/v1/push\""));
        // and Promtail's config, the legacy choice, with the warning rig prints for it
        Rendered legacy = Rendered.run(dir.resolve("promtail"), "-i", Rendered.EXAMPLE_INVENTORY.toString(),
                "-e", "@" + Rendered.varsFile(dir, secrets), "-e", "edge_log_agent=promtail", Rendered.SITE.toString());
        assertEquals(0, legacy.exit(), legacy::toString);
        for (String edge : List.of("app-1", "vps-1", "db-1")) {
            assertEquals(List.of(), ConfigSchemas.validate(legacy.file(edge, EDGE + "/promtail/promtail.yaml"), "promtail-config.schema.json"), edge);
            assertFalse(Files.exists(legacy.file(edge, EDGE + "/alloy/config.alloy")), edge);
            assertTrue(legacy.out().contains("message [" + edge + "] monitoring_edge : Promtail is a legacy choice: warning: " + edge + " ships logs with Promtail"), legacy::toString);
        }
        Map<String, Object> client = first(yaml(legacy.read("app-1", EDGE + "/promtail/promtail.yaml")).get("clients"));
        assertEquals("http://monitoring-central:3100/loki/api/v1/push", client.get("url"));
        assertEquals(Map.of("host", "app-1"), client.get("external_labels"));
        // and the checkers do reject what those tools would
        String loki = example.read("monitor-1", CENTRAL + "/loki/loki.yaml").replace("retention_period:", "retention_peroid:");
        assertFalse(ConfigSchemas.validateText(loki, "loki-config.schema.json").isEmpty());
        String alloy = example.read("vps-1", EDGE + "/alloy/config.alloy").replace("forward_to    = [loki.write.central.receiver]", "forward_to = [loki.write.elsewhere.receiver]");
        assertFalse(AlloySyntax.validate(alloy).isEmpty());
    }

    @Test
    void dashboardsUseOnlyMetricsTheStackProduces() throws IOException {
        // Every timescaledb_* metric a dashboard queries is one the exporter's custom queries define.
        String queries = Files.readString(Rendered.PROJECT.resolve("playbooks/roles/monitoring_edge_postgres/files/edge-postgres/postgres-exporter/queries.yaml"));
        Map<String, Object> parsed = yaml(queries);
        Set<String> defined = new java.util.TreeSet<>();
        parsed.forEach((prefix, q) -> {
            for (Object metric : (List<?>) ((Map<?, ?>) q).get("metrics")) {
                for (Map.Entry<?, ?> col : ((Map<?, ?>) metric).entrySet()) {
                    String usage = String.valueOf(((Map<?, ?>) col.getValue()).get("usage"));
                    if (!usage.equals("LABEL")) defined.add(prefix + "_" + col.getKey());
                }
            }
        });
        String dashboards = example.read("monitor-1", CENTRAL + "/grafana/dashboards/postgres.json");
        Matcher used = Pattern.compile("timescaledb_[a-z_]+").matcher(dashboards);
        int count = 0;
        while (used.find()) {
            count++;
            assertTrue(defined.contains(used.group()), used.group() + " is not defined by queries.yaml: " + defined);
        }
        assertTrue(count >= 5, "the PostgreSQL dashboard shows the TimescaleDB metrics");
        for (String d : List.of("hosts", "containers", "postgres", "logs", "stack")) {
            assertTrue(Files.isRegularFile(example.file("monitor-1", CENTRAL + "/grafana/dashboards/" + d + ".json")), d);
        }
    }

    @Test
    void noPlaintextSecretInAnyRenderedFile() throws IOException {
        List<Path> files = example.files();
        assertTrue(files.size() >= 20, "files: " + files);
        for (Path f : files) {
            String text = Files.readString(f, StandardCharsets.ISO_8859_1);
            for (Map.Entry<String, String> s : secrets.entrySet()) {
                assertFalse(text.contains(s.getValue()), f + " contains the value of " + s.getKey());
            }
        }
        // Files that need a secret hold it only where the host keeps it private, and render says none leaked elsewhere.
        assertFalse(example.err().contains("holds the value of a secret variable"), example.err());
        Set<PosixFilePermission> privateOnly = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        for (Path secretFile : List.of(example.file("monitor-1", CENTRAL + "/.env"), example.file("db-1", EDGE_PG + "/.env"),
                example.file("vps-1", EDGE + "/secrets/push_password"))) {
            assertEquals(privateOnly, Files.getPosixFilePermissions(secretFile), secretFile.toString());
            assertTrue(Files.readString(secretFile).contains("********"), secretFile + " should show where the secret goes");
        }
        assertTrue(Files.readString(example.file("monitor-1", CENTRAL + "/.env")).startsWith("GRAFANA_ADMIN_PASSWORD="));
    }

    @Test
    void caddyStoresABcryptHashThatMatchesThePushPassword() {
        String caddyfile = example.read("monitor-1", CENTRAL + "/caddy/Caddyfile");
        Matcher m = Pattern.compile("basicauth \\{\\s*\\n\\s*edge (\\S+)").matcher(caddyfile);
        assertTrue(m.find(), caddyfile);
        String hash = new String(Base64.getDecoder().decode(m.group(1)), StandardCharsets.UTF_8);
        assertTrue(hash.startsWith("$2a$10$"), hash);
        assertTrue(OpenBSDBCrypt.checkPassword(hash, secrets.get("monitoring_push_password").toCharArray()));
        assertFalse(OpenBSDBCrypt.checkPassword(hash, "wrong-password".toCharArray()));
    }

    @Test
    void aSecondRenderIsIdenticalSoASecondApplyChangesNothing() throws IOException {
        Rendered again = Rendered.run(dir.resolve("again"), "-i", Rendered.EXAMPLE_INVENTORY.toString(),
                "-e", "@" + Rendered.varsFile(dir, secrets), Rendered.SITE.toString());
        assertEquals(0, again.exit(), again::toString);
        List<Path> first = example.files();
        List<Path> second = again.files();
        assertEquals(first.stream().map(p -> example.dir().relativize(p)).toList(), second.stream().map(p -> again.dir().relativize(p)).toList());
        for (Path p : first) {
            assertArrayEquals(Files.readAllBytes(p), Files.readAllBytes(again.dir().resolve(example.dir().relativize(p))), p.toString());
        }
    }

    @Test
    void eachEdgeShipsTheWayItsTransportSays() {
        Map<String, Object> vpc = yaml(example.read("app-1", EDGE + "/prometheus/agent.yml"));
        Map<String, Object> vpcWrite = first(vpc.get("remote_write"));
        assertEquals("http://monitoring-central:9090/api/v1/write", vpcWrite.get("url"));
        // the name resolves through the hosts file mounted as the agent's and shipper's /etc/hosts, rewritten in place
        assertTrue(example.read("app-1", EDGE + "/hosts").contains("\n10.110.0.2\tmonitoring-central\n"), example.read("app-1", EDGE + "/hosts"));
        assertFalse(vpcWrite.containsKey("basic_auth"), "VPC mode needs no auth");
        assertEquals(Map.of("host", "app-1"), ((Map<?, ?>) vpc.get("global")).get("external_labels"));

        Map<String, Object> https = yaml(example.read("vps-1", EDGE + "/prometheus/agent.yml"));
        Map<String, Object> httpsWrite = first(https.get("remote_write"));
        assertEquals("https://monitoring.example.com/api/v1/write", httpsWrite.get("url"));
        assertEquals(Map.of("username", "edge", "password_file", "/etc/prometheus/secrets/push_password"), httpsWrite.get("basic_auth"));

        String alloy = example.read("vps-1", EDGE + "/alloy/config.alloy");
        assertTrue(alloy.contains("url = \"https://monitoring.example.com/loki/api/v1/push\""), alloy);
        assertTrue(alloy.contains("password_file = \"/etc/alloy/secrets/push_password\""), alloy);

        // every edge ships logs with Alloy, the default
        for (String edge : List.of("app-1", "vps-1", "db-1")) {
            assertEquals(Set.of("prometheus-agent", "node-exporter", "cadvisor", "alloy"), services(example.read(edge, EDGE + "/compose.yaml")).keySet(), edge);
        }
    }

    @Test
    void switchingFromPromtailToAlloyChangesOnlyTheLogShipper() {
        // The switch is an ordinary change of the edge's compose project: the shipper's service and its state
        // volume, nothing else (the agent, node-exporter and cAdvisor keep their definitions, so compose
        // leaves them running: no metrics gap), and rig's remove_orphans takes the Promtail container away.
        Rendered legacy = Rendered.run(dir.resolve("switch-from"), "-i", Rendered.EXAMPLE_INVENTORY.toString(), "-l", "app-1",
                "-e", "@" + Rendered.varsFile(dir, secrets), "-e", "edge_log_agent=promtail", Rendered.SITE.toString());
        assertEquals(0, legacy.exit(), legacy::toString);
        Map<String, Object> before = services(legacy.read("app-1", EDGE + "/compose.yaml"));
        Map<String, Object> after = services(example.read("app-1", EDGE + "/compose.yaml"));
        for (String kept : List.of("prometheus-agent", "node-exporter", "cadvisor")) assertEquals(before.get(kept), after.get(kept), kept);
        assertTrue(before.containsKey("promtail") && !before.containsKey("alloy"));
        assertTrue(after.containsKey("alloy") && !after.containsKey("promtail"));
        // each keeps its read state on its own volume: Promtail's positions stay where they were (a switch back resumes)
        assertEquals(Set.of("agent-wal", "promtail-positions"), ((Map<?, ?>) yaml(legacy.read("app-1", EDGE + "/compose.yaml")).get("volumes")).keySet());
        assertEquals(Set.of("agent-wal", "alloy-data"), ((Map<?, ?>) yaml(example.read("app-1", EDGE + "/compose.yaml")).get("volumes")).keySet());
        // the same labels and endpoint, so the streams in Loki continue under the same names
        String alloy = example.read("app-1", EDGE + "/alloy/config.alloy");
        Map<String, Object> client = first(yaml(legacy.read("app-1", EDGE + "/promtail/promtail.yaml")).get("clients"));
        assertTrue(alloy.contains("url = \"" + client.get("url") + "\""), alloy);
        assertTrue(alloy.contains("host = \"app-1\""), alloy);
        for (String label : List.of("container", "job", "stream")) {
            assertTrue(alloy.contains("target_label  = \"" + label + "\"") || alloy.contains("target_label = \"" + label + "\""), label);
            assertTrue(legacy.read("app-1", EDGE + "/promtail/promtail.yaml").contains("target_label: " + label), label);
        }
    }

    @Test
    void centralPublishesPrometheusAndLokiOnlyOnItsVpcAddress() {
        Map<String, Object> services = services(example.read("monitor-1", CENTRAL + "/compose.yaml"));
        assertEquals(Set.of("caddy", "prometheus", "loki", "grafana", "alertmanager", "blackbox"), services.keySet());
        assertEquals(List.of("10.110.0.2:9090:9090"), ((Map<?, ?>) services.get("prometheus")).get("ports"));
        assertEquals(List.of("10.110.0.2:3100:3100"), ((Map<?, ?>) services.get("loki")).get("ports"));
        assertFalse(((Map<?, ?>) services.get("grafana")).containsKey("ports"), "Grafana is reached through Caddy only");
        List<?> command = (List<?>) ((Map<?, ?>) services.get("prometheus")).get("command");
        assertTrue(command.contains("--web.enable-remote-write-receiver"), command.toString());
        assertTrue(command.contains("--storage.tsdb.retention.time=2y"), command.toString());
        String loki = example.read("monitor-1", CENTRAL + "/loki/loki.yaml");
        assertTrue(loki.contains("retention_period: 2160h") && loki.contains("retention_enabled: true"), loki);
    }

    @Test
    void onlyPostgresHostsScrapeThePostgresExporter() {
        assertTrue(jobs(example.read("db-1", EDGE + "/prometheus/agent.yml")).contains("postgres"));
        assertEquals(List.of("agent", "node", "cadvisor"), jobs(example.read("app-1", EDGE + "/prometheus/agent.yml")));
        Map<String, Object> pg = services(example.read("db-1", EDGE_PG + "/compose.yaml"));
        assertEquals(List.of("monitoring", "database"), ((Map<?, ?>) pg.get("postgres-exporter")).get("networks"));
        String compose = example.read("db-1", EDGE_PG + "/compose.yaml");
        assertTrue(compose.contains("name: db_default"), "the database network from host_vars/db-1.yml:\n" + compose);
    }

    @Test
    void agentModeFlagFollowsThePrometheusImageVersion() {
        Map<String, String> flags = Map.of("prom/prometheus:v2.53.2", "--enable-feature=agent", "prom/prometheus:v3.1.0", "--agent");
        for (Map.Entry<String, String> e : flags.entrySet()) {
            Rendered r = Rendered.run(dir.resolve("flag-" + e.getValue().length()), "-i", Rendered.EXAMPLE_INVENTORY.toString(), "-l", "app-1",
                    "-e", "@" + Rendered.varsFile(dir, secrets), "-e", "edge_prometheus_image=" + e.getKey(), Rendered.SITE.toString());
            assertEquals(0, r.exit(), r::toString);
            List<?> command = (List<?>) ((Map<?, ?>) services(r.read("app-1", EDGE + "/compose.yaml")).get("prometheus-agent")).get("command");
            assertTrue(command.contains(e.getValue()), e.getKey() + " → " + command);
        }
        Rendered latest = Rendered.run(dir.resolve("flag-latest"), "-i", Rendered.EXAMPLE_INVENTORY.toString(), "-l", "app-1",
                "-e", "@" + Rendered.varsFile(dir, secrets), "-e", "edge_prometheus_image=prom/prometheus:latest", Rendered.SITE.toString());
        assertEquals(1, latest.exit(), latest::toString);
        assertTrue(latest.out().contains("Prometheus major 'latest'") && latest.out().contains("edge_prometheus_major"), latest::toString);
        assertFalse(Files.exists(latest.dir()), "a failed render writes nothing");
    }

    @Test
    void hostNetworkModeListensOnEachHostsOwnAddressAndPassesTheValidators() throws Exception {
        Rendered host = Rendered.run(dir.resolve("host-mode"), "-i", Rendered.EXAMPLE_INVENTORY.toString(), "-e", "@" + Rendered.varsFile(dir, secrets),
                "-e", "monitoring_network_mode=host", Rendered.SITE.toString());
        assertEquals(0, host.exit(), host::toString);
        Map<String, Object> central = services(host.read("monitor-1", CENTRAL + "/compose.yaml"));
        for (Object svc : central.values()) {
            assertEquals("host", ((Map<?, ?>) svc).get("network_mode"), svc.toString());
            assertFalse(((Map<?, ?>) svc).containsKey("ports"), "no published ports on the host network: " + svc);
        }
        assertTrue(((List<?>) ((Map<?, ?>) central.get("prometheus")).get("command")).contains("--web.listen-address=10.110.0.2:9090"));
        assertTrue(host.read("monitor-1", CENTRAL + "/caddy/Caddyfile").contains("reverse_proxy 10.110.0.2:3000"), "Caddy reaches Grafana at central's address");
        assertTrue(host.read("monitor-1", CENTRAL + "/loki/loki.yaml").contains("http_listen_address: 10.110.0.2"));
        Map<String, Object> agent = yaml(host.read("app-1", EDGE + "/prometheus/agent.yml"));
        assertTrue(agent.toString().contains("10.110.0.3:9100"), "node-exporter scraped at the edge's own address: " + agent);
        assertFalse(yaml(host.read("app-1", EDGE + "/compose.yaml")).containsKey("networks"), "no compose network in host mode");
        for (Path p : List.of(host.file("monitor-1", CENTRAL), host.file("app-1", EDGE), host.file("vps-1", EDGE), host.file("db-1", EDGE), host.file("db-1", EDGE_PG))) {
            Run config = Run.of(List.of("docker-compose", "config", "-q"), p);
            assertEquals(0, config.exit(), p + ": " + config.output());
        }
        Run promtool = Run.of(List.of("promtool", "check", "config", host.file("monitor-1", CENTRAL + "/prometheus/prometheus.yml").toString()));
        assertEquals(0, promtool.exit(), promtool.output());
        Run caddy = Run.of(List.of("caddy", "adapt", "--config", host.file("monitor-1", CENTRAL + "/caddy/Caddyfile").toString(), "--adapter", "caddyfile"));
        assertEquals(0, caddy.exit(), caddy.output());
        assertEquals(List.of(), ConfigSchemas.validate(host.file("monitor-1", CENTRAL + "/loki/loki.yaml"), "loki-config.schema.json"));
    }

    @Test
    void missingSecretsFailWithWhatToSetAndWriteNothing() {
        Rendered r = Rendered.run(dir.resolve("no-secrets"), "-i", Rendered.EXAMPLE_INVENTORY.toString(), Rendered.SITE.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("grafana_admin_password (12+ characters, not admin)"), r::toString);
        assertTrue(r.out().contains("set postgres_exporter_dsn"), r::toString);
        assertFalse(Files.exists(r.dir()));
    }

    @Test
    void renderNeverOverwritesADirectoryItDidNotWrite() throws IOException {
        Path mine = Files.createDirectories(dir.resolve("operator-files"));
        Files.writeString(mine.resolve("notes.txt"), "keep me");
        Rendered r = Rendered.run(mine, "-i", Rendered.EXAMPLE_INVENTORY.toString(), "-e", "@" + Rendered.varsFile(dir, secrets), Rendered.SITE.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.err().contains("is not empty and was not written by rig render"), r::toString);
        assertEquals("keep me", Files.readString(mine.resolve("notes.txt")));
    }

    // ---- helpers ----

    @SuppressWarnings("unchecked")
    static Map<String, Object> yaml(String text) {
        return (Map<String, Object>) new Yaml().load(text);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> first(Object list) {
        return (Map<String, Object>) ((List<?>) list).get(0);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> services(String compose) {
        return (Map<String, Object>) yaml(compose).get("services");
    }

    static List<String> jobs(String agentYml) {
        List<String> out = new ArrayList<>();
        for (Object sc : (List<?>) yaml(agentYml).get("scrape_configs")) out.add(String.valueOf(((Map<?, ?>) sc).get("job_name")));
        return out;
    }

    /** A validator's run: exit code and output, bounded in time. */
    record Run(int exit, String stdout, String stderr) {
        static Run of(List<String> argv) throws IOException, InterruptedException {
            return of(argv, null);
        }

        static Run of(List<String> argv, Path cwd) throws IOException, InterruptedException {
            ProcessBuilder pb = new ProcessBuilder(argv);
            if (cwd != null) pb.directory(cwd.toFile());
            // caddy validate provisions its storage: keep it in the test's directory, not root's home.
            pb.environment().put("XDG_DATA_HOME", dir.resolve("xdg-data").toString());
            pb.environment().put("XDG_CONFIG_HOME", dir.resolve("xdg-config").toString());
            Path out = Files.createTempFile(dir, "out", ".txt");
            Path err = Files.createTempFile(dir, "err", ".txt");
            Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(argv + " did not finish in 60 s");
            }
            return new Run(p.exitValue(), Files.readString(out), Files.readString(err));
        }

        String output() {
            return stdout + stderr;
        }
    }
}

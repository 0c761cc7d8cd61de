package dev.rig.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("integration")
class GrafanaStandInTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PROVISIONING = """
            apiVersion: 1
            datasources:
              - name: Prometheus
                uid: prometheus
                type: prometheus
                access: proxy
                url: http://prometheus:9090
                isDefault: true
                editable: false
                jsonData:
                  timeInterval: 15s
              - name: loki
                type: loki
                url: http://loki:3100
                editable: true
                jsonData:
                  maxLines: 1000
            """;

    @TempDir
    Path dir;
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void healthNeedsNoCredentials() throws Exception {
        try (GrafanaStandIn grafana = start(PROVISIONING)) {
            HttpResponse<String> response = get(grafana, "/api/health", null);
            assertEquals(200, response.statusCode());
            JsonNode health = JSON.readTree(response.body());
            assertEquals("ok", health.path("database").asText());
            assertEquals("11.2.0", health.path("version").asText());
            assertFalse(health.path("commit").asText().isEmpty());
        }
    }

    @Test
    void datasourcesListWhatTheProvisioningFileCreates() throws Exception {
        try (GrafanaStandIn grafana = start(PROVISIONING)) {
            HttpResponse<String> response = get(grafana, "/api/datasources", basic("admin", "pa55word"));
            assertEquals(200, response.statusCode());
            JsonNode list = JSON.readTree(response.body());
            assertEquals(2, list.size());

            JsonNode loki = list.get(0);
            assertEquals("loki", loki.path("name").asText(), "sorted by name ignoring case");
            assertEquals(2, loki.path("id").asInt());
            assertTrue(loki.path("uid").asText().matches("[a-z][a-z0-9]{13}"), "a generated uid: " + loki.path("uid").asText());
            assertEquals(1, loki.path("orgId").asInt());
            assertEquals("loki", loki.path("type").asText());
            assertEquals("proxy", loki.path("access").asText(), "access defaults to proxy");
            assertEquals("http://loki:3100", loki.path("url").asText());
            assertFalse(loki.path("isDefault").asBoolean());
            assertFalse(loki.path("readOnly").asBoolean(), "editable: true");
            assertEquals(1000, loki.path("jsonData").path("maxLines").asInt());

            JsonNode prometheus = list.get(1);
            assertEquals(1, prometheus.path("id").asInt());
            assertEquals("prometheus", prometheus.path("uid").asText());
            assertTrue(prometheus.path("isDefault").asBoolean());
            assertTrue(prometheus.path("readOnly").asBoolean());
            assertEquals("15s", prometheus.path("jsonData").path("timeInterval").asText());
        }
    }

    @Test
    void datasourcesNeedTheAdminCredentials() throws Exception {
        try (GrafanaStandIn grafana = start(PROVISIONING)) {
            HttpResponse<String> wrong = get(grafana, "/api/datasources", basic("admin", "guess"));
            assertEquals(401, wrong.statusCode());
            assertEquals("Invalid username or password", JSON.readTree(wrong.body()).path("message").asText());
            assertEquals(401, get(grafana, "/api/datasources", basic("viewer", "pa55word")).statusCode());
            assertEquals(401, get(grafana, "/api/datasources", "Bearer glsa_token").statusCode());
            HttpResponse<String> none = get(grafana, "/api/datasources", null);
            assertEquals(401, none.statusCode());
            assertEquals("Unauthorized", JSON.readTree(none.body()).path("message").asText());
            assertEquals(404, get(grafana, "/api/dashboards/uid/x", basic("admin", "pa55word")).statusCode());
        }
    }

    @Test
    void aNameGivenTwiceIsOneDatasourceTheLaterEntryUpdates() throws Exception {
        try (GrafanaStandIn grafana = start("""
                apiVersion: 1
                datasources:
                  - {name: Loki, uid: logs, type: loki, url: http://old:3100}
                  - {name: Loki, uid: logs, type: loki, url: http://new:3100}
                """)) {
            JsonNode list = JSON.readTree(get(grafana, "/api/datasources", basic("admin", "pa55word")).body());
            assertEquals(1, list.size());
            assertEquals("http://new:3100", list.get(0).path("url").asText());
            assertEquals(1, list.get(0).path("id").asInt());
        }
    }

    @Test
    void aFileGrafanaWouldRefuseStopsTheStart() {
        assertRefused("two defaults", """
                apiVersion: 1
                datasources:
                  - {name: A, type: prometheus, isDefault: true}
                  - {name: B, type: loki, isDefault: true}
                """, "Only one datasource per organization can be marked as default");
        assertRefused("no apiVersion", "datasources:\n  - {name: A, type: loki}\n", "apiVersion must be 1");
        assertRefused("no type", "apiVersion: 1\ndatasources:\n  - {name: A}\n", "needs a name and a type");
        assertRefused("bad uid", "apiVersion: 1\ndatasources:\n  - {name: A, type: loki, uid: 'has space'}\n", "invalid uid");
        assertRefused("shared uid", "apiVersion: 1\ndatasources:\n  - {name: A, type: loki, uid: x}\n  - {name: B, type: loki, uid: x}\n", "share the uid");
        assertRefused("other org", "apiVersion: 1\ndatasources:\n  - {name: A, type: loki, orgId: 2}\n", "main organization");
        assertRefused("quoted boolean", "apiVersion: 1\ndatasources:\n  - {name: A, type: loki, isDefault: 'true'}\n", "true or false");
        assertRefused("not YAML", "apiVersion: 1\ndatasources: [\n", "cannot read");
    }

    @Test
    void listensOnlyOnLoopbackAddresses() throws Exception {
        Path file = Files.writeString(dir.resolve("datasources.yml"), PROVISIONING);
        assertThrows(IllegalArgumentException.class, () -> GrafanaStandIn.start("192.168.1.1", 0, "admin", "x", file));
    }

    private void assertRefused(String why, String yaml, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> start(yaml), why);
        assertTrue(e.getMessage().contains(message), why + ": " + e.getMessage());
    }

    private GrafanaStandIn start(String yaml) throws Exception {
        Path file = Files.writeString(dir.resolve("datasources.yml"), yaml);
        return GrafanaStandIn.start("127.0.0.1", 0, "admin", "pa55word", file);
    }

    private HttpResponse<String> get(GrafanaStandIn grafana, String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(grafana.url() + path)).GET();
        if (authorization != null) request.header("Authorization", authorization);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}

package dev.rig.stack;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The pinned images against what their projects publish: every rendered healthcheck runs a binary the image
 * really has (monitoring_image_facts in the role defaults), every rendered command-line flag is one that
 * image's version defines (flag lists extracted from each project's source at that tag, in
 * src/test/resources/reference/), and every key of the rendered Loki config is in Loki's configuration
 * reference of the pinned version.
 */
class ImagePinsTest {
    static final Path COMMON_DEFAULTS = Rendered.PROJECT.resolve("playbooks/roles/monitoring_common/defaults/main.yml");
    /** image (repository:tag) → its flag reference file. */
    static final Map<String, String> FLAG_REFERENCES = Map.ofEntries(
            Map.entry("prom/alertmanager:v0.34.0", "alertmanager-v0.34.0-flags.txt"),
            Map.entry("prom/blackbox-exporter:v0.28.0", "blackbox-exporter-v0.28.0-flags.txt"),
            Map.entry("prom/prometheus:v3.14.0", "prometheus-v3.14.0-flags.txt"),
            Map.entry("prom/prometheus:v2.53.2", "prometheus-v2.53.2-flags.txt"),
            Map.entry("prom/node-exporter:v1.12.1", "node-exporter-v1.12.1-flags.txt"),
            Map.entry("gcr.io/cadvisor/cadvisor:v0.60.5", "cadvisor-v0.60.5-flags.txt"),
            Map.entry("grafana/alloy:v1.18.1", "alloy-v1.18.1-run-flags.txt"),
            Map.entry("grafana/loki:3.7.6", "loki-v3.7.6-flags.txt"),
            Map.entry("grafana/promtail:3.6.15", "promtail-v3.6.15-flags.txt"),
            Map.entry("quay.io/prometheuscommunity/postgres-exporter:v0.20.1", "postgres-exporter-v0.20.1-flags.txt"));

    @TempDir static Path dir;
    static Map<String, Map<String, Object>> facts;
    static List<Path> composeFiles = new ArrayList<>();
    static Rendered example;

    @BeforeAll
    @SuppressWarnings("unchecked")
    static void renderEveryVariant() throws IOException {
        Map<String, Object> defaults = new Yaml().load(Files.readString(COMMON_DEFAULTS));
        facts = (Map<String, Map<String, Object>>) defaults.get("monitoring_image_facts");
        Path secrets = Rendered.varsFile(dir, Rendered.randomSecrets());
        List<List<String>> variants = List.of(List.of(), List.of("-e", "monitoring_network_mode=host"),
                List.of("-e", "edge_log_agent=alloy"), List.of("-e", "edge_log_agent=promtail"),
                List.of("-e", "prometheus_image=prom/prometheus:v2.53.2", "-e", "edge_prometheus_image=prom/prometheus:v2.53.2"));
        int i = 0;
        for (List<String> extra : variants) {
            List<String> args = new ArrayList<>(List.of("-i", Rendered.EXAMPLE_INVENTORY.toString(), "-e", "@" + secrets));
            args.addAll(extra);
            args.add(Rendered.SITE.toString());
            Rendered r = Rendered.run(dir.resolve("v" + i++), args.toArray(String[]::new));
            assertEquals(0, r.exit(), r::toString);
            if (extra.isEmpty()) example = r;
            r.files().stream().filter(p -> p.getFileName().toString().equals("compose.yaml")).forEach(composeFiles::add);
        }
        assertTrue(composeFiles.size() >= 20, composeFiles.toString());
    }

    @Test
    void everyPinnedImageIsInTheTableAtTheReleaseItWasCheckedAt() throws IOException {
        Set<String> pinned = new TreeSet<>();
        for (Path compose : List.of(example.file("monitor-1", "/opt/monitoring/central/compose.yaml"),
                example.file("vps-1", "/opt/monitoring/edge/compose.yaml"), example.file("app-1", "/opt/monitoring/edge/compose.yaml"),
                example.file("db-1", "/opt/monitoring/edge-postgres/compose.yaml"))) {
            services(compose).values().forEach(s -> pinned.add(String.valueOf(s.get("image"))));
        }
        assertTrue(pinned.size() >= 7, pinned.toString());
        for (String image : pinned) {
            Map<String, Object> f = fact(image);
            assertEquals(String.valueOf(f.get("checked")), tag(image), image + ": the table was checked at another release");
            for (String field : List.of("base", "healthcheck", "source")) assertNotNull(f.get(field), image + " has no " + field);
            assertTrue(String.valueOf(f.get("source")).startsWith("https://"), image + ": the source is a public address");
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyRenderedHealthcheckUsesABinaryItsImageHas() throws IOException {
        int checked = 0;
        for (Path compose : composeFiles) {
            for (Map.Entry<String, Map<String, Object>> svc : services(compose).entrySet()) {
                Map<String, Object> hc = (Map<String, Object>) svc.getValue().get("healthcheck");
                if (hc == null) continue;
                String image = String.valueOf(svc.getValue().get("image"));
                List<String> test = (List<String>) hc.get("test");
                assertEquals("CMD", test.get(0), compose + " " + svc.getKey() + ": exec form only (no shell in some images)");
                List<String> allowed = (List<String>) fact(image).get("healthcheck");
                assertTrue(allowed.contains(test.get(1)), compose + " " + svc.getKey() + ": " + test.get(1) + " is not in " + image + " (" + allowed + ")");
                checked++;
            }
        }
        assertTrue(checked >= 16, "healthchecks checked: " + checked);
        // Loki's image is distroless: its check is Loki's own probe, never wget.
        Map<String, Object> loki = services(example.file("monitor-1", "/opt/monitoring/central/compose.yaml")).get("loki");
        assertEquals(List.of("CMD", "/usr/bin/loki", "-health", "-health.url=http://127.0.0.1:3100/ready"), ((Map<String, Object>) loki.get("healthcheck")).get("test"));
    }

    @Test
    void theTableRejectsWhatTheImageLacks() {
        // the check above is not vacuous: wget is not in Loki's image, nor curl in Prometheus's
        assertFalse(((List<?>) fact("grafana/loki:3.7.6").get("healthcheck")).contains("wget"));
        assertFalse(((List<?>) fact("prom/prometheus:v3.14.0").get("healthcheck")).contains("curl"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyRenderedFlagIsDefinedByItsImagesVersion() throws IOException {
        int flags = 0;
        for (Path compose : composeFiles) {
            for (Map.Entry<String, Map<String, Object>> svc : services(compose).entrySet()) {
                String image = String.valueOf(svc.getValue().get("image"));
                List<String> command = (List<String>) svc.getValue().getOrDefault("command", List.of());
                List<String> all = new ArrayList<>(command);
                Object hc = svc.getValue().get("healthcheck");
                if (hc != null && image.startsWith("grafana/loki:")) all.addAll(((List<String>) ((Map<String, Object>) hc).get("test")).subList(2, 4));
                if (all.isEmpty()) continue;
                String ref = FLAG_REFERENCES.get(image);
                assertNotNull(ref, compose + " " + svc.getKey() + ": no flag reference for " + image);
                Set<String> known = reference(ref);
                for (String arg : all) {
                    if (!arg.startsWith("-")) continue;
                    String name = arg.replaceFirst("^-+", "").replaceFirst("=.*", "");
                    assertTrue(known.contains(name), compose + " " + svc.getKey() + ": " + image + " has no flag --" + name);
                    flags++;
                }
            }
        }
        assertTrue(flags >= 60, "flags checked: " + flags);
        // and the references are specific: Prometheus 3 has --agent, 2.53 only the feature flag
        assertTrue(reference("prometheus-v3.14.0-flags.txt").contains("agent"));
        assertFalse(reference("prometheus-v2.53.2-flags.txt").contains("agent"));
        assertFalse(reference("prometheus-v3.14.0-flags.txt").contains("web.enable-remote-write-reciever"));
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyKeyOfTheRenderedLokiConfigIsInLokisReference() throws IOException {
        Set<String> documented = reference("loki-v3.7.6-config-keys.txt");
        for (Path loki : composeFiles.stream().map(p -> p.resolveSibling("loki/loki.yaml")).filter(Files::isRegularFile).toList()) {
            Set<String> keys = new TreeSet<>();
            collectKeys(new Yaml().load(Files.readString(loki)), keys);
            assertTrue(keys.size() >= 25, keys.toString());
            Set<String> unknown = keys.stream().filter(k -> !documented.contains(k)).collect(Collectors.toCollection(TreeSet::new));
            assertEquals(Set.of(), unknown, loki + ": keys not in Loki 3.7.6's configuration reference");
        }
        assertFalse(documented.contains("retention_peroid"));
    }

    // ---- helpers ----

    static Map<String, Object> fact(String image) {
        String repo = image.substring(0, image.lastIndexOf(':'));
        Map<String, Object> f = facts.get(repo);
        assertNotNull(f, image + " is not in monitoring_image_facts (" + COMMON_DEFAULTS + ")");
        return f;
    }

    static String tag(String image) {
        return image.substring(image.lastIndexOf(':') + 1);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Map<String, Object>> services(Path compose) throws IOException {
        Map<String, Object> y = new Yaml().load(Files.readString(compose));
        return new LinkedHashMap<>((Map<String, Map<String, Object>>) y.get("services"));
    }

    static Set<String> reference(String name) {
        try (InputStream in = ImagePinsTest.class.getResourceAsStream("/reference/" + name)) {
            assertNotNull(in, "missing resource reference/" + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#")).map(String::trim).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void collectKeys(Object node, Set<String> keys) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                keys.add(String.valueOf(k));
                collectKeys(v, keys);
            });
        } else if (node instanceof List<?> l) {
            l.forEach(v -> collectKeys(v, keys));
        }
    }
}

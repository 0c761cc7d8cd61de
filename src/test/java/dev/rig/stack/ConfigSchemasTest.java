package dev.rig.stack;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Loki and Promtail schemas accept configs of the shape the stack ships and reject the usual slips. */
class ConfigSchemasTest {

    /** Single binary, filesystem storage, tsdb/v13, 90 days of retention by the compactor. */
    static final String LOKI = """
            auth_enabled: false

            server:
              http_listen_port: 3100
              grpc_listen_port: 9096
              http_listen_address: 0.0.0.0
              log_level: info

            common:
              instance_addr: 127.0.0.1
              path_prefix: /loki
              storage:
                filesystem:
                  chunks_directory: /loki/chunks
                  rules_directory: /loki/rules
              replication_factor: 1
              ring:
                kvstore:
                  store: inmemory

            schema_config:
              configs:
                - from: 2024-04-01
                  store: tsdb
                  object_store: filesystem
                  schema: v13
                  index:
                    prefix: index_
                    period: 24h

            storage_config:
              tsdb_shipper:
                active_index_directory: /loki/tsdb-index
                cache_location: /loki/tsdb-cache
              filesystem:
                directory: /loki/chunks

            limits_config:
              retention_period: 2160h
              reject_old_samples: true
              reject_old_samples_max_age: 168h
              ingestion_rate_mb: 8
              ingestion_burst_size_mb: 16
              max_query_lookback: 90d
              allow_structured_metadata: true
              volume_enabled: true

            compactor:
              working_directory: /loki/compactor
              compaction_interval: 10m
              retention_enabled: true
              retention_delete_delay: 2h
              delete_request_store: filesystem

            query_range:
              results_cache:
                cache:
                  embedded_cache:
                    enabled: true
                    max_size_mb: 100

            ruler:
              alertmanager_url: http://localhost:9093

            analytics:
              reporting_enabled: false
            """;

    static final String PROMTAIL = """
            server:
              http_listen_port: 9080
              grpc_listen_port: 0
              log_level: info

            positions:
              filename: /var/lib/promtail/positions.yaml

            clients:
              - url: https://logs.example.com/loki/api/v1/push
                basic_auth:
                  username: edge
                  password_file: /etc/promtail/loki-password
                tls_config:
                  server_name: logs.example.com
                external_labels:
                  host: web-1
                batchwait: 1s
                batchsize: 1048576
                timeout: 10s
                backoff_config:
                  min_period: 500ms
                  max_period: 5m
                  max_retries: 10

            scrape_configs:
              - job_name: docker
                docker_sd_configs:
                  - host: unix:///var/run/docker.sock
                    refresh_interval: 5s
                    filters:
                      - name: status
                        values: [running]
                relabel_configs:
                  - source_labels: ['__meta_docker_container_name']
                    regex: '/(.*)'
                    target_label: container
                  - target_label: job
                    replacement: docker
                    action: replace
                pipeline_stages:
                  - docker: {}

            limits_config:
              readline_rate_enabled: true
              readline_rate: 10000
              readline_burst: 20000
            """;

    /** {@code base} with {@code from} replaced; fails if {@code from} is not there, so no edit is silently lost. */
    private static String edit(String base, String from, String to) {
        assertTrue(base.contains(from), "test config has no '" + from + "'");
        return base.replace(from, to);
    }

    private static List<String> loki(String yaml) {
        return ConfigSchemas.validateText(yaml, ConfigSchemas.LOKI);
    }

    private static List<String> promtail(String yaml) {
        return ConfigSchemas.validateText(yaml, ConfigSchemas.PROMTAIL);
    }

    private static void assertRejected(List<String> errors, String... mustMention) {
        assertFalse(errors.isEmpty(), "expected the schema to reject it");
        String all = String.join("\n", errors);
        for (String m : mustMention) {
            assertTrue(all.contains(m), "errors should mention '" + m + "':\n" + all);
        }
    }

    // ---- Loki ----

    @Test
    void lokiSingleBinaryConfigPasses(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("loki-config.yaml");
        Files.writeString(file, LOKI);
        assertEquals(List.of(), ConfigSchemas.validate(file, ConfigSchemas.LOKI));
    }

    @Test
    void lokiMisspelledKeyFails() {
        assertRejected(loki(edit(LOKI, "retention_period:", "retention_peroid:")), "retention_peroid");
        assertRejected(loki(edit(LOKI, "http_listen_port:", "http_port:")), "http_port");
        assertRejected(loki(edit(LOKI, "chunks_directory:", "chunk_directory:")), "chunk_directory");
    }

    @Test
    void lokiWrongTypeFails() {
        assertRejected(loki(edit(LOKI, "http_listen_port: 3100", "http_listen_port: loki")), "http_listen_port");
        assertRejected(loki(edit(LOKI, "reject_old_samples: true", "reject_old_samples: sometimes")),
                "reject_old_samples");
        assertRejected(loki(edit(LOKI, "log_level: info", "log_level: verbose")), "log_level");
    }

    @Test
    void lokiDurationsFollowTheirGoType() {
        // retention_period and max_query_lookback are model.Duration: days, weeks and years are fine
        assertEquals(List.of(), loki(edit(LOKI, "retention_period: 2160h", "retention_period: 90d")));
        assertEquals(List.of(), loki(edit(LOKI, "retention_period: 2160h", "retention_period: 2y")));
        assertEquals(List.of(), loki(edit(LOKI, "retention_period: 2160h", "retention_period: 1w2d")));
        // ... but not words, fractions or units out of order
        assertRejected(loki(edit(LOKI, "retention_period: 2160h", "retention_period: 90days")), "retention_period");
        assertRejected(loki(edit(LOKI, "retention_period: 2160h", "retention_period: 1.5h")), "retention_period");
        assertRejected(loki(edit(LOKI, "retention_period: 2160h", "retention_period: 1h2d")), "retention_period");
        // compaction_interval is a Go time.Duration: no days
        assertRejected(loki(edit(LOKI, "compaction_interval: 10m", "compaction_interval: 1d")), "compaction_interval");
        assertEquals(List.of(), loki(edit(LOKI, "compaction_interval: 10m", "compaction_interval: 1h30m")));
    }

    @Test
    void lokiSchemaConfigRulesLokiChecksAtStartUp() {
        assertRejected(loki(edit(LOKI, "period: 24h", "period: 168h")), "period");
        assertRejected(loki(edit(LOKI, "schema: v13", "schema: v14")), "schema");
        assertRejected(loki(edit(LOKI, "store: tsdb", "store: cassandra")), "store");
        assertRejected(loki(edit(LOKI, "from: 2024-04-01", "from: 2024-13-01")), "from");
        assertRejected(loki(edit(LOKI, "from: 2024-04-01", "from: 01.04.2024")), "from");
        assertRejected(loki(edit(LOKI, "  delete_request_store: filesystem\n", "")), "delete_request_store");
    }

    // ---- Promtail ----

    @Test
    void promtailDockerConfigPasses(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("promtail-config.yaml");
        Files.writeString(file, PROMTAIL);
        assertEquals(List.of(), ConfigSchemas.validate(file, ConfigSchemas.PROMTAIL));
    }

    @Test
    void promtailMisspelledKeyFails() {
        assertRejected(promtail(edit(PROMTAIL, "docker_sd_configs:", "docker_sd_config:")), "docker_sd_config");
        assertRejected(promtail(edit(PROMTAIL, "password_file:", "pasword_file:")), "pasword_file");
        assertRejected(promtail(edit(PROMTAIL, "target_label: container", "target: container")), "target");
    }

    @Test
    void promtailWrongTypeOrMissingValueFails() {
        assertRejected(promtail(edit(PROMTAIL, "batchsize: 1048576", "batchsize: large")), "batchsize");
        assertRejected(promtail(edit(PROMTAIL, "action: replace", "action: rename")), "action");
        assertRejected(promtail(edit(PROMTAIL, "  - url: https://logs.example.com/loki/api/v1/push\n    basic_auth:",
                "  - basic_auth:")), "url");
        assertRejected(promtail(edit(PROMTAIL, "values: [running]", "values: running")), "values");
    }

    @Test
    void promtailDurationsFollowTheirGoType() {
        // docker_sd refresh_interval is Prometheus' model.Duration, client timings are time.Duration
        assertEquals(List.of(), promtail(edit(PROMTAIL, "refresh_interval: 5s", "refresh_interval: 1d")));
        assertRejected(promtail(edit(PROMTAIL, "refresh_interval: 5s", "refresh_interval: 5 seconds")),
                "refresh_interval");
        assertRejected(promtail(edit(PROMTAIL, "batchwait: 1s", "batchwait: 1d")), "batchwait");
    }

    // ---- the files the stack ships ----

    /**
     * Every plain (not .ftl) YAML file under playbooks/ that is a Loki config (has schema_config) or a Promtail config
     * (has scrape_configs and clients) passes its schema. Templates need rendering first: use validateText.
     */
    @Test
    void shippedLokiAndPromtailConfigsPass() throws IOException {
        Path playbooks = Path.of(System.getProperty("rig.project.dir", ".")).resolve("playbooks");
        if (!Files.isDirectory(playbooks)) {
            return;
        }
        List<Path> yamls;
        try (Stream<Path> s = Files.walk(playbooks)) {
            yamls = s.filter(p -> p.toString().endsWith(".yml") || p.toString().endsWith(".yaml")).sorted().toList();
        }
        StringBuilder failures = new StringBuilder();
        for (Path f : yamls) {
            String text = Files.readString(f);
            String schema = text.contains("\nschema_config:") || text.startsWith("schema_config:") ? ConfigSchemas.LOKI
                    : text.contains("scrape_configs:") && text.contains("\nclients:") ? ConfigSchemas.PROMTAIL : null;
            if (schema == null) {
                continue;
            }
            List<String> errors = ConfigSchemas.validateText(text, schema);
            if (!errors.isEmpty()) {
                failures.append(f).append(" (").append(schema).append("):\n  ")
                        .append(String.join("\n  ", errors)).append('\n');
            }
        }
        assertEquals("", failures.toString());
    }
}

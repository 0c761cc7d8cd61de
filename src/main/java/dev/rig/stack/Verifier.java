package dev.rig.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rig.stack.CentralHttp.CentralException;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Answers "do this fleet's metrics and logs reach central?" per host and signal, from central's own
 * APIs: Prometheus's query API (contract: Prometheus HTTP API) for the freshness of each exporter's
 * series and the agents' remote-write failures, Loki's query_range for a canary line rig writes on
 * each edge, and the services' readiness endpoints. Freshness is computed by Prometheus itself
 * (time() - timestamp(...)), so the operator's clock does not matter.
 */
public final class Verifier {
    public static final String METRICS = "metrics";
    public static final String AGENT = "agent";
    public static final String LOGS = "logs";
    public static final List<String> EDGE_SIGNALS = List.of(METRICS, AGENT, LOGS);
    public static final String ALERTMANAGER = "alertmanager";
    public static final String FIRE_TEST = "fire-test";
    public static final List<String> CENTRAL_SIGNALS = List.of("prometheus", "loki", "grafana", ALERTMANAGER);
    private static final Duration POLL = Duration.ofMillis(500);

    /** An edge host: its inventory name, the host label its series and streams carry, whether it runs postgres-exporter. */
    public record Edge(String name, String label, boolean postgres) {
        List<String> jobs() {
            return postgres ? List.of("node", "cadvisor", "postgres") : List.of("node", "cadvisor");
        }
    }

    /**
     * Central's services; lokiReadyPath is /ready directly, an API path when Loki is reached through Caddy;
     * alertmanager's base URL includes its route prefix (/alertmanager); receivers: the names the inventory gives.
     */
    public record Central(String name, CentralHttp prometheus, CentralHttp loki, String lokiReadyPath, CentralHttp grafana,
                          Set<String> datasourceUids, CentralHttp alertmanager, List<String> receivers) {}

    /** Writes one line into a container log on a host (over SSH); throws with what went wrong. */
    public interface CanaryWriter {
        void write(String host, String canary) throws Exception;
    }

    private final Central central;
    private final CanaryWriter canaries;
    private final Duration within;
    private final Duration logTimeout;
    private final Optional<Instant> scrapedAfter;
    private final Optional<Duration> fireTest;

    public Verifier(Central central, CanaryWriter canaries, Duration within, Duration logTimeout) {
        this(central, canaries, within, logTimeout, Optional.empty());
    }

    /**
     * scrapedAfter: the metrics and agent signals are ok only with a sample scraped at or after that moment, whatever
     * within says (rig recover: restored samples and ones sent before the edge was re-pointed prove nothing).
     */
    public Verifier(Central central, CanaryWriter canaries, Duration within, Duration logTimeout, Optional<Instant> scrapedAfter) {
        this(central, canaries, within, logTimeout, scrapedAfter, Optional.empty());
    }

    private Verifier(Central central, CanaryWriter canaries, Duration within, Duration logTimeout, Optional<Instant> scrapedAfter,
                     Optional<Duration> fireTest) {
        this.central = central;
        this.canaries = canaries;
        this.within = within;
        this.logTimeout = logTimeout;
        this.scrapedAfter = scrapedAfter;
        this.fireTest = fireTest;
    }

    /** The same checks plus a test alert sent through Alertmanager, waiting up to wait for its receivers to accept it. */
    public Verifier withFireTest(Duration wait) {
        return new Verifier(central, canaries, within, logTimeout, scrapedAfter, Optional.of(wait));
    }

    /** The table when central cannot be reached at all: central's error, and every edge's signals unknown (not asked). */
    public static List<Check> centralUnreachable(String centralName, List<Edge> edges, String why) {
        List<Check> out = new ArrayList<>();
        out.add(new Check(centralName, "prometheus", Health.ERROR, why));
        for (String signal : CENTRAL_SIGNALS.subList(1, CENTRAL_SIGNALS.size())) out.add(new Check(centralName, signal, Health.UNKNOWN, "not checked: " + why));
        for (Edge e : edges) {
            for (String signal : EDGE_SIGNALS) out.add(new Check(e.name(), signal, Health.UNKNOWN, "not checked: central " + centralName + " cannot be reached"));
        }
        return out;
    }

    public List<Check> run(List<Edge> edges) {
        List<Check> out = new ArrayList<>(centralChecks());
        if (fireTest.isPresent()) out.add(new AlertFireTest(central.name(), central.alertmanager(), fireTest.get()).run());
        Map<String, Check> logs = logChecks(edges);
        Map<String, List<Check>> metrics = metricChecks(edges);
        for (Edge e : edges) {
            out.addAll(metrics.get(e.name()));
            out.add(logs.get(e.name()));
        }
        return out;
    }

    // ---- central ----

    private List<Check> centralChecks() {
        List<Check> out = new ArrayList<>();
        out.add(ready("prometheus", central.prometheus(), "/-/ready"));
        out.add(ready("loki", central.loki(), central.lokiReadyPath()));
        out.add(grafana());
        out.add(alertmanager());
        return out;
    }

    private Check ready(String signal, CentralHttp service, String path) {
        try {
            CentralHttp.Answer a = service.get(path, Map.of());
            if (a.status() == 200) return Check.ok(central.name(), signal, "ready (" + service.baseUrl() + ")");
            return new Check(central.name(), signal, Health.MISSING, "not ready: " + a.status() + " " + CentralHttp.abbreviate(a.body()));
        } catch (CentralException e) {
            return new Check(central.name(), signal, Health.ERROR, e.getMessage());
        }
    }

    private Check grafana() {
        String host = central.name();
        try {
            JsonNode health = central.grafana().getJson("/api/health", Map.of());
            if (!"ok".equals(health.path("database").asText())) {
                return new Check(host, "grafana", Health.MISSING, "unhealthy: database " + health.path("database").asText("?"));
            }
            JsonNode sources = central.grafana().getJson("/api/datasources", Map.of());
            List<String> missing = new ArrayList<>();
            for (String uid : central.datasourceUids()) {
                boolean found = false;
                for (JsonNode s : sources) found |= uid.equals(s.path("uid").asText());
                if (!found) missing.add(uid);
            }
            if (!missing.isEmpty()) return new Check(host, "grafana", Health.MISSING, "datasources not provisioned: " + String.join(", ", missing));
            return Check.ok(host, "grafana", "healthy, version " + health.path("version").asText("?") + ", datasources " + String.join(", ", central.datasourceUids()));
        } catch (CentralException e) {
            return new Check(host, "grafana", Health.ERROR, e.getMessage());
        }
    }

    /** Ready, its configuration loaded with the inventory's receivers, and central Prometheus sending to it. */
    Check alertmanager() {
        String host = central.name();
        CentralHttp am = central.alertmanager();
        try {
            CentralHttp.Answer ready = am.get("/-/ready", Map.of());
            if (ready.status() != 200) {
                return new Check(host, ALERTMANAGER, Health.MISSING, "not ready: " + ready.status() + " " + CentralHttp.abbreviate(ready.body()) + " (" + am.baseUrl() + ")");
            }
            JsonNode status = am.getJson("/api/v2/status", Map.of());
            List<String> running = AlertFireTest.receivers(status.path("config").path("original").asText(""));
            if (running.isEmpty()) return new Check(host, ALERTMANAGER, Health.MISSING, "ready, but no configuration loaded (no receivers)");
            List<String> absent = central.receivers().stream().filter(r -> !running.contains(r)).toList();
            if (!absent.isEmpty()) {
                return new Check(host, ALERTMANAGER, Health.MISSING, "its running configuration lacks the receivers " + String.join(", ", absent)
                        + " of the inventory (has " + String.join(", ", running) + "): is the rendered alertmanager.yml applied and reloaded?");
            }
            JsonNode active = central.prometheus().getJson("/api/v1/alertmanagers", Map.of()).path("data").path("activeAlertmanagers");
            if (active.isEmpty()) return new Check(host, ALERTMANAGER, Health.MISSING, "ready, but central Prometheus sends alerts to no Alertmanager (its alerting: section)");
            String receivers = central.receivers().isEmpty() ? "no receivers in the inventory (nobody is notified)" : "receivers " + String.join(", ", central.receivers());
            return Check.ok(host, ALERTMANAGER, "ready, version " + status.path("versionInfo").path("version").asText("?") + ", configuration loaded, "
                    + receivers + "; Prometheus sends to it");
        } catch (CentralException e) {
            return new Check(host, ALERTMANAGER, Health.ERROR, e.getMessage());
        }
    }

    // ---- metrics and the agents' health ----

    /** The freshest sample of a host's job: its age by Prometheus's clock, when it was scraped (unix seconds), whether up. */
    private record Series(double ageSeconds, double scrapedAt, double up) {}

    private Map<String, List<Check>> metricChecks(List<Edge> edges) {
        Map<String, List<Check>> out = new HashMap<>();
        Map<String, Map<String, Series>> byHost;
        Map<String, Double> failures;
        try {
            Map<String, Map<String, Double>> ages = byHostAndJob(query("time() - timestamp(up{host!=\"\"})"));
            Map<String, Map<String, Double>> ups = byHostAndJob(query("up{host!=\"\"}"));
            Map<String, Map<String, Double>> ats = byHostAndJob(query("-timestamp(up{host!=\"\"})")); // negated: the merge keeps the smallest
            byHost = new HashMap<>();
            ages.forEach((host, jobs) -> jobs.forEach((job, age) -> byHost.computeIfAbsent(host, h -> new HashMap<>())
                    .put(job, new Series(age, -ats.getOrDefault(host, Map.of()).getOrDefault(job, Double.NEGATIVE_INFINITY),
                            ups.getOrDefault(host, Map.of()).getOrDefault(job, 0.0)))));
            failures = new HashMap<>();
            // Remote-write health is about now: failures of the last minute, not of the whole freshness window
            // (--within 10m would otherwise keep an edge "failing" for ten minutes after a central came back).
            String window = seconds(Duration.ofSeconds(60));
            for (JsonNode r : query("sum by (host) (increase({__name__=~\"prometheus_remote_storage_samples_failed_total|prometheus_remote_storage_failed_samples_total\", host!=\"\"}[" + window + "]))")) {
                failures.put(r.path("metric").path("host").asText(), value(r));
            }
        } catch (CentralException e) {
            for (Edge edge : edges) {
                out.put(edge.name(), List.of(new Check(edge.name(), METRICS, Health.ERROR, e.getMessage()), new Check(edge.name(), AGENT, Health.ERROR, e.getMessage())));
            }
            return out;
        }
        for (Edge edge : edges) {
            Map<String, Series> jobs = byHost.getOrDefault(edge.label(), Map.of());
            out.put(edge.name(), List.of(metrics(edge, jobs), agent(edge, jobs.get("agent"), failures.get(edge.label()))));
        }
        return out;
    }

    private Check metrics(Edge edge, Map<String, Series> jobs) {
        Health worst = Health.OK;
        List<String> problems = new ArrayList<>();
        List<String> fine = new ArrayList<>();
        for (String job : edge.jobs()) {
            Series s = jobs.get(job);
            if (s == null) {
                problems.add(job + ": no samples with host=\"" + edge.label() + "\" (none in Prometheus's 5m lookback)");
                worst = worse(worst, Health.MISSING);
            } else if (s.ageSeconds() > within.toSeconds()) {
                problems.add(job + ": newest sample " + human(s.ageSeconds()) + " old (older than " + human(within.toSeconds()) + ")");
                worst = worse(worst, Health.STALE);
            } else if (beforeStart(s)) {
                problems.add(job + ": newest sample " + human(s.ageSeconds()) + " old, scraped before " + scrapedAfter.get());
                worst = worse(worst, Health.STALE);
            } else if (s.up() < 1) {
                problems.add(job + ": the agent cannot scrape it (up=0)");
                worst = worse(worst, Health.MISSING);
            } else {
                fine.add(job + " " + human(s.ageSeconds()));
            }
        }
        return new Check(edge.name(), METRICS, worst, problems.isEmpty() ? String.join(", ", fine) + " ago" : String.join("; ", problems));
    }

    private Check agent(Edge edge, Series self, Double failed) {
        if (self == null) return new Check(edge.name(), AGENT, Health.MISSING, "no samples of the agent's own metrics (job agent)");
        if (self.ageSeconds() > within.toSeconds()) {
            return new Check(edge.name(), AGENT, Health.STALE, "the agent's own metrics are " + human(self.ageSeconds()) + " old: is it running?");
        }
        if (beforeStart(self)) {
            return new Check(edge.name(), AGENT, Health.STALE, "no self-scrape since " + scrapedAfter.get() + " has arrived (newest " + human(self.ageSeconds()) + " old)");
        }
        if (failed != null && failed > 0) {
            return new Check(edge.name(), AGENT, Health.STALE, String.format(java.util.Locale.ROOT, "remote write failing: %.0f samples failed recently", failed));
        }
        return Check.ok(edge.name(), AGENT, "remote write healthy, last self-scrape " + human(self.ageSeconds()) + " ago");
    }

    private boolean beforeStart(Series s) {
        return scrapedAfter.isPresent() && s.scrapedAt() * 1000 < scrapedAfter.get().toEpochMilli();
    }

    private JsonNode query(String promql) throws CentralException {
        JsonNode body = central.prometheus().getJson("/api/v1/query", Map.of("query", promql));
        if (!"success".equals(body.path("status").asText())) {
            throw new CentralException("Prometheus could not run " + promql + ": " + body.path("error").asText("no error given"));
        }
        return body.path("data").path("result");
    }

    /** host → job → the value, keeping the freshest (smallest) when a job has several series. */
    private static Map<String, Map<String, Double>> byHostAndJob(JsonNode result) {
        Map<String, Map<String, Double>> out = new HashMap<>();
        for (JsonNode r : result) {
            String host = r.path("metric").path("host").asText();
            String job = r.path("metric").path("job").asText();
            out.computeIfAbsent(host, h -> new HashMap<>()).merge(job, value(r), Math::min);
        }
        return out;
    }

    private static double value(JsonNode sample) {
        return Double.parseDouble(sample.path("value").path(1).asText("NaN"));
    }

    // ---- logs ----

    private Map<String, Check> logChecks(List<Edge> edges) {
        String run = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
        Map<String, Check> out = new ConcurrentHashMap<>();
        Map<String, String> pending = new LinkedHashMap<>();
        long written = System.currentTimeMillis();
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(edges.size(), 16)));
        try {
            Map<Edge, Future<?>> writes = new LinkedHashMap<>();
            for (Edge e : edges) {
                String canary = "rig-verify-canary-" + run + "-" + e.name();
                writes.put(e, pool.submit(() -> {
                    canaries.write(e.name(), canary);
                    return null;
                }));
                pending.put(e.name(), canary);
            }
            for (Map.Entry<Edge, Future<?>> w : writes.entrySet()) {
                try {
                    w.getValue().get();
                } catch (Exception ex) {
                    Throwable cause = ex.getCause() != null ? ex.getCause() : ex;
                    out.put(w.getKey().name(), new Check(w.getKey().name(), LOGS, Health.ERROR, "cannot write the canary: " + cause.getMessage()));
                    pending.remove(w.getKey().name());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        Map<String, Edge> byName = new HashMap<>();
        edges.forEach(e -> byName.put(e.name(), e));
        long deadline = System.nanoTime() + logTimeout.toNanos();
        while (!pending.isEmpty()) {
            for (String host : List.copyOf(pending.keySet())) {
                Edge e = byName.get(host);
                try {
                    if (!lines(e.label(), "|= \"" + pending.get(host) + "\"", written - 300_000, 1).isEmpty()) {
                        out.put(host, Check.ok(host, LOGS, "canary arrived after " + human((System.currentTimeMillis() - written) / 1000.0)));
                        pending.remove(host);
                    }
                } catch (CentralException ex) {
                    out.put(host, new Check(host, LOGS, Health.ERROR, ex.getMessage()));
                    pending.remove(host);
                }
            }
            if (pending.isEmpty() || System.nanoTime() > deadline) break;
            sleep();
        }
        for (String host : pending.keySet()) {
            out.put(host, new Check(host, LOGS, Health.MISSING, "canary not in Loki after " + human(logTimeout.toSeconds()) + "; " + newestLine(byName.get(host))));
        }
        return out;
    }

    private String newestLine(Edge e) {
        try {
            List<Long> newest = lines(e.label(), "", System.currentTimeMillis() - 3_600_000, 1);
            if (newest.isEmpty()) return "no line from host=\"" + e.label() + "\" in the last hour";
            return "newest line " + human((System.currentTimeMillis() - newest.get(0) / 1_000_000) / 1000.0) + " old";
        } catch (CentralException ex) {
            return "newest line unknown: " + ex.getMessage();
        }
    }

    /** Timestamps (ns) of the newest lines of a host matching filter since fromMillis. */
    private List<Long> lines(String hostLabel, String filter, long fromMillis, int limit) throws CentralException {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("query", "{host=\"" + hostLabel.replace("\"", "\\\"") + "\"}" + (filter.isEmpty() ? "" : " " + filter));
        q.put("start", Long.toString(fromMillis * 1_000_000));
        q.put("end", Long.toString((System.currentTimeMillis() + 60_000) * 1_000_000));
        q.put("limit", Integer.toString(limit));
        q.put("direction", "backward");
        JsonNode body = central.loki().getJson("/loki/api/v1/query_range", q);
        List<Long> out = new ArrayList<>();
        for (JsonNode stream : body.path("data").path("result")) {
            for (JsonNode v : stream.path("values")) out.add(Long.parseLong(v.path(0).asText("0")));
        }
        out.sort(java.util.Comparator.reverseOrder());
        return out;
    }

    // ---- small things ----

    private static Health worse(Health a, Health b) {
        return a.ordinal() >= b.ordinal() ? a : b;
    }

    private static String seconds(Duration d) {
        return d.toSeconds() + "s";
    }

    static String human(double seconds) {
        long s = Math.round(Math.max(0, seconds));
        if (s < 60) return s + "s";
        if (s < 3600) return (s / 60) + "m" + (s % 60 == 0 ? "" : (s % 60) + "s");
        return (s / 3600) + "h" + ((s % 3600) / 60 == 0 ? "" : ((s % 3600) / 60) + "m");
    }

    private static void sleep() {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package dev.rig.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.stack.CentralHttp.CentralException;
import org.yaml.snakeyaml.Yaml;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;

/**
 * rig verify --fire-test: a test alert posted to Alertmanager's API (POST /api/v2/alerts), one per severity so
 * that every route gets it, then confirmed delivered by Alertmanager's own counters: its
 * alertmanager_notification_requests_total and alertmanager_notification_requests_failed_total per integration
 * (webhook, email, slack...) count each attempt and each refused one (not a 2xx, no SMTP accept); the
 * notifications_* counters count a failure only once every retry is spent. rig cannot ask a receiver itself;
 * a real notification sent in the same seconds would count too. The alert is resolved after.
 */
final class AlertFireTest {
    static final String ALERTNAME = "RigFireTest";
    private static final Duration POLL = Duration.ofMillis(500);

    private final String host;
    private final CentralHttp am;
    private final Duration wait;

    AlertFireTest(String host, CentralHttp am, Duration wait) {
        this.host = host;
        this.am = am;
        this.wait = wait;
    }

    Check run() {
        long start = System.nanoTime();
        try {
            Set<String> integrations = integrations(am.getJson("/api/v2/status", Map.of()).path("config").path("original").asText(""));
            Map<String, double[]> before = counters();
            String id = Long.toHexString(ThreadLocalRandom.current().nextLong() & 0xffffffffffL);
            post(id, Instant.now().plus(Duration.ofMinutes(10)));
            try {
                if (integrations.isEmpty()) {
                    return Check.ok(host, Verifier.FIRE_TEST, "test alert " + id + " accepted by Alertmanager; no receiver has an integration: nobody to notify, nothing to confirm");
                }
                long deadline = start + wait.toNanos();
                while (true) {
                    Map<String, double[]> after = counters();
                    List<String> delivered = new ArrayList<>();
                    List<String> waiting = new ArrayList<>();
                    for (String integration : integrations) {
                        double[] b = before.getOrDefault(integration, new double[2]);
                        double[] a = after.getOrDefault(integration, new double[2]);
                        double failed = a[1] - b[1];
                        double accepted = (a[0] - b[0]) - failed;
                        if (failed > 0 && accepted < 1) {
                            return new Check(host, Verifier.FIRE_TEST, Health.ERROR, String.format(Locale.ROOT,
                                    "test alert %s: %.0f %s notification attempt(s) refused by the receiver (Alertmanager's log says why)", id, failed, integration));
                        }
                        if (accepted >= 1) delivered.add(String.format(Locale.ROOT, "%s %.0f", integration, accepted));
                        else waiting.add(integration);
                    }
                    String took = Verifier.human((System.nanoTime() - start) / 1e9);
                    if (waiting.isEmpty()) {
                        return Check.ok(host, Verifier.FIRE_TEST, "test alert " + id + " accepted by the receivers after " + took + ": " + String.join(", ", delivered));
                    }
                    if (System.nanoTime() > deadline) {
                        return new Check(host, Verifier.FIRE_TEST, Health.MISSING, "test alert " + id + " not delivered within " + took + " to "
                                + String.join(", ", waiting) + (delivered.isEmpty() ? "" : " (delivered: " + String.join(", ", delivered) + ")")
                                + "; Alertmanager waits group_wait before a first notification");
                    }
                    Thread.sleep(POLL.toMillis());
                }
            } finally {
                post(id, Instant.now());
            }
        } catch (CentralException e) {
            return new Check(host, Verifier.FIRE_TEST, Health.ERROR, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Check(host, Verifier.FIRE_TEST, Health.UNKNOWN, "interrupted");
        }
    }

    /** The test alert, one per severity; endsAt in the past-or-now resolves it. */
    private void post(String id, Instant endsAt) throws CentralException {
        ArrayNode alerts = CentralHttp.JSON.createArrayNode();
        for (String severity : List.of("critical", "warning")) {
            ObjectNode a = alerts.addObject();
            ObjectNode labels = a.putObject("labels");
            labels.put("alertname", ALERTNAME);
            labels.put("severity", severity);
            labels.put("host", host);
            labels.put("rig_fire_test", id);
            ObjectNode annotations = a.putObject("annotations");
            annotations.put("summary", "rig verify --fire-test: a test alert, nothing is wrong");
            annotations.put("runbook", "Nothing to do: it checks that alerts reach this receiver; it resolves itself.");
            a.put("endsAt", endsAt.toString());
        }
        CentralHttp.Answer r = am.postJson("/api/v2/alerts", alerts.toString());
        if (r.status() != 200) throw new CentralException("Alertmanager refused the test alert: " + r.status() + " " + CentralHttp.abbreviate(r.body()));
    }

    /** integration → {notifications sent, failed}, summed over its other labels. */
    private Map<String, double[]> counters() throws CentralException {
        CentralHttp.Answer m = am.get("/metrics", Map.of());
        if (m.status() != 200) throw new CentralException("Alertmanager's /metrics answered " + m.status());
        Map<String, double[]> out = new TreeMap<>();
        for (String line : m.body().split("\n")) {
            int slot = line.startsWith("alertmanager_notification_requests_total{") ? 0
                    : line.startsWith("alertmanager_notification_requests_failed_total{") ? 1 : -1;
            if (slot < 0) continue;
            java.util.regex.Matcher i = java.util.regex.Pattern.compile("integration=\"([^\"]*)\"").matcher(line);
            if (!i.find()) continue;
            out.computeIfAbsent(i.group(1), k -> new double[2])[slot] += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
        }
        return out;
    }

    /** The receivers' names of an Alertmanager configuration (YAML). */
    @SuppressWarnings("unchecked")
    static List<String> receivers(String config) {
        List<String> names = new ArrayList<>();
        for (Map<String, Object> r : receiverList(config)) names.add(String.valueOf(r.get("name")));
        return names;
    }

    /** The integrations its receivers use: webhook_configs → webhook, email_configs → email, ... */
    static Set<String> integrations(String config) {
        Set<String> out = new TreeSet<>();
        for (Map<String, Object> r : receiverList(config)) {
            for (Map.Entry<String, Object> e : r.entrySet()) {
                if (e.getKey().endsWith("_configs") && e.getValue() instanceof List<?> l && !l.isEmpty()) out.add(e.getKey().substring(0, e.getKey().length() - "_configs".length()));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> receiverList(String config) {
        if (config.isBlank()) return List.of();
        Object doc = new Yaml().load(config);
        if (!(doc instanceof Map<?, ?> m) || !(m.get("receivers") instanceof List<?> l)) return List.of();
        return (List<Map<String, Object>>) l;
    }
}

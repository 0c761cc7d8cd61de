package dev.rig.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * A webhook receiver stand-in, written from Alertmanager's configuration reference (webhook_config: "The
 * Alertmanager will send HTTP POST requests in the following JSON format"): version "4", groupKey,
 * truncatedAlerts, status (firing|resolved), receiver, groupLabels, commonLabels, commonAnnotations,
 * externalURL, and alerts[] each with status, labels, annotations, startsAt, endsAt, generatorURL and
 * fingerprint. A POST that is not that shape is answered 400 and kept as a protocol error, so a test fails
 * on it; a good one is answered 200 (what Alertmanager counts as delivered) and kept with its arrival time.
 * Listens on a 127.0.0.0/8 address only.
 */
final class AlertWebhookReceiver implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> TOP = List.of("version", "groupKey", "truncatedAlerts", "status", "receiver", "groupLabels",
            "commonLabels", "commonAnnotations", "externalURL", "alerts");
    private static final List<String> PER_ALERT = List.of("status", "labels", "annotations", "startsAt", "endsAt", "generatorURL", "fingerprint");

    /** One alert of one delivered notification, with the notification's status and when it arrived here. */
    record Delivered(Instant received, String notificationStatus, String receiver, String status, Map<String, String> labels,
                     Map<String, String> annotations, Instant startsAt, String endsAt) {
        String label(String name) {
            return labels.get(name);
        }
    }

    private final HttpServer server;
    private final List<Delivered> delivered = new CopyOnWriteArrayList<>();
    private final List<String> protocolErrors = new CopyOnWriteArrayList<>();
    /** While set, well-formed notifications are answered 500 (a receiver that is down), and still kept. */
    volatile boolean refusing;

    AlertWebhookReceiver(String address, int port) throws IOException {
        server = HttpServer.create(LoopbackAddress.of(address, port), 16);
        server.createContext("/hook", exchange -> {
            int status;
            try (InputStream in = exchange.getRequestBody()) {
                Instant now = Instant.now();
                String error = "POST".equals(exchange.getRequestMethod()) ? accept(now, new String(in.readAllBytes(), StandardCharsets.UTF_8))
                        : exchange.getRequestMethod() + " instead of POST";
                if (error != null) protocolErrors.add(error);
                status = error != null ? 400 : refusing ? 500 : 200;
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        server.start();
    }

    URI url() {
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort() + "/hook");
    }

    /** null when the body is a version 4 notification (and is kept), else what is wrong with it. */
    private String accept(Instant now, String body) {
        JsonNode n;
        try {
            n = JSON.readTree(body);
        } catch (IOException e) {
            return "not JSON: " + e.getMessage();
        }
        for (String field : TOP) if (!n.has(field)) return "no " + field + " in " + body;
        if (!"4".equals(n.path("version").asText())) return "version " + n.path("version") + ", expected \"4\"";
        String status = n.path("status").asText();
        if (!status.equals("firing") && !status.equals("resolved")) return "status " + status;
        if (!n.path("alerts").isArray() || n.path("alerts").isEmpty()) return "no alerts in " + body;
        List<Delivered> alerts = new ArrayList<>();
        for (JsonNode a : n.path("alerts")) {
            for (String field : PER_ALERT) if (!a.has(field)) return "an alert without " + field + ": " + a;
            Instant startsAt;
            try {
                startsAt = Instant.parse(a.path("startsAt").asText());
            } catch (RuntimeException e) {
                return "startsAt is not RFC 3339: " + a.path("startsAt");
            }
            alerts.add(new Delivered(now, status, n.path("receiver").asText(), a.path("status").asText(), strings(a.path("labels")),
                    strings(a.path("annotations")), startsAt, a.path("endsAt").asText()));
        }
        delivered.addAll(alerts);
        return null;
    }

    private static Map<String, String> strings(JsonNode object) {
        Map<String, String> out = new TreeMap<>();
        object.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    List<Delivered> delivered() {
        return List.copyOf(delivered);
    }

    List<String> protocolErrors() {
        return List.copyOf(protocolErrors);
    }

    /** The first delivered alert matching, waiting up to bound; null when none arrived. */
    Delivered await(Predicate<Delivered> match, Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (true) {
            for (Delivered d : delivered) if (match.test(d)) return d;
            if (System.nanoTime() > deadline) return null;
            Daemons.pause(100);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}

package dev.rig.stack;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Ships log lines to Loki as Promtail would, but in the JSON form of {@code POST /loki/api/v1/push} from Loki's HTTP API
 * reference (shared/contracts/loki/loki-http-api.md) instead of Promtail's snappy protobuf. Every interval it asks
 * {@code newLines} for the lines that appeared since the last call and pushes them as one stream with fixed labels,
 * stamped with the time of collection in unix nanoseconds, strictly increasing. Like Promtail it sends a batch again
 * (same timestamps) after a connection error, 429 or 5xx, and drops one refused with another 4xx; the last failure is
 * kept for the test to read. {@link #stop()} pushes what is left before it returns.
 * <p>
 * Left out: batching by size, backoff, several streams, the tenant header and file tailing (the supplier does that).
 */
public final class LokiPusher {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PUSH_PATH = "/loki/api/v1/push";

    private final Supplier<URI> pushUri;
    private final Map<String, String> labels;
    private final Supplier<List<String>> newLines;
    private final String authorization;
    private final HttpClient http;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "loki-pusher");
        t.setDaemon(true);
        return t;
    });
    private final List<String[]> pending = new ArrayList<>(); // [unix ns, line] not yet accepted
    private long lastNs;
    private long linesDelivered;
    private String lastFailure;

    private LokiPusher(Supplier<String> lokiUrl, Map<String, String> labels, Supplier<List<String>> newLines, String user, String password,
                       SSLContext sslContext) {
        this.pushUri = () -> {
            String base = lokiUrl.get().replaceAll("/+$", "");
            return URI.create(base.endsWith(PUSH_PATH) ? base : base + PUSH_PATH);
        };
        this.labels = Map.copyOf(labels);
        this.newLines = newLines;
        this.authorization = user == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
        HttpClient.Builder client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        if (sslContext != null) client.sslContext(sslContext);
        this.http = client.build();
    }

    /** Pushes to {@code lokiUrl} (Loki's base URL, or the full push URL as in Promtail's {@code clients[].url}) every {@code interval}. */
    public static LokiPusher start(String lokiUrl, Map<String, String> labels, Supplier<List<String>> newLines, Duration interval) {
        return start(lokiUrl, labels, newLines, interval, null, null, null);
    }

    /** As above, with basic auth when {@code user} is not null (Loki behind a proxy) and {@code sslContext} for HTTPS when not null. */
    public static LokiPusher start(String lokiUrl, Map<String, String> labels, Supplier<List<String>> newLines, Duration interval,
                                   String user, String password, SSLContext sslContext) {
        return start(() -> lokiUrl, labels, newLines, interval, user, password, sslContext);
    }

    /**
     * lokiUrl is asked before every push, as Promtail resolves its client's host name on each new connection: a name
     * whose address changes (rig recover re-points an edge's hosts file) sends the pending lines to the new address.
     */
    public static LokiPusher start(Supplier<String> lokiUrl, Map<String, String> labels, Supplier<List<String>> newLines, Duration interval,
                                   String user, String password, SSLContext sslContext) {
        LokiPusher pusher = new LokiPusher(lokiUrl, labels, newLines, user, password, sslContext);
        pusher.scheduler.scheduleWithFixedDelay(pusher::pushOnce, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
        return pusher;
    }

    public synchronized long linesDelivered() {
        return linesDelivered;
    }

    /** The last push that failed, as "HTTP status: body" or the exception; null while none has. */
    public synchronized String lastFailure() {
        return lastFailure;
    }

    /**
     * The lines a growing file gained since the last call, given a way to read the whole file (on a lab
     * host: fleet.exec of cat), as Promtail tails a log: the supplier for {@link #start}.
     */
    public static Supplier<List<String>> appendedLines(Supplier<String> readFile) {
        int[] seen = {0};
        return () -> {
            List<String> all = readFile.get().lines().toList();
            List<String> fresh = all.subList(Math.min(seen[0], all.size()), all.size());
            seen[0] = all.size();
            return List.copyOf(fresh);
        };
    }

    /** Stops the schedule, then pushes the lines collected or still pending. */
    public void stop() {
        scheduler.shutdown();
        try {
            if (!scheduler.awaitTermination(30, TimeUnit.SECONDS)) throw new IllegalStateException("the Loki pusher did not stop");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        pushOnce();
    }

    private synchronized void pushOnce() {
        try {
            for (String line : newLines.get()) pending.add(new String[] {Long.toString(nextTimestamp()), line});
            if (pending.isEmpty()) return;
            HttpRequest.Builder request = HttpRequest.newBuilder(pushUri.get()).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body())));
            if (authorization != null) request.header("Authorization", authorization);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status / 100 == 2) {
                linesDelivered += pending.size();
                pending.clear();
                return;
            }
            lastFailure = "HTTP " + status + ": " + response.body().strip();
            if (status != 429 && status < 500) pending.clear();
        } catch (IOException | RuntimeException e) {
            lastFailure = e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private ObjectNode body() {
        ObjectNode body = JSON.createObjectNode();
        ObjectNode stream = body.putArray("streams").addObject();
        ObjectNode streamLabels = stream.putObject("stream");
        labels.forEach(streamLabels::put);
        ArrayNode values = stream.putArray("values");
        for (String[] entry : pending) values.addArray().add(entry[0]).add(entry[1]);
        return body;
    }

    private long nextTimestamp() {
        Instant now = Instant.now();
        lastNs = Math.max(now.getEpochSecond() * 1_000_000_000L + now.getNano(), lastNs + 1);
        return lastNs;
    }
}

package dev.rig.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("integration")
class LokiStandInTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** 2023-11-14T22:13:20Z in unix nanoseconds: old enough to be outside the default one-hour window. */
    private static final long BASE_NS = 1_700_000_000_000_000_000L;
    private static final long SECOND_NS = 1_000_000_000L;

    private final HttpClient http = HttpClient.newHttpClient();
    private LokiStandIn loki;

    @BeforeEach
    void start() {
        loki = LokiStandIn.start("127.0.0.1", 0);
    }

    @AfterEach
    void stop() {
        loki.close();
    }

    @Test
    void pushedLinesAreFoundBySelectorAndLineFilters() throws Exception {
        long now = nowNs();
        assertEquals(204, push(streams(
                stream("{\"host\":\"web1\",\"job\":\"syslog\"}", now - 3000, "sshd: accepted key", now - 2000, "cron: ran backup", now - 1000, "sshd: failed password"),
                stream("{\"host\":\"web2\",\"job\":\"syslog\"}", now - 500, "sshd: accepted key on web2"))).statusCode());

        JsonNode answer = queryRange(Map.of("query", "{job=\"syslog\", host=~\"web1|web3\"} |= \"sshd\" != \"failed\""));
        assertEquals("success", answer.path("status").asText());
        assertEquals("streams", answer.path("data").path("resultType").asText());
        JsonNode result = answer.path("data").path("result");
        assertEquals(1, result.size());
        assertEquals("web1", result.get(0).path("stream").path("host").asText());
        assertEquals("syslog", result.get(0).path("stream").path("job").asText());
        assertEquals(List.of("sshd: accepted key"), lines(answer));
        assertEquals(Long.toString(now - 3000), result.get(0).path("values").get(0).get(0).asText(), "timestamps come back as strings of ns");

        assertEquals(List.of("sshd: accepted key on web2"), lines(queryRange(Map.of("query", "{job=\"syslog\", host!=\"web1\"}"))));
        assertEquals(List.of("sshd: failed password"), lines(queryRange(Map.of("query", "{host!~\"web[2-9]\", job=\"syslog\"} |~ \"fail(ed|ure)\""))));
        assertEquals(List.of("cron: ran backup"), lines(queryRange(Map.of("query", "{host=\"web1\"} !~ `^sshd`"))));
        assertEquals(List.of(), lines(queryRange(Map.of("query", "{host=\"web9\"}"))));
    }

    @Test
    void timeWindowIncludesStartExcludesEndInEveryTimestampFormat() throws Exception {
        push(streams(stream("{\"job\":\"w\"}", BASE_NS, "zero", BASE_NS + SECOND_NS, "one", BASE_NS + 2 * SECOND_NS, "two")));
        String query = "{job=\"w\"}";
        assertEquals(List.of("one"), lines(queryRange(Map.of("query", query, "start", Long.toString(BASE_NS + SECOND_NS), "end", Long.toString(BASE_NS + 2 * SECOND_NS)))));
        assertEquals(List.of("one"), lines(queryRange(Map.of("query", query, "start", "2023-11-14T22:13:21Z", "end", "2023-11-14T23:13:22+01:00"))));
        assertEquals(List.of("one"), lines(queryRange(Map.of("query", query, "start", "1700000000.5", "end", "1700000001.999999999"))));
        assertEquals(List.of(), lines(queryRange(Map.of("query", query))), "by default only the last hour");

        HttpResponse<String> ambiguous = get("/loki/api/v1/query_range", Map.of("query", query, "start", "1700000000"));
        assertEquals(400, ambiguous.statusCode());
        assertTrue(ambiguous.body().contains("ambiguous"), ambiguous.body());
        assertEquals(400, get("/loki/api/v1/query_range", Map.of("query", query, "start", "yesterday")).statusCode());
        assertEquals(400, get("/loki/api/v1/query_range", Map.of("query", query, "start", Long.toString(BASE_NS + 1), "end", Long.toString(BASE_NS))).statusCode());
    }

    @Test
    void limitCapsEntriesAcrossStreamsAndDirectionOrdersThem() throws Exception {
        push(streams(
                stream("{\"job\":\"a\"}", BASE_NS + 1, "a1", BASE_NS + 3, "a3", BASE_NS + 5, "a5"),
                stream("{\"job\":\"b\"}", BASE_NS + 2, "b2", BASE_NS + 4, "b4")));
        Map<String, String> window = Map.of("query", "{job=~\"a|b\"}", "start", Long.toString(BASE_NS), "end", Long.toString(BASE_NS + SECOND_NS));

        assertEquals(List.of("a5", "a3", "a1", "b4", "b2"), lines(queryRange(window)), "backward by default: newest first within each stream");
        assertEquals(List.of("a5", "b4"), lines(queryRange(with(window, "limit", "2"))));
        assertEquals(List.of("a1", "a3", "b2"), lines(queryRange(with(with(window, "limit", "3"), "direction", "forward"))));
        assertEquals(List.of("a5", "a3", "b4"), lines(queryRange(with(with(window, "limit", "3"), "direction", "backward"))));

        assertEquals(400, get("/loki/api/v1/query_range", with(window, "limit", "0")).statusCode());
        assertEquals(400, get("/loki/api/v1/query_range", with(window, "limit", "5001")).statusCode());
        assertEquals(400, get("/loki/api/v1/query_range", with(window, "direction", "sideways")).statusCode());
    }

    @Test
    void badPushesAreRefusedWith400AndAPlainTextReason() throws Exception {
        List<String> bad = List.of(
                "not json",
                "{}",
                "{\"streams\":[{\"stream\":{\"job\":\"x\"},\"values\":[[1700000000000000000,\"line\"]]}]}",
                "{\"streams\":[{\"stream\":{\"job\":\"x\"},\"values\":[[\"17e17\",\"line\"]]}]}",
                "{\"streams\":[{\"stream\":{\"job\":\"x\"},\"values\":[[\"1700000000000000000\",42]]}]}",
                "{\"streams\":[{\"stream\":{\"job\":\"x\"},\"values\":[[\"1700000000000000000\"]]}]}",
                "{\"streams\":[{\"stream\":{\"job\":\"x\"},\"values\":[[\"1700000000000000000\",\"l\",{\"trace\":{\"nested\":\"no\"}}]]}]}",
                "{\"streams\":[{\"stream\":{\"job\":7},\"values\":[]}]}",
                "{\"streams\":[{\"stream\":{\"1job\":\"x\"},\"values\":[]}]}",
                "{\"streams\":[{\"stream\":{},\"values\":[]}]}",
                "{\"streams\":[{\"stream\":{\"job\":\"x\"},\"values\":{}}]}");
        for (String body : bad) {
            HttpResponse<String> response = post(body.getBytes(StandardCharsets.UTF_8), "application/json", null);
            assertEquals(400, response.statusCode(), body);
            assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"), body);
            assertTrue(!response.body().isBlank(), body);
        }
        assertEquals(0, loki.entries(Map.of()), "nothing of a refused push is stored");

        String withMetadata = "{\"streams\":[{\"stream\":{\"job\":\"x\"},\"values\":[[\"1700000000000000000\",\"l\",{\"trace_id\":\"0242ac120002\"}]]}]}";
        assertEquals(204, post(withMetadata.getBytes(StandardCharsets.UTF_8), "application/json; charset=utf-8", null).statusCode());
        assertEquals(1, loki.entries(Map.of("job", "x")));
    }

    @Test
    void gzipJsonIsAcceptedAndProtobufIsRefusedWith415() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(zipped)) {
            gz.write(streams(stream("{\"job\":\"gz\"}", nowNs(), "compressed")).getBytes(StandardCharsets.UTF_8));
        }
        assertEquals(204, post(zipped.toByteArray(), "application/json", "gzip").statusCode());
        assertEquals(List.of("compressed"), lines(queryRange(Map.of("query", "{job=\"gz\"}"))));

        HttpResponse<String> protobuf = post(new byte[] {0x0a, 0x00}, "application/x-protobuf", null);
        assertEquals(415, protobuf.statusCode());
        assertTrue(protobuf.body().contains("JSON"), protobuf.body());
    }

    @Test
    void anEntryPushedTwiceIsStoredOnce() throws Exception {
        String body = streams(stream("{\"job\":\"d\"}", BASE_NS, "same", BASE_NS, "other line, same time"));
        push(body);
        push(body);
        assertEquals(2, loki.entries(Map.of("job", "d")));
    }

    @Test
    void queriesOutsideTheSubsetAreRefusedWith400() throws Exception {
        Map<String, String> unsupported = Map.of(
                "count_over_time({job=\"x\"}[5m])", "unsupported by the stand-in",
                "{job=\"x\"} | json", "unsupported by the stand-in",
                "{job=\"x\"} |= \"a\" or \"b\"", "unsupported by the stand-in",
                "{job=~\".*\"}", "empty-compatible",
                "{job=\"x\"", "parse error",
                "{job=~\"(\"}", "parse error");
        for (Map.Entry<String, String> q : unsupported.entrySet()) {
            HttpResponse<String> response = get("/loki/api/v1/query_range", Map.of("query", q.getKey()));
            assertEquals(400, response.statusCode(), q.getKey());
            assertTrue(response.body().contains(q.getValue()), q.getKey() + " -> " + response.body());
        }
        assertEquals(400, get("/loki/api/v1/query_range", Map.of()).statusCode());
        assertEquals(400, get("/loki/api/v1/query_range", Map.of("query", "{job=\"x\"}", "since", "1h")).statusCode());
    }

    @Test
    void readyAnswersAsTheIngesterIs() throws Exception {
        HttpResponse<String> ready = get("/ready", Map.of());
        assertEquals(200, ready.statusCode());
        assertEquals("ready", ready.body().strip());
        loki.setReady(false);
        HttpResponse<String> notReady = get("/ready", Map.of());
        assertEquals(503, notReady.statusCode());
        assertTrue(notReady.body().startsWith("Ingester not ready"), notReady.body());
        loki.setReady(true);
        assertEquals(200, get("/ready", Map.of()).statusCode());
    }

    @Test
    void labelsListsTheLabelNamesOfStreamsInTheWindow() throws Exception {
        long now = nowNs();
        push(streams(stream("{\"job\":\"syslog\",\"host\":\"web1\"}", now, "x"), stream("{\"job\":\"nginx\",\"env\":\"prod\"}", now, "y"),
                stream("{\"stale\":\"yes\"}", BASE_NS, "old")));
        JsonNode all = JSON.readTree(get("/loki/api/v1/labels", Map.of()).body());
        assertEquals("success", all.path("status").asText());
        assertEquals(List.of("env", "host", "job"), texts(all.path("data")));
        JsonNode nginx = JSON.readTree(get("/loki/api/v1/labels", Map.of("query", "{job=\"nginx\"}")).body());
        assertEquals(List.of("env", "job"), texts(nginx.path("data")));
    }

    @Test
    void exchangesAreRecordedAndUnknownPathsAre404() throws Exception {
        assertEquals(404, get("/loki/api/v1/series", Map.of()).statusCode());
        assertEquals(405, get("/loki/api/v1/push", Map.of()).statusCode());
        get("/ready", Map.of());
        List<LokiStandIn.Exchange> log = loki.exchanges();
        assertEquals(3, log.size());
        assertEquals(new LokiStandIn.Exchange("GET", "/loki/api/v1/series", null, 404, null), log.get(0));
        assertEquals(405, log.get(1).status());
        assertEquals("/ready", log.get(2).path());
    }

    @Test
    void entriesCountsStreamsThatCarryTheGivenLabels() throws Exception {
        push(streams(stream("{\"job\":\"s\",\"host\":\"a\"}", BASE_NS, "1", BASE_NS + 1, "2"), stream("{\"job\":\"s\",\"host\":\"b\"}", BASE_NS, "3")));
        assertEquals(3, loki.entries(Map.of("job", "s")));
        assertEquals(2, loki.entries(Map.of("job", "s", "host", "a")));
        assertEquals(0, loki.entries(Map.of("host", "c")));
    }

    @Test
    void listensOnlyOnLoopbackAddresses() {
        assertThrows(IllegalArgumentException.class, () -> LokiStandIn.start("0.0.0.0", 0));
        assertThrows(IllegalArgumentException.class, () -> LokiStandIn.start("localhost", 0));
        assertThrows(IllegalArgumentException.class, () -> LokiStandIn.start("128.0.0.1", 0));
        try (LokiStandIn second = LokiStandIn.start("127.0.0.2", 0)) {
            assertTrue(second.url().startsWith("http://127.0.0.2:"), second.url());
        }
    }

    @Test
    void pusherDeliversNewLinesWithStrictlyIncreasingTimestamps() throws Exception {
        ConcurrentLinkedQueue<String> written = new ConcurrentLinkedQueue<>();
        LokiPusher pusher = LokiPusher.start(loki.url(), Map.of("host", "edge1", "job", "canary"), () -> drain(written), Duration.ofMillis(50));
        written.add("first");
        written.add("second");
        awaitTrue(() -> loki.entries(Map.of("job", "canary")) == 2);
        written.add("third");
        written.add("fourth");
        pusher.stop();

        assertEquals(4, pusher.linesDelivered());
        assertEquals(null, pusher.lastFailure());
        JsonNode answer = queryRange(Map.of("query", "{host=\"edge1\", job=\"canary\"}", "direction", "forward"));
        assertEquals(List.of("first", "second", "third", "fourth"), lines(answer));
        long previous = 0;
        for (JsonNode value : answer.path("data").path("result").get(0).path("values")) {
            long ns = Long.parseLong(value.get(0).asText());
            assertTrue(ns > previous, "timestamps strictly increase");
            previous = ns;
        }
        assertTrue(loki.exchanges().stream().allMatch(e -> e.authorization() == null));
    }

    @Test
    void pusherSendsBasicAuthAndRecordsARefusedPush() throws Exception {
        ConcurrentLinkedQueue<String> written = new ConcurrentLinkedQueue<>(List.of("hello"));
        LokiPusher pusher = LokiPusher.start(loki.url() + "/loki/api/v1/push", Map.of("job", "auth"), () -> drain(written),
                Duration.ofMinutes(1), "tenant", "s3cret", null);
        pusher.stop();
        assertEquals(1, loki.entries(Map.of("job", "auth")));
        String expected = "Basic " + Base64.getEncoder().encodeToString("tenant:s3cret".getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, loki.exchanges().get(0).authorization());

        ConcurrentLinkedQueue<String> refused = new ConcurrentLinkedQueue<>(List.of("dropped"));
        LokiPusher badLabels = LokiPusher.start(loki.url(), Map.of("bad-label", "x"), () -> drain(refused), Duration.ofMinutes(1));
        badLabels.stop();
        assertEquals(0, badLabels.linesDelivered());
        assertNotNull(badLabels.lastFailure());
        assertTrue(badLabels.lastFailure().startsWith("HTTP 400"), badLabels.lastFailure());
    }

    // ---- helpers ----

    private static String streams(String... streams) {
        return "{\"streams\":[" + String.join(",", streams) + "]}";
    }

    /** A stream JSON object: labels JSON, then (ns, line) pairs. */
    private static String stream(String labels, Object... nsAndLines) throws IOException {
        List<List<String>> values = new ArrayList<>();
        for (int i = 0; i < nsAndLines.length; i += 2) values.add(List.of(nsAndLines[i].toString(), (String) nsAndLines[i + 1]));
        return "{\"stream\":" + labels + ",\"values\":" + JSON.writeValueAsString(values) + "}";
    }

    private HttpResponse<String> push(String body) throws Exception {
        HttpResponse<String> response = post(body.getBytes(StandardCharsets.UTF_8), "application/json", null);
        assertEquals(204, response.statusCode(), response.body());
        return response;
    }

    private HttpResponse<String> post(byte[] body, String contentType, String contentEncoding) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(loki.url() + "/loki/api/v1/push"))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentEncoding != null) request.header("Content-Encoding", contentEncoding);
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, Map<String, String> params) throws Exception {
        StringBuilder query = new StringBuilder();
        params.forEach((k, v) -> query.append(query.length() == 0 ? "?" : "&").append(k).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return http.send(HttpRequest.newBuilder(URI.create(loki.url() + path + query)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode queryRange(Map<String, String> params) throws Exception {
        HttpResponse<String> response = get("/loki/api/v1/query_range", params);
        assertEquals(200, response.statusCode(), response.body());
        return JSON.readTree(response.body());
    }

    /** Every line of a streams answer, stream by stream, in the order given. */
    private static List<String> lines(JsonNode answer) {
        List<String> out = new ArrayList<>();
        for (JsonNode stream : answer.path("data").path("result")) {
            for (JsonNode value : stream.path("values")) out.add(value.get(1).asText());
        }
        return out;
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Map<String, String> with(Map<String, String> params, String key, String value) {
        Map<String, String> out = new LinkedHashMap<>(params);
        out.put(key, value);
        return out;
    }

    private static List<String> drain(ConcurrentLinkedQueue<String> queue) {
        List<String> out = new ArrayList<>();
        for (String line = queue.poll(); line != null; line = queue.poll()) out.add(line);
        return out;
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("condition not met within 10s");
            Thread.sleep(20);
        }
    }

    private static long nowNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * SECOND_NS + now.getNano();
    }
}

package dev.rig.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * A Grafana Loki stand-in on a 127.0.0.0/8 address, written from Loki's HTTP API reference
 * (shared/contracts/loki/loki-http-api.md), not from rig's code. It serves:
 * <ul>
 * <li>{@code POST /loki/api/v1/push} in JSON only ({@code Content-Type: application/json}, optionally
 * {@code Content-Encoding: gzip}): streams of labels and {@code ["<unix ns as a string>", "<line>"]} values, with an
 * optional third element of structured metadata; 204, or 400 with a plain-text reason. A protobuf push
 * ({@code application/x-protobuf}, Loki's default) gets 415: the stand-in does not speak protobuf.</li>
 * <li>{@code GET /loki/api/v1/query_range} for log queries in the {@link LogQuery} subset of LogQL, with
 * {@code start} (inclusive, default an hour before {@code end}, or before now if {@code end} is in the future),
 * {@code end} (exclusive, default now), {@code limit} (default 100, at most 5000) and {@code direction}
 * ({@code forward} or {@code backward}, the default).</li>
 * <li>{@code GET /loki/api/v1/labels} (label names of streams with entries in {@code start}..{@code end}, default the
 * last 6 hours, optionally narrowed by a {@code query} selector) and {@code GET /ready}.</li>
 * </ul>
 * Timestamps are read as the reference says: an integer is unix nanoseconds, a number with a fraction is unix seconds,
 * anything else RFC3339(Nano). Loki itself reads an integer of up to 10 digits as seconds; the stand-in refuses such a
 * value with 400 so that a client relying on that undocumented reading is caught. An entry pushed twice (same stream,
 * timestamp and line) is stored once, as Loki's ingester does. Errors are plain text, as Loki writes them.
 * <p>
 * Left out: every other endpoint (404), tenants ({@code X-Scope-OrgID} is ignored), the {@code since}, {@code step} and
 * {@code interval} parameters (refused with 400), POST forms on the query endpoints, the {@code stats} block of query
 * answers, structured metadata (checked, then dropped), ingestion limits and rate limits.
 */
public final class LokiStandIn implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long SECOND_NS = 1_000_000_000L;
    private static final long HOUR_NS = 3600 * SECOND_NS;
    private static final int DEFAULT_LIMIT = 100;
    private static final int MAX_ENTRIES_LIMIT_PER_QUERY = 5000; // Loki's limits_config default
    private static final String LABEL_NAME = "[a-zA-Z_][a-zA-Z0-9_]*";

    /** One request: its raw query string (null when there was none), its Authorization header (null if absent) and the status answered. */
    public record Exchange(String method, String path, String query, int status, String authorization) {
        @Override
        public String toString() {
            return method + " " + path + (query == null ? "" : "?" + query) + " -> " + status;
        }
    }

    private record Entry(long ns, String line) {}

    private record Hit(SortedMap<String, String> labels, Entry entry) {}

    private record Answer(int status, String contentType, byte[] body) {
        static Answer text(int status, String message) {
            return new Answer(status, "text/plain; charset=utf-8", (message + "\n").getBytes(StandardCharsets.UTF_8));
        }

        static Answer json(JsonNode body) {
            try {
                return new Answer(200, "application/json; charset=utf-8", JSON.writeValueAsBytes(body));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** A request Loki refuses with 400; the message is the plain-text body. */
    private static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    /** Streams by their label set (sorted by name, as Loki identifies a stream), each stream's entries in arrival order. */
    private final Map<SortedMap<String, String>, List<Entry>> streams = new LinkedHashMap<>();
    private final List<Exchange> exchanges = new ArrayList<>();
    private boolean ready = true;

    private LokiStandIn(String address, int port) throws IOException {
        server = HttpServer.create(LoopbackAddress.of(address, port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** Listens on {@code address} (in 127.0.0.0/8) and {@code port}, 0 for an ephemeral one. */
    public static LokiStandIn start(String address, int port) {
        try {
            return new LokiStandIn(address, port);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Loki stand-in on " + address + ":" + port, e);
        }
    }

    public String url() {
        return "http://" + server.getAddress().getHostString() + ":" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    public synchronized List<Exchange> exchanges() {
        return List.copyOf(exchanges);
    }

    /** While false, {@code /ready} answers 503 as an ingester does before it has joined the ring. */
    public synchronized void setReady(boolean ready) {
        this.ready = ready;
    }

    /** How many entries are stored in streams whose labels include all of {@code labels}. */
    public synchronized int entries(Map<String, String> labels) {
        return streams.entrySet().stream()
                .filter(s -> s.getKey().entrySet().containsAll(labels.entrySet()))
                .mapToInt(s -> s.getValue().size()).sum();
    }

    /** The lines stored in streams whose labels include all of {@code labels}, in arrival order per stream. */
    public synchronized List<String> lines(Map<String, String> labels) {
        return streams.entrySet().stream()
                .filter(s -> s.getKey().entrySet().containsAll(labels.entrySet()))
                .flatMap(s -> s.getValue().stream().map(Entry::line)).toList();
    }

    // ---- the API ----

    private void handle(HttpExchange ex) throws IOException {
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        Answer answer;
        try {
            answer = route(ex, method, path, params(query));
        } catch (BadRequest | LogQuery.Invalid e) {
            answer = Answer.text(400, e.getMessage());
        }
        synchronized (this) {
            exchanges.add(new Exchange(method, path, query, answer.status(), ex.getRequestHeaders().getFirst("Authorization")));
        }
        if (answer.body() == null) {
            ex.sendResponseHeaders(answer.status(), -1);
        } else {
            ex.getResponseHeaders().set("Content-Type", answer.contentType());
            ex.sendResponseHeaders(answer.status(), answer.body().length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(answer.body());
            }
        }
        ex.close();
    }

    private Answer route(HttpExchange ex, String method, String path, Map<String, String> params) throws IOException {
        String allowed = switch (path) {
            case "/loki/api/v1/push" -> "POST";
            case "/loki/api/v1/query_range", "/loki/api/v1/labels", "/ready" -> "GET";
            default -> null;
        };
        if (allowed == null) return Answer.text(404, "404 page not found");
        if (!allowed.equals(method)) return Answer.text(405, "method " + method + " not allowed on " + path + "; use " + allowed);
        return switch (path) {
            case "/loki/api/v1/push" -> push(ex);
            case "/loki/api/v1/query_range" -> queryRange(params);
            case "/loki/api/v1/labels" -> labels(params);
            default -> readiness();
        };
    }

    private synchronized Answer readiness() {
        return ready ? Answer.text(200, "ready") : Answer.text(503, "Ingester not ready: waiting for 15s after being ready");
    }

    private Answer push(HttpExchange ex) throws IOException {
        String contentType = ex.getRequestHeaders().getFirst("Content-Type");
        String mediaType = contentType == null ? "" : contentType.split(";")[0].strip().toLowerCase(Locale.ROOT);
        if (!mediaType.equals("application/json")) {
            return Answer.text(415, "unsupported Content-Type \"" + (contentType == null ? "" : contentType)
                    + "\": this Loki stand-in accepts JSON pushes only (Content-Type: application/json); protobuf (application/x-protobuf) is not implemented");
        }
        String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
        boolean gzip = encoding != null && encoding.strip().equalsIgnoreCase("gzip");
        if (encoding != null && !gzip && !encoding.isBlank() && !encoding.strip().equalsIgnoreCase("identity")) {
            return Answer.text(415, "unsupported Content-Encoding \"" + encoding + "\": the stand-in reads plain or gzip JSON");
        }
        JsonNode body;
        try (InputStream in = gzip ? new GZIPInputStream(ex.getRequestBody()) : ex.getRequestBody()) {
            body = JSON.readTree(in);
        } catch (IOException e) {
            throw new BadRequest("the push body is not " + (gzip ? "gzip-compressed " : "") + "JSON: " + e.getMessage());
        }
        Map<SortedMap<String, String>, List<Entry>> pushed = parsePush(body);
        synchronized (this) {
            pushed.forEach((labels, entries) -> {
                List<Entry> stored = streams.computeIfAbsent(labels, l -> new ArrayList<>());
                for (Entry e : entries) {
                    if (!stored.contains(e)) stored.add(e);
                }
            });
        }
        return new Answer(204, null, null);
    }

    /** The push body as the reference describes it, checked whole before anything is stored. */
    private static Map<SortedMap<String, String>, List<Entry>> parsePush(JsonNode body) {
        if (body == null || !body.isObject() || !body.path("streams").isArray()) {
            throw new BadRequest("the push body must be a JSON object {\"streams\": [{\"stream\": {labels}, \"values\": [[\"<unix epoch in nanoseconds>\", \"<log line>\"], ...]}]}");
        }
        Map<SortedMap<String, String>, List<Entry>> out = new LinkedHashMap<>();
        int i = 0;
        for (JsonNode stream : body.get("streams")) {
            String where = "streams[" + i++ + "]";
            SortedMap<String, String> labels = stringMap(stream.get("stream"), where + ".stream", "labels");
            if (labels.isEmpty()) throw new BadRequest(where + ": error at least one label pair is required per stream");
            for (String name : labels.keySet()) {
                if (!name.matches(LABEL_NAME)) throw new BadRequest(where + ".stream: invalid label name \"" + name + "\"");
            }
            JsonNode values = stream.get("values");
            if (values == null || !values.isArray()) throw new BadRequest(where + ".values must be an array of [\"<unix epoch in nanoseconds>\", \"<log line>\"]");
            List<Entry> entries = out.computeIfAbsent(labels, l -> new ArrayList<>());
            int j = 0;
            for (JsonNode value : values) entries.add(entry(value, where + ".values[" + j++ + "]"));
        }
        return out;
    }

    private static Entry entry(JsonNode value, String where) {
        if (!value.isArray() || value.size() < 2 || value.size() > 3) {
            throw new BadRequest(where + " must be [\"<unix epoch in nanoseconds>\", \"<log line>\"] with an optional structured metadata object");
        }
        JsonNode ts = value.get(0);
        if (!ts.isTextual()) throw new BadRequest(where + "[0]: the timestamp must be a string of unix epoch nanoseconds, not " + ts.getNodeType().toString().toLowerCase(Locale.ROOT));
        if (!ts.asText().matches("\\d{1,19}")) throw new BadRequest(where + "[0]: \"" + ts.asText() + "\" is not unix epoch nanoseconds");
        long ns;
        try {
            ns = Long.parseLong(ts.asText());
        } catch (NumberFormatException e) {
            throw new BadRequest(where + "[0]: \"" + ts.asText() + "\" is out of range for unix epoch nanoseconds");
        }
        if (!value.get(1).isTextual()) throw new BadRequest(where + "[1]: the log line must be a string");
        if (value.size() == 3) stringMap(value.get(2), where + "[2]", "structured metadata");
        return new Entry(ns, value.get(1).asText());
    }

    private static SortedMap<String, String> stringMap(JsonNode node, String where, String what) {
        if (node == null || !node.isObject()) throw new BadRequest(where + ": " + what + " must be a JSON object of string keys to string values");
        SortedMap<String, String> out = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : node.properties()) {
            if (!field.getValue().isTextual()) {
                throw new BadRequest(where + ": " + what + " must be a JSON object of string keys to string values; \"" + field.getKey() + "\" is not a string");
            }
            out.put(field.getKey(), field.getValue().asText());
        }
        return out;
    }

    private Answer queryRange(Map<String, String> params) {
        refuseUnsupported(params, "since", "step", "interval");
        String text = params.get("query");
        if (text == null || text.isBlank()) throw new BadRequest("query parameter is required");
        LogQuery query = LogQuery.parse(text);
        int limit = limit(params.get("limit"));
        boolean forward = forward(params.get("direction"));
        long now = nowNs();
        long end = timestamp("end", params.get("end"), now);
        long start = timestamp("start", params.get("start"), Math.min(end, now) - HOUR_NS);
        if (end < start) throw new BadRequest("end timestamp must not be before or equal to start time");

        Comparator<Hit> byTime = Comparator.comparingLong(h -> h.entry().ns());
        List<Hit> hits = new ArrayList<>();
        synchronized (this) {
            streams.forEach((labels, entries) -> {
                if (!query.selects(labels)) return;
                for (Entry e : entries) {
                    if (e.ns() >= start && e.ns() < end && query.keeps(e.line())) hits.add(new Hit(labels, e));
                }
            });
        }
        hits.sort(forward ? byTime : byTime.reversed());
        Map<SortedMap<String, String>, List<Entry>> selected = new LinkedHashMap<>(); // streams in the order of their first entry
        hits.stream().limit(limit).forEach(h -> selected.computeIfAbsent(h.labels(), l -> new ArrayList<>()).add(h.entry()));

        ObjectNode answer = JSON.createObjectNode().put("status", "success");
        ObjectNode data = answer.putObject("data").put("resultType", "streams");
        ArrayNode result = data.putArray("result");
        selected.forEach((labels, entries) -> {
            ObjectNode stream = result.addObject();
            ObjectNode streamLabels = stream.putObject("stream");
            labels.forEach(streamLabels::put);
            ArrayNode values = stream.putArray("values");
            for (Entry e : entries) values.addArray().add(Long.toString(e.ns())).add(e.line());
        });
        return Answer.json(answer);
    }

    private Answer labels(Map<String, String> params) {
        refuseUnsupported(params, "since");
        LogQuery query = params.containsKey("query") ? LogQuery.parse(params.get("query")) : null;
        long now = nowNs();
        long end = timestamp("end", params.get("end"), now);
        long start = timestamp("start", params.get("start"), Math.min(end, now) - 6 * HOUR_NS);
        TreeSet<String> names = new TreeSet<>();
        synchronized (this) {
            streams.forEach((labels, entries) -> {
                boolean inWindow = entries.stream().anyMatch(e -> e.ns() >= start && e.ns() < end);
                if (inWindow && (query == null || query.selects(labels))) names.addAll(labels.keySet());
            });
        }
        ObjectNode answer = JSON.createObjectNode().put("status", "success");
        ArrayNode data = answer.putArray("data");
        names.forEach(data::add);
        return Answer.json(answer);
    }

    private static void refuseUnsupported(Map<String, String> params, String... names) {
        for (String name : names) {
            if (params.containsKey(name)) throw new BadRequest("unsupported by the stand-in: the " + name + " parameter");
        }
    }

    private static int limit(String value) {
        if (value == null || value.isEmpty()) return DEFAULT_LIMIT;
        int limit;
        try {
            limit = Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new BadRequest("invalid limit \"" + value + "\": not an integer");
        }
        if (limit <= 0) throw new BadRequest("limit must be a positive value");
        if (limit > MAX_ENTRIES_LIMIT_PER_QUERY) {
            throw new BadRequest("max entries limit per query exceeded, limit > max_entries_limit_per_query (" + limit + " > " + MAX_ENTRIES_LIMIT_PER_QUERY + ")");
        }
        return limit;
    }

    private static boolean forward(String value) {
        if (value == null || value.isEmpty() || value.equalsIgnoreCase("backward")) return false;
        if (value.equalsIgnoreCase("forward")) return true;
        throw new BadRequest("invalid direction \"" + value + "\": forward or backward");
    }

    /** A timestamp in one of the reference's formats, as unix nanoseconds. */
    private static long timestamp(String name, String value, long fallback) {
        if (value == null || value.isEmpty()) return fallback;
        try {
            if (value.matches("-?\\d+")) {
                long ns = Long.parseLong(value);
                if (ns != 0 && value.replace("-", "").length() <= 10) {
                    throw new BadRequest(name + " \"" + value + "\" is ambiguous: the reference reads an integer as unix nanoseconds, Loki reads one of"
                            + " up to 10 digits as seconds; send nanoseconds, seconds with a fraction (\"" + value + ".0\") or RFC3339");
                }
                return ns;
            }
            if (value.matches("-?(\\d+\\.\\d*|\\.\\d+)")) {
                return new BigDecimal(value).movePointRight(9).setScale(0, RoundingMode.HALF_UP).longValueExact();
            }
            Instant instant = OffsetDateTime.parse(value, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
            return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), SECOND_NS), instant.getNano());
        } catch (NumberFormatException | ArithmeticException | DateTimeParseException e) {
            throw new BadRequest("could not parse '" + name + "' parameter: \"" + value
                    + "\" is neither unix epoch nanoseconds, unix seconds with a fraction nor RFC3339");
        }
    }

    private static long nowNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * SECOND_NS + now.getNano();
    }

    private static Map<String, String> params(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty()) return out;
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.putIfAbsent(key, value);
        }
        return out;
    }
}

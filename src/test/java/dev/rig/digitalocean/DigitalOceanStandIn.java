package dev.rig.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A DigitalOcean API v2 stand-in on 127.0.0.1, written from the OpenAPI description in
 * src/test/resources/contracts/digitalocean (not from rig's code): the firewall endpoints (list, get,
 * create, update, delete) and the droplet list, with the contract's status codes (200, 202, 204,
 * 401, 404, 422, 429, 5xx), {@code {"firewall": ...}} envelopes, {@code links.pages} and
 * {@code meta.total} on lists, {@code {"id","message"}} errors and the ratelimit-* headers.
 * Like the real API it stores what it was sent in its own spelling: ports "0" for every "all
 * ports" form and for ICMP (firewall_rule.yml). Faults can be injected (429 with retry-after or
 * ratelimit-reset, 5xx, a slow answer), and every exchange is logged for the contract checks.
 */
public final class DigitalOceanStandIn implements AutoCloseable {
    public static final String TOKEN = "dop_v1_standin0123456789abcdef0123456789abcdef";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int DEFAULT_PER_PAGE = 20, MAX_PER_PAGE = 200; // shared/parameters.yml

    /** One request and the answer the stand-in gave. Bodies are null when there were none. */
    record Exchange(String method, String path, String query, String authorization, JsonNode requestBody, int status,
                    JsonNode responseBody) {
        boolean isWrite() {
            return !method.equals("GET");
        }

        @Override
        public String toString() {
            return method + " " + path + (query == null ? "" : "?" + query) + " -> " + status;
        }
    }

    private record Fault(int status, Map<String, String> headers, Duration delay) {}

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final Map<String, ObjectNode> firewalls = new LinkedHashMap<>();
    private final Map<Long, ObjectNode> droplets = new LinkedHashMap<>();
    private final Set<String> tags = new LinkedHashSet<>();
    private final List<Exchange> log = new ArrayList<>();
    private final Deque<Fault> faults = new ArrayDeque<>();
    private String linkOrigin;

    private DigitalOceanStandIn() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    public static DigitalOceanStandIn start() {
        try {
            return new DigitalOceanStandIn();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the DigitalOcean stand-in", e);
        }
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Page links name this origin instead of the stand-in's own, as a misbehaving or spoofed server might. */
    synchronized void linkTo(String origin) {
        linkOrigin = origin;
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    // ---- what tests arrange and inspect ----

    synchronized List<Exchange> log() {
        return List.copyOf(log);
    }

    synchronized void clearLog() {
        log.clear();
    }

    synchronized List<Exchange> writes() {
        return log.stream().filter(Exchange::isWrite).toList();
    }

    /** The next {@code count} requests get a 429 with these headers (e.g. retry-after: 1). */
    synchronized void rateLimitNext(int count, Map<String, String> headers) {
        for (int i = 0; i < count; i++) faults.add(new Fault(429, headers, Duration.ZERO));
    }

    synchronized void failNext(int count, int status) {
        for (int i = 0; i < count; i++) faults.add(new Fault(status, Map.of(), Duration.ZERO));
    }

    synchronized void clearFaults() {
        faults.clear();
    }

    /** The next request is answered normally, but only after {@code delay}. */
    synchronized void delayNext(Duration delay) {
        faults.add(new Fault(0, Map.of(), delay));
    }

    synchronized void addTag(String tag) {
        tags.add(tag);
    }

    /** A droplet as droplet.yml describes it (its required fields), tagged and with public and private IPv4. */
    public synchronized void addDroplet(long id, String name, List<String> dropletTags, String publicIp, String privateIp) {
        ObjectNode d = NODES.objectNode();
        d.put("id", id).put("name", name).put("memory", 1024).put("vcpus", 1).put("disk", 25).put("locked", false)
                .put("status", "active").put("created_at", "2026-01-02T03:04:05Z");
        d.putArray("features").add("private_networking");
        d.putArray("backup_ids");
        d.putNull("next_backup_window");
        d.putArray("snapshot_ids");
        d.putObject("image").put("id", 6918990).put("name", "24.04 (LTS) x64").put("slug", "ubuntu-24-04-x64");
        d.putArray("volume_ids");
        d.putObject("size").put("slug", "s-1vcpu-1gb");
        d.put("size_slug", "s-1vcpu-1gb");
        ObjectNode networks = d.putObject("networks");
        ArrayNode v4 = networks.putArray("v4");
        if (publicIp != null) v4.addObject().put("ip_address", publicIp).put("netmask", "255.255.240.0").put("gateway", "192.0.2.1").put("type", "public");
        if (privateIp != null) v4.addObject().put("ip_address", privateIp).put("netmask", "255.255.0.0").put("type", "private");
        networks.putArray("v6");
        d.putObject("region").put("slug", "fra1").put("name", "Frankfurt 1");
        ArrayNode t = d.putArray("tags");
        dropletTags.forEach(t::add);
        d.put("vpc_uuid", "5a4981aa-9653-4bd1-bef5-d6bff52042e4");
        droplets.put(id, d);
        tags.addAll(dropletTags);
    }

    /** A firewall stored as given, as if made in the control panel; the live object, to edit by hand. */
    synchronized ObjectNode putFirewall(ObjectNode firewall) {
        if (!firewall.has("id")) firewall.put("id", UUID.randomUUID().toString());
        firewalls.put(firewall.get("id").asText(), firewall);
        return firewall;
    }

    synchronized ObjectNode firewallNamed(String name) {
        return firewalls.values().stream().filter(f -> f.path("name").asText().equals(name)).findFirst().orElse(null);
    }

    public synchronized List<ObjectNode> firewalls() {
        return List.copyOf(firewalls.values());
    }

    // ---- the API ----

    private void handle(HttpExchange ex) throws IOException {
        Fault fault;
        synchronized (this) {
            fault = faults.poll();
        }
        if (fault != null && !fault.delay().isZero()) {
            try {
                Thread.sleep(fault.delay().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            fault = null;
        }
        String method = ex.getRequestMethod();
        String path = ex.getRequestURI().getRawPath();
        String query = ex.getRequestURI().getRawQuery();
        byte[] raw = ex.getRequestBody().readAllBytes();
        JsonNode body = null;
        Answer answer;
        try {
            body = raw.length == 0 ? null : JSON.readTree(raw);
            answer = fault != null ? faultAnswer(fault) : route(ex, method, path, params(query), body);
        } catch (IOException e) {
            answer = error(400, "bad_request", "The request body is not valid JSON.");
        } catch (Invalid e) {
            answer = error(422, "unprocessable_entity", e.getMessage());
        }
        synchronized (this) {
            log.add(new Exchange(method, path, query, ex.getRequestHeaders().getFirst("Authorization"), body, answer.status, answer.body));
        }
        ex.getResponseHeaders().add("ratelimit-limit", "5000");
        ex.getResponseHeaders().add("ratelimit-remaining", "4999");
        ex.getResponseHeaders().add("ratelimit-reset", String.valueOf(Instant.now().getEpochSecond() + 60));
        answer.headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
        if (answer.body == null) {
            ex.sendResponseHeaders(answer.status, -1);
        } else {
            byte[] bytes = JSON.writeValueAsBytes(answer.body);
            ex.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
            ex.sendResponseHeaders(answer.status, bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
        ex.close();
    }

    private record Answer(int status, JsonNode body, Map<String, String> headers) {
        Answer(int status, JsonNode body) {
            this(status, body, Map.of());
        }
    }

    /** A request the API refuses with 422, with the reason as its message. */
    private static final class Invalid extends RuntimeException {
        Invalid(String message) {
            super(message);
        }
    }

    private static Answer faultAnswer(Fault f) {
        Answer a = f.status() == 429 ? error(429, "too_many_requests", "API rate limit exceeded.")
                : error(f.status(), "server_error", "Unexpected server-side error");
        return new Answer(a.status, a.body, f.headers());
    }

    private synchronized Answer route(HttpExchange ex, String method, String path, Map<String, String> params, JsonNode body) {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        if (auth == null || !auth.equals("Bearer " + TOKEN)) return error(401, "unauthorized", "Unable to authenticate you.");
        String[] parts = path.split("/");
        if (path.equals("/v2/firewalls")) {
            if (method.equals("GET")) return page("firewalls", List.copyOf(firewalls.values()), params);
            if (method.equals("POST")) return createFirewall(body);
        } else if (parts.length == 4 && path.startsWith("/v2/firewalls/")) {
            ObjectNode f = firewalls.get(parts[3]);
            if (f == null) return error(404, "not_found", "The resource you were accessing could not be found.");
            switch (method) {
                case "GET" -> {
                    return envelope(200, f);
                }
                case "PUT" -> {
                    return updateFirewall(f, body);
                }
                case "DELETE" -> {
                    firewalls.remove(parts[3]);
                    return new Answer(204, null);
                }
                default -> { }
            }
        } else if (path.equals("/v2/droplets") && method.equals("GET")) {
            String tag = params.get("tag_name");
            return page("droplets", droplets.values().stream()
                    .filter(d -> tag == null || hasTag(d, tag)).map(d -> (JsonNode) d).toList(), params);
        }
        return error(404, "not_found", "The resource you were accessing could not be found.");
    }

    private static boolean hasTag(JsonNode droplet, String tag) {
        for (JsonNode t : droplet.path("tags")) if (t.asText().equals(tag)) return true;
        return false;
    }

    private static Answer envelope(int status, ObjectNode firewall) {
        ObjectNode out = NODES.objectNode();
        out.set("firewall", firewall.deepCopy());
        return new Answer(status, out);
    }

    /** A page of a list with links.pages (first/prev, next/last as they apply) and meta.total. */
    private Answer page(String key, List<? extends JsonNode> all, Map<String, String> params) {
        int perPage = intParam(params, "per_page", DEFAULT_PER_PAGE);
        int page = intParam(params, "page", 1);
        if (perPage < 1 || perPage > MAX_PER_PAGE || page < 1) throw new Invalid("per_page must be 1 to 200 and page at least 1");
        int last = Math.max(1, (all.size() + perPage - 1) / perPage);
        ObjectNode out = NODES.objectNode();
        ArrayNode items = out.putArray(key);
        all.stream().skip((long) (page - 1) * perPage).limit(perPage).forEach(n -> items.add(n.deepCopy()));
        ObjectNode pages = out.putObject("links").putObject("pages");
        String base = (linkOrigin != null ? linkOrigin : url()) + "/v2/" + key + "?" + (params.containsKey("tag_name") ? "tag_name=" + URLEncoder.encode(params.get("tag_name"), StandardCharsets.UTF_8) + "&" : "")
                + "per_page=" + perPage + "&page=";
        if (page > 1) pages.put("first", base + 1).put("prev", base + (page - 1));
        if (page < last) pages.put("last", base + last).put("next", base + (page + 1));
        out.putObject("meta").put("total", all.size());
        return new Answer(200, out);
    }

    private static int intParam(Map<String, String> params, String name, int fallback) {
        String v = params.get(name);
        if (v == null) return fallback;
        if (!v.matches("\\d{1,6}")) throw new Invalid(name + " must be an integer");
        return Integer.parseInt(v);
    }

    private Answer createFirewall(JsonNode body) {
        ObjectNode f = NODES.objectNode();
        f.put("id", UUID.randomUUID().toString());
        f.put("status", "waiting");
        f.put("created_at", Instant.now().toString().replaceAll("\\.\\d+Z$", "Z"));
        f.putArray("pending_changes");
        accept(f, body);
        firewalls.put(f.get("id").asText(), f);
        return envelope(202, f);
    }

    private Answer updateFirewall(ObjectNode f, JsonNode body) {
        ObjectNode updated = f.deepCopy();
        accept(updated, body);
        f.setAll(updated);
        return envelope(200, f);
    }

    /**
     * Checks a create or update body as the API would (422 for what it refuses) and stores it. A PUT
     * replaces the whole object: what it leaves out goes back to empty (firewalls_update.yml).
     */
    private void accept(ObjectNode f, JsonNode body) {
        if (body == null || !body.isObject()) throw new Invalid("The request body must be a JSON object.");
        String name = body.path("name").asText("");
        if (!name.matches("^[a-zA-Z0-9][a-zA-Z0-9\\.-]+$")) throw new Invalid("name must begin with an alphanumeric character");
        ArrayNode inbound = rules(body.get("inbound_rules"), "sources");
        ArrayNode outbound = rules(body.get("outbound_rules"), "destinations");
        if (inbound.isEmpty() && outbound.isEmpty()) throw new Invalid("must include at least one inbound or outbound rule");
        f.put("name", name);
        f.set("inbound_rules", inbound);
        f.set("outbound_rules", outbound);
        f.set("droplet_ids", dropletIds(body.get("droplet_ids")));
        f.set("tags", existingTags(body.get("tags")));
    }

    private ArrayNode rules(JsonNode given, String targetKey) {
        ArrayNode out = NODES.arrayNode();
        if (given == null || given.isNull()) return out;
        if (!given.isArray()) throw new Invalid("rules must be an array");
        for (JsonNode r : given) {
            String protocol = r.path("protocol").asText("");
            if (!List.of("tcp", "udp", "icmp").contains(protocol)) throw new Invalid("invalid protocol: '" + protocol + "'");
            ObjectNode stored = out.addObject();
            stored.put("protocol", protocol);
            stored.put("ports", ports(protocol, r.path("ports").asText("")));
            JsonNode target = r.get(targetKey);
            if (target == null || !target.isObject()) throw new Invalid("each rule must have " + targetKey);
            ObjectNode t = stored.putObject(targetKey);
            for (String k : List.of("addresses", "load_balancer_uids", "kubernetes_ids")) {
                if (target.has(k) && target.get(k).size() > 0) t.set(k, target.get(k).deepCopy());
            }
            for (JsonNode a : target.path("addresses")) {
                if (!a.asText().matches("[0-9a-fA-F.:]+(/\\d{1,3})?")) throw new Invalid("invalid address: " + a.asText());
            }
            if (target.has("droplet_ids") && target.get("droplet_ids").size() > 0) t.set("droplet_ids", dropletIds(target.get("droplet_ids")));
            if (target.has("tags") && target.get("tags").size() > 0) t.set("tags", existingTags(target.get("tags")));
            if (t.isEmpty()) throw new Invalid("each rule must name at least one of " + targetKey);
        }
        return out;
    }

    /** The API's spelling of ports: "0" when all ports are open, and always for ICMP (firewall_rule.yml). */
    private static String ports(String protocol, String ports) {
        if (protocol.equals("icmp") || ports.equals("all") || ports.equals("1-65535") || ports.equals("0")) return "0";
        if (!ports.matches("\\d{1,5}(-\\d{1,5})?")) throw new Invalid("invalid ports: '" + ports + "'");
        for (String p : ports.split("-")) {
            if (Integer.parseInt(p) < 1 || Integer.parseInt(p) > 65535) throw new Invalid("invalid ports: '" + ports + "'");
        }
        return ports;
    }

    private ArrayNode dropletIds(JsonNode given) {
        ArrayNode out = NODES.arrayNode();
        if (given == null || given.isNull()) return out;
        for (JsonNode id : given) {
            if (!droplets.containsKey(id.asLong())) throw new Invalid("Droplet " + id.asText() + " does not exist.");
            out.add(id.asLong());
        }
        return out;
    }

    /** existing_tags_array.yml: "Tag names must exist in order to be referenced in a request." */
    private ArrayNode existingTags(JsonNode given) {
        ArrayNode out = NODES.arrayNode();
        if (given == null || given.isNull()) return out;
        for (JsonNode t : given) {
            if (!tags.contains(t.asText())) throw new Invalid("tag '" + t.asText() + "' does not exist");
            out.add(t.asText());
        }
        return out;
    }

    private static Answer error(int status, String id, String message) {
        ObjectNode e = NODES.objectNode();
        e.put("id", id).put("message", message).put("request_id", UUID.randomUUID().toString());
        return new Answer(status, e);
    }

    private static Map<String, String> params(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null) return out;
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }
}

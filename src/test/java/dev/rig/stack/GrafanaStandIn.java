package dev.rig.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A Grafana stand-in on a 127.0.0.0/8 address, after Grafana's HTTP API documentation
 * (grafana.com/docs/grafana/latest/developers/http_api/, the health and data source pages) and its data source
 * provisioning format (administration/provisioning, {@code apiVersion: 1}). It serves {@code GET /api/health}
 * ({@code {"commit","database":"ok","version":"11.2.0"}}, no authentication) and {@code GET /api/datasources}, which
 * needs basic auth as the admin and lists exactly the data sources the provisioning file creates at start-up, as
 * Grafana's list items: {@code id} (from 1, in file order), {@code uid} (generated when the file has none),
 * {@code orgId}, {@code name}, {@code type}, {@code access} (default {@code proxy}), {@code url}, {@code user},
 * {@code database}, {@code basicAuth}, {@code isDefault}, {@code jsonData}, {@code readOnly} (not {@code editable}),
 * sorted by name ignoring case. A file Grafana would refuse at start-up makes {@link #start} throw: apiVersion not 1
 * (Grafana would read the file as version 0, with other key names), more than one default, a bad or repeated uid,
 * a missing name or type, an organisation other than the main one (1). A name given twice is one data source that
 * the later entry updates, as Grafana's provisioning does.
 * <p>
 * Left out: every other endpoint (404 {@code {"message":"Not found"}}), API keys and service-account tokens,
 * {@code $VAR} expansion in the provisioning file (values are served as written), {@code secureJsonData},
 * {@code deleteDatasources} (a fresh instance has nothing to delete), and the plugin fields {@code typeName} and
 * {@code typeLogoUrl}.
 */
public final class GrafanaStandIn implements AutoCloseable {
    public static final String VERSION = "11.2.0";
    private static final String COMMIT = "rig-stand-in";
    private static final int MAIN_ORG = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final String adminCredentials;
    private final ArrayNode datasources;

    private GrafanaStandIn(String address, int port, String user, String password, ArrayNode datasources) throws IOException {
        this.adminCredentials = user + ":" + password;
        this.datasources = datasources;
        server = HttpServer.create(LoopbackAddress.of(address, port), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /**
     * Listens on {@code address} (in 127.0.0.0/8) and {@code port} (0 for an ephemeral one) with {@code user} and
     * {@code password} as the admin, serving the data sources {@code provisioningFile} provisions.
     */
    public static GrafanaStandIn start(String address, int port, String user, String password, Path provisioningFile) {
        ArrayNode datasources = provision(provisioningFile);
        try {
            return new GrafanaStandIn(address, port, user, password, datasources);
        } catch (IOException e) {
            throw new IllegalStateException("cannot start the Grafana stand-in on " + address + ":" + port, e);
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

    // ---- provisioning ----

    private static ArrayNode provision(Path file) {
        Object root;
        try {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException | YAMLException e) {
            throw new IllegalArgumentException(file + ": cannot read the provisioning file: " + e.getMessage(), e);
        }
        if (!(root instanceof Map<?, ?> top)) throw invalid(file, "the file must be a mapping with apiVersion and datasources");
        if (!Integer.valueOf(1).equals(top.get("apiVersion"))) {
            throw invalid(file, "apiVersion must be 1, not " + top.get("apiVersion") + " (Grafana reads a file without it in the version 0 format)");
        }
        Object list = top.get("datasources");
        if (list != null && !(list instanceof List<?>)) throw invalid(file, "datasources must be a list");
        Map<String, ObjectNode> byName = new LinkedHashMap<>();
        int position = 0;
        for (Object item : list == null ? List.of() : (List<?>) list) {
            String where = "datasources[" + position++ + "]";
            if (!(item instanceof Map<?, ?> ds)) throw invalid(file, where + " must be a mapping");
            ObjectNode existing = byName.get(string(ds, "name", file, where));
            ObjectNode node = datasource(ds, file, where, existing == null ? byName.size() + 1 : existing.get("id").asInt());
            if (existing != null && !ds.containsKey("uid")) node.put("uid", existing.get("uid").asText());
            byName.put(node.get("name").asText(), node);
        }
        checkUnique(file, byName.values());
        List<ObjectNode> sorted = new ArrayList<>(byName.values());
        sorted.sort(Comparator.comparing(n -> n.get("name").asText().toLowerCase(Locale.ROOT)));
        ArrayNode out = JSON.createArrayNode();
        sorted.forEach(out::add);
        return out;
    }

    private static ObjectNode datasource(Map<?, ?> ds, Path file, String where, int id) {
        String name = string(ds, "name", file, where);
        String type = string(ds, "type", file, where);
        if (name.isEmpty() || type.isEmpty()) throw invalid(file, where + " needs a name and a type");
        Object org = ds.containsKey("orgId") ? ds.get("orgId") : MAIN_ORG;
        if (!Integer.valueOf(MAIN_ORG).equals(org)) throw invalid(file, where + ": orgId " + org + ": the stand-in has only the main organization (1)");
        String uid = ds.containsKey("uid") ? string(ds, "uid", file, where) : generatedUid();
        if (!uid.matches("[a-zA-Z0-9_-]{1,40}")) throw invalid(file, where + ": invalid uid \"" + uid + "\" (up to 40 of a-z A-Z 0-9 - _)");
        Object jsonData = ds.containsKey("jsonData") ? ds.get("jsonData") : Map.of();
        if (!(jsonData instanceof Map<?, ?>)) throw invalid(file, where + ": jsonData must be a mapping");
        ObjectNode node = JSON.createObjectNode();
        node.put("id", id).put("uid", uid).put("orgId", MAIN_ORG).put("name", name).put("type", type);
        node.put("access", ds.containsKey("access") ? string(ds, "access", file, where) : "proxy");
        node.put("url", ds.containsKey("url") ? string(ds, "url", file, where) : "");
        node.put("user", ds.containsKey("user") ? string(ds, "user", file, where) : "");
        node.put("database", ds.containsKey("database") ? string(ds, "database", file, where) : "");
        node.put("basicAuth", bool(ds, "basicAuth", file, where));
        node.put("isDefault", bool(ds, "isDefault", file, where));
        node.set("jsonData", JSON.valueToTree(jsonData));
        node.put("readOnly", !bool(ds, "editable", file, where));
        return node;
    }

    private static void checkUnique(Path file, Iterable<ObjectNode> datasources) {
        int defaults = 0;
        Map<String, String> nameByUid = new LinkedHashMap<>();
        for (ObjectNode ds : datasources) {
            if (ds.get("isDefault").asBoolean()) defaults++;
            String other = nameByUid.put(ds.get("uid").asText(), ds.get("name").asText());
            if (other != null) throw invalid(file, "data sources " + other + " and " + ds.get("name").asText() + " share the uid " + ds.get("uid").asText());
        }
        if (defaults > 1) throw invalid(file, "datasource.yaml config is invalid. Only one datasource per organization can be marked as default");
    }

    private static String string(Map<?, ?> ds, String key, Path file, String where) {
        Object v = ds.get(key);
        if (v == null) return "";
        if (v instanceof Map<?, ?> || v instanceof List<?>) throw invalid(file, where + "." + key + " must be a scalar");
        return v.toString();
    }

    private static boolean bool(Map<?, ?> ds, String key, Path file, String where) {
        Object v = ds.get(key);
        if (v == null) return false;
        if (!(v instanceof Boolean b)) throw invalid(file, where + "." + key + " must be true or false, not " + v);
        return b;
    }

    /** A uid like the short ones Grafana generates: a lower-case letter, then 13 lower-case letters or digits. */
    private static String generatedUid() {
        String letters = "abcdefghijklmnopqrstuvwxyz", alphabet = letters + "0123456789";
        SecureRandom random = new SecureRandom();
        StringBuilder uid = new StringBuilder().append(letters.charAt(random.nextInt(letters.length())));
        while (uid.length() < 14) uid.append(alphabet.charAt(random.nextInt(alphabet.length())));
        return uid.toString();
    }

    private static IllegalArgumentException invalid(Path file, String message) {
        return new IllegalArgumentException(file + ": " + message);
    }

    // ---- the API ----

    private void handle(HttpExchange ex) throws IOException {
        String path = ex.getRequestURI().getPath();
        boolean get = ex.getRequestMethod().equals("GET");
        int status;
        JsonNode body;
        if (get && path.equals("/api/health")) {
            status = 200;
            body = JSON.createObjectNode().put("commit", COMMIT).put("database", "ok").put("version", VERSION);
        } else if (get && path.equals("/api/datasources")) {
            String authorization = ex.getRequestHeaders().getFirst("Authorization");
            if (authorization == null) {
                status = 401;
                body = message("Unauthorized");
            } else if (!adminCredentials.equals(basicCredentials(authorization))) {
                status = 401;
                body = message("Invalid username or password");
            } else {
                status = 200;
                body = datasources;
            }
        } else {
            status = 404;
            body = message("Not found");
        }
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
        ex.close();
    }

    /** "user:password" from a basic Authorization header; null when it is another scheme or not base64. */
    private static String basicCredentials(String authorization) {
        String[] parts = authorization.strip().split("\\s+", 2);
        if (parts.length != 2 || !parts[0].equalsIgnoreCase("Basic")) return null;
        try {
            return new String(Base64.getDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static ObjectNode message(String text) {
        return JSON.createObjectNode().put("message", text);
    }
}

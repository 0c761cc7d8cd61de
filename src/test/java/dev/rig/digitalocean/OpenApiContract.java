package dev.rig.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks exchanges with the API against DigitalOcean's OpenAPI description as published in
 * ../shared/contracts/digitalocean/specification (read with SnakeYAML, $refs followed across
 * files): the operation exists, its path and query parameters, the bearer token, the request body
 * against the operation's schema, and the answer's status and body against the documented
 * response. Schemas are checked for type, nullable, enum, pattern, minimum/maximum, required,
 * properties, items, allOf, anyOf and oneOf. Requests are held to more than the schema: a
 * property no schema declares (DigitalOcean would silently drop it) or one marked readOnly is a
 * problem too. A $ref to a file the contract copy leaves out (images, sizes, regions) is not checked.
 */
final class OpenApiContract {
    private static final Pattern UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    private final Path root;
    private final Map<Path, Object> files = new HashMap<>();
    /** $refs that point outside the contract copy, so that a test can see what went unchecked. */
    final Set<String> unchecked = new TreeSet<>();

    /** A schema (or any node) and the file its relative $refs are resolved against. */
    private record Located(Path file, Object node) {}

    OpenApiContract(Path specification) {
        this.root = specification;
    }

    /** The contract beside the project, where CI puts shared/ too. */
    static OpenApiContract beside(Path projectDir) {
        Path spec = projectDir.resolve("../shared/contracts/digitalocean/specification").normalize();
        if (!Files.isDirectory(spec)) throw new IllegalStateException("the DigitalOcean contract is not at " + spec);
        return new OpenApiContract(spec);
    }

    static OpenApiContract load() {
        return beside(Path.of(System.getProperty("rig.project.dir", ".")).toAbsolutePath());
    }

    /**
     * Which contract file describes an operation. The contract copy has no root document with
     * its paths, so they are written down here as DigitalOcean's API reference lists them.
     */
    static String operationFile(String method, String path) {
        String[] p = path.split("/");
        if (path.equals("/v2/firewalls")) {
            return switch (method) {
                case "GET" -> "resources/firewalls/firewalls_list.yml";
                case "POST" -> "resources/firewalls/firewalls_create.yml";
                default -> null;
            };
        }
        if (p.length == 4 && path.startsWith("/v2/firewalls/")) {
            return switch (method) {
                case "GET" -> "resources/firewalls/firewalls_get.yml";
                case "PUT" -> "resources/firewalls/firewalls_update.yml";
                case "DELETE" -> "resources/firewalls/firewalls_delete.yml";
                default -> null;
            };
        }
        if (p.length == 5 && path.startsWith("/v2/firewalls/")) {
            String add = switch (p[4]) {
                case "rules" -> "rules";
                case "tags" -> "tags";
                case "droplets" -> "droplets";
                default -> null;
            };
            if (add == null) return null;
            if (method.equals("POST")) return "resources/firewalls/firewalls_" + (add.equals("droplets") ? "assign_droplets" : "add_" + add) + ".yml";
            if (method.equals("DELETE")) return "resources/firewalls/firewalls_delete_" + add + ".yml";
            return null;
        }
        if (path.equals("/v2/droplets") && method.equals("GET")) return "resources/droplets/droplets_list.yml";
        return null;
    }

    /** Every way one exchange departs from the contract; empty when it conforms. */
    List<String> problems(DigitalOceanStandIn.Exchange e) {
        List<String> problems = new ArrayList<>();
        String file = operationFile(e.method(), e.path());
        if (file == null) {
            problems.add(e + ": not an operation of the contract");
            return problems;
        }
        Path opFile = root.resolve(file);
        Map<?, ?> op = (Map<?, ?>) load(opFile);
        String where = e.method() + " " + e.path();
        checkParameters(opFile, op, e, where, problems);
        if (e.authorization() == null || !e.authorization().startsWith("Bearer ")) problems.add(where + ": no bearer token (security: bearer_auth)");
        Object requestBody = op.get("requestBody");
        if (requestBody != null) {
            Located schema = content(new Located(opFile, requestBody));
            if (e.requestBody() == null) problems.add(where + ": the operation takes a JSON body, none was sent");
            else if (schema != null) validate(schema, e.requestBody(), where + " request body", true, true, problems);
        } else if (e.requestBody() != null) {
            problems.add(where + ": the operation takes no body, one was sent");
        }
        Map<?, ?> responses = (Map<?, ?>) op.get("responses");
        Object response = responses.get(String.valueOf(e.status()));
        if (response == null) response = responses.get("default");
        if (response == null) {
            problems.add(where + ": status " + e.status() + " is not documented");
            return problems;
        }
        Located schema = content(new Located(opFile, response));
        if (schema == null && e.responseBody() != null) problems.add(where + ": status " + e.status() + " has no body in the contract, but one was sent");
        if (schema != null) {
            if (e.responseBody() == null) problems.add(where + ": status " + e.status() + " has a JSON body in the contract, none was sent");
            else validate(schema, e.responseBody(), where + " " + e.status() + " body", false, false, problems);
        }
        return problems;
    }

    /** The application/json schema of a requestBody or response (following its $ref), or null when it has none. */
    private Located content(Located holder) {
        Located h = resolve(holder);
        if (h == null) return null;
        Object content = ((Map<?, ?>) h.node()).get("content");
        if (!(content instanceof Map<?, ?> c) || !(c.get("application/json") instanceof Map<?, ?> json)) return null;
        return json.get("schema") == null ? null : new Located(h.file(), json.get("schema"));
    }

    private void checkParameters(Path opFile, Map<?, ?> op, DigitalOceanStandIn.Exchange e, String where, List<String> problems) {
        Map<String, Located> query = new HashMap<>();
        boolean pathParam = false;
        for (Object p : list(op.get("parameters"))) {
            Located param = resolve(new Located(opFile, p));
            Map<?, ?> m = (Map<?, ?>) param.node();
            if ("query".equals(m.get("in"))) query.put(String.valueOf(m.get("name")), new Located(param.file(), m.get("schema")));
            if ("path".equals(m.get("in"))) {
                pathParam = true;
                String id = e.path().split("/")[3];
                Map<?, ?> schema = (Map<?, ?>) m.get("schema");
                if ("uuid".equals(schema.get("format")) && !UUID.matcher(id).matches()) problems.add(where + ": path parameter '" + id + "' is not a uuid");
            }
        }
        if (!pathParam && e.path().split("/").length > 3) problems.add(where + ": no path parameter in the contract");
        if (e.query() == null) return;
        for (String pair : e.query().split("&")) {
            String[] kv = pair.split("=", 2);
            String name = URLDecoder.decode(kv[0], StandardCharsets.UTF_8);
            String value = kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "";
            Located schema = query.get(name);
            if (schema == null) {
                problems.add(where + ": query parameter '" + name + "' is not in the contract");
                continue;
            }
            JsonNode v = value.matches("-?\\d+") ? com.fasterxml.jackson.databind.node.LongNode.valueOf(Long.parseLong(value))
                    : com.fasterxml.jackson.databind.node.TextNode.valueOf(value);
            Located s = resolve(schema);
            if (s != null && "string".equals(((Map<?, ?>) s.node()).get("type"))) v = com.fasterxml.jackson.databind.node.TextNode.valueOf(value);
            validate(schema, v, where + " query " + name, false, false, problems);
        }
    }

    /**
     * @param request      true for what rig sends: readOnly and undeclared properties are problems
     * @param wholeObject  false inside allOf/anyOf/oneOf branches, where one branch declares only some properties
     */
    private void validate(Located schema, JsonNode v, String at, boolean request, boolean wholeObject, List<String> problems) {
        Located s = resolve(schema);
        if (s == null || !(s.node() instanceof Map<?, ?> m)) return;
        if (v == null || v.isNull()) {
            if (m.containsKey("type") && !Boolean.TRUE.equals(m.get("nullable"))) problems.add(at + ": null, but the schema is not nullable");
            return;
        }
        Object type = m.get("type");
        if (type != null && !hasType(v, String.valueOf(type))) {
            problems.add(at + ": expected " + type + ", found " + v.getNodeType().toString().toLowerCase() + " " + abbreviate(v));
            return;
        }
        if (m.get("enum") instanceof List<?> values && values.stream().map(String::valueOf).noneMatch(x -> x.equals(v.asText()))) {
            problems.add(at + ": '" + v.asText() + "' is not one of " + values);
        }
        if (m.get("pattern") instanceof String p && v.isTextual() && !Pattern.compile(p).matcher(v.asText()).find()) {
            problems.add(at + ": '" + v.asText() + "' does not match " + p);
        }
        if (m.get("minimum") instanceof Number min && v.isNumber() && v.asDouble() < min.doubleValue()) problems.add(at + ": below minimum " + min);
        if (m.get("maximum") instanceof Number max && v.isNumber() && v.asDouble() > max.doubleValue()) problems.add(at + ": above maximum " + max);
        if (v.isObject()) {
            for (Object r : list(m.get("required"))) {
                if (!v.has(String.valueOf(r))) problems.add(at + ": required property '" + r + "' is missing");
            }
            if (m.get("properties") instanceof Map<?, ?> props) {
                for (Map.Entry<?, ?> p : props.entrySet()) {
                    JsonNode field = v.get(String.valueOf(p.getKey()));
                    if (field == null) continue;
                    Located ps = new Located(s.file(), p.getValue());
                    if (request && isReadOnly(ps)) problems.add(at + "." + p.getKey() + ": readOnly, must not be sent");
                    validate(ps, field, at + "." + p.getKey(), request, true, problems);
                }
            }
            if (request && wholeObject) {
                Set<String> declared = declared(s);
                if (declared != null) {
                    v.fieldNames().forEachRemaining(f -> {
                        if (!declared.contains(f)) problems.add(at + "." + f + ": not a property the contract declares");
                    });
                }
            }
        }
        if (v.isArray() && m.get("items") != null) {
            for (int i = 0; i < v.size(); i++) validate(new Located(s.file(), m.get("items")), v.get(i), at + "[" + i + "]", request, true, problems);
        }
        if (m.get("allOf") instanceof List<?> all) {
            for (Object branch : all) validate(new Located(s.file(), branch), v, at, request, false, problems);
        }
        if (m.get("anyOf") instanceof List<?> any) {
            List<List<String>> failures = branches(s.file(), any, v, at, request);
            if (failures.stream().noneMatch(List::isEmpty)) problems.add(at + ": matches none of anyOf: " + failures);
        }
        if (m.get("oneOf") instanceof List<?> one) {
            long matching = branches(s.file(), one, v, at, request).stream().filter(List::isEmpty).count();
            if (matching != 1) problems.add(at + ": matches " + matching + " of oneOf, not exactly one");
        }
    }

    private List<List<String>> branches(Path file, List<?> branches, JsonNode v, String at, boolean request) {
        List<List<String>> out = new ArrayList<>();
        for (Object b : branches) {
            List<String> p = new ArrayList<>();
            validate(new Located(file, b), v, at, request, false, p);
            out.add(p);
        }
        return out;
    }

    private static List<?> list(Object value) {
        return value instanceof List<?> l ? l : List.of();
    }

    private static boolean hasType(JsonNode v, String type) {
        return switch (type) {
            case "object" -> v.isObject();
            case "array" -> v.isArray();
            case "string" -> v.isTextual();
            case "integer" -> v.isIntegralNumber();
            case "number" -> v.isNumber();
            case "boolean" -> v.isBoolean();
            default -> true;
        };
    }

    private boolean isReadOnly(Located schema) {
        Located s = resolve(schema);
        return s != null && s.node() instanceof Map<?, ?> m && Boolean.TRUE.equals(m.get("readOnly"));
    }

    /** Every property name the schema declares, through allOf/anyOf/oneOf; null when some part is unknown or free-form. */
    private Set<String> declared(Located schema) {
        Located s = resolve(schema);
        if (s == null || !(s.node() instanceof Map<?, ?> m)) return null;
        Set<String> out = new LinkedHashSet<>();
        if (m.get("properties") instanceof Map<?, ?> props) props.keySet().forEach(k -> out.add(String.valueOf(k)));
        for (String combiner : List.of("allOf", "anyOf", "oneOf")) {
            if (!(m.get(combiner) instanceof List<?> branches)) continue;
            for (Object b : branches) {
                Set<String> more = declared(new Located(s.file(), b));
                if (more == null) return null;
                out.addAll(more);
            }
        }
        return out;
    }

    /** Follows $refs (relative files and JSON pointers); null when the target is not in the contract copy. */
    private Located resolve(Located l) {
        Located cur = l;
        for (int hops = 0; cur.node() instanceof Map<?, ?> m && m.get("$ref") instanceof String ref; hops++) {
            if (hops > 20) throw new IllegalStateException("$ref loop at " + ref);
            int hash = ref.indexOf('#');
            String filePart = hash < 0 ? ref : ref.substring(0, hash);
            String pointer = hash < 0 ? "" : ref.substring(hash + 1);
            Path file = filePart.isEmpty() ? cur.file() : cur.file().getParent().resolve(filePart).normalize();
            if (!Files.isRegularFile(file)) {
                unchecked.add(root.relativize(file).toString());
                return null;
            }
            Object node = load(file);
            for (String part : pointer.split("/")) {
                if (part.isEmpty()) continue;
                node = ((Map<?, ?>) node).get(part.replace("~1", "/").replace("~0", "~"));
                if (node == null) throw new IllegalStateException("$ref " + ref + " from " + cur.file() + " points at nothing");
            }
            cur = new Located(file, node);
        }
        return cur;
    }

    private Object load(Path file) {
        return files.computeIfAbsent(file, f -> {
            try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                return new Yaml(new SafeConstructor(new LoaderOptions())).load(r);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static String abbreviate(JsonNode v) {
        String s = v.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}

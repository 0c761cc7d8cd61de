package dev.rig.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.networknt.schema.AbsoluteIri;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.resource.InputStreamSource;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks exchanges with the API against DigitalOcean's OpenAPI description as published in
 * src/test/resources/contracts/digitalocean/specification (see its SOURCE.txt and LICENSE.txt). Bodies and parameter values are held to their
 * schemas by networknt's json-schema-validator in its OpenAPI 3.0 dialect (nullable, readOnly for
 * requests, formats asserted), which follows the $refs across the contract's files itself. What a
 * JSON Schema cannot say is checked here, on the YAML read with SnakeYAML: which operation a method
 * and path are, that path and query parameters are the operation's, the bearer token, that the
 * status is documented and a body is sent exactly when the contract has one, and that a request has
 * no property that no schema declares. A $ref to a file the contract copy leaves out (images, sizes,
 * regions) reads as {}, which any value meets, and is listed in {@link #unchecked}.
 */
final class OpenApiContract {
    private final Path root;
    private final Map<Path, Object> files = new HashMap<>();
    private final SchemaRegistry schemas = SchemaRegistry.withDialect(Dialects.getOpenApi30(),
            registry -> registry.schemaLoader(loader -> loader.resourceLoaders(loaders -> loaders.add(this::contractFile))));
    /** $refs that point outside the contract copy, so that a test can see what went unchecked. */
    final Set<String> unchecked = new TreeSet<>();

    /** A node of a contract file, where it is (a JSON pointer, for the validator), and the file its relative $refs are resolved against. */
    private record Located(Path file, String pointer, Object node) {
        Located child(Object key) {
            Object child = node instanceof List<?> list ? list.get((Integer) key) : node instanceof Map<?, ?> m ? m.get(key) : null;
            return new Located(file, pointer + "/" + String.valueOf(key).replace("~", "~0").replace("/", "~1"), child);
        }
    }

    OpenApiContract(Path specification) {
        this.root = specification;
    }

    /**
     * The contract kept in the repository (src/test/resources/contracts/digitalocean, copied from the
     * shared contracts by scripts/refresh-contracts, with its source and licence): a clone alone passes.
     */
    static OpenApiContract in(Path projectDir) {
        Path spec = projectDir.resolve("src/test/resources/contracts/digitalocean/specification");
        if (!Files.isDirectory(spec)) throw new IllegalStateException("the DigitalOcean contract is not at " + spec);
        return new OpenApiContract(spec);
    }

    static OpenApiContract load() {
        return in(Path.of(System.getProperty("rig.project.dir", ".")).toAbsolutePath());
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
        Located op = new Located(opFile, "", load(opFile));
        String where = e.method() + " " + e.path();
        checkParameters(op, e, where, problems);
        if (e.authorization() == null || !e.authorization().startsWith("Bearer ")) problems.add(where + ": no bearer token (security: bearer_auth)");
        Located requestBody = op.child("requestBody");
        if (requestBody.node() != null) {
            Located schema = content(requestBody);
            if (e.requestBody() == null) problems.add(where + ": the operation takes a JSON body, none was sent");
            else if (schema != null) {
                validate(schema, e.requestBody(), where + " request body", true, problems);
                List<String> undeclared = new ArrayList<>();
                undeclaredProperties(schema, e.requestBody(), "", undeclared);
                undeclared.forEach(pointer -> problems.add(where + " request body " + pointer + ": not a property the contract declares"));
            }
        } else if (e.requestBody() != null) {
            problems.add(where + ": the operation takes no body, one was sent");
        }
        Located responses = op.child("responses");
        Located response = responses.child(String.valueOf(e.status()));
        if (response.node() == null) response = responses.child("default");
        if (response.node() == null) {
            problems.add(where + ": status " + e.status() + " is not documented");
            return problems;
        }
        Located schema = content(response);
        if (schema == null && e.responseBody() != null) problems.add(where + ": status " + e.status() + " has no body in the contract, but one was sent");
        if (schema != null) {
            if (e.responseBody() == null) problems.add(where + ": status " + e.status() + " has a JSON body in the contract, none was sent");
            else validate(schema, e.responseBody(), where + " " + e.status() + " body", false, problems);
        }
        return problems;
    }

    /** The application/json schema of a requestBody or response (following its $ref), or null when it has none. */
    private Located content(Located holder) {
        Located h = resolve(holder);
        if (h == null) return null;
        Located schema = h.child("content").child("application/json").child("schema");
        return schema.node() == null ? null : schema;
    }

    private void checkParameters(Located op, DigitalOceanStandIn.Exchange e, String where, List<String> problems) {
        Map<String, Located> query = new HashMap<>();
        boolean pathParam = false;
        Located parameters = op.child("parameters");
        for (int i = 0; parameters.node() instanceof List<?> list && i < list.size(); i++) {
            Located param = resolve(parameters.child(i));
            Map<?, ?> m = (Map<?, ?>) param.node();
            String name = String.valueOf(m.get("name"));
            if ("query".equals(m.get("in"))) query.put(name, param.child("schema"));
            if ("path".equals(m.get("in"))) {
                pathParam = true;
                validate(param.child("schema"), TextNode.valueOf(e.path().split("/")[3]), where + " path parameter " + name, false, problems);
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
            // A query string has no types: digits are a number unless the parameter is a string.
            Located s = resolve(schema);
            boolean isString = s != null && s.node() instanceof Map<?, ?> m && "string".equals(m.get("type"));
            JsonNode v = value.matches("-?\\d+") && !isString ? LongNode.valueOf(Long.parseLong(value)) : TextNode.valueOf(value);
            validate(schema, v, where + " query " + name, false, problems);
        }
    }

    /**
     * Holds a value to a schema of the contract, addressed by file and JSON pointer so that the
     * validator resolves its $refs against that file.
     *
     * @param request true for what rig sends, where a readOnly property must not appear
     */
    private void validate(Located schema, JsonNode value, String at, boolean request, List<String> problems) {
        List<Error> errors = schemas.getSchema(SchemaLocation.of(schema.file().toUri() + "#" + schema.pointer()))
                .validate(value.toString(), InputFormat.JSON, execution -> execution.executionConfig(config -> config
                        .formatAssertionsEnabled(true)
                        .readOnly(request)));
        for (Error error : errors) {
            String where = error.getInstanceLocation().getNameCount() == 0 ? at : at + " " + error.getInstanceLocation();
            problems.add(where + ": " + error.getMessage());
        }
    }

    /**
     * Properties of a request that no schema declares: DigitalOcean drops them silently, so what
     * rig meant by them would be lost. JSON Schema cannot say this here, as additionalProperties:
     * false in one allOf branch would reject what the other branches declare. Adds the JSON
     * pointer of each such property to undeclared.
     */
    private void undeclaredProperties(Located schema, JsonNode value, String pointer, List<String> undeclared) {
        List<Located> parts = parts(schema);
        if (parts == null) return;
        if (value.isObject()) {
            Map<String, List<Located>> declared = new HashMap<>();
            for (Located part : parts) {
                if (!(part.node() instanceof Map<?, ?> m) || !(m.get("properties") instanceof Map<?, ?> properties)) continue;
                for (Object name : properties.keySet()) {
                    declared.computeIfAbsent(String.valueOf(name), n -> new ArrayList<>()).add(part.child("properties").child(name));
                }
            }
            if (declared.isEmpty()) return; // a free-form object
            for (Map.Entry<String, JsonNode> field : value.properties()) {
                String fieldPointer = pointer + "/" + field.getKey();
                List<Located> fieldSchemas = declared.get(field.getKey());
                if (fieldSchemas == null) undeclared.add(fieldPointer);
                else fieldSchemas.forEach(s -> undeclaredProperties(s, field.getValue(), fieldPointer, undeclared));
            }
        } else if (value.isArray()) {
            for (Located part : parts) {
                if (!(part.node() instanceof Map<?, ?> m) || m.get("items") == null) continue;
                for (int i = 0; i < value.size(); i++) undeclaredProperties(part.child("items"), value.get(i), pointer + "/" + i, undeclared);
            }
        }
    }

    /** A schema and every schema it combines through allOf/anyOf/oneOf; null when one is outside the contract copy. */
    private List<Located> parts(Located schema) {
        Located s = resolve(schema);
        if (s == null) return null;
        List<Located> parts = new ArrayList<>(List.of(s));
        if (!(s.node() instanceof Map<?, ?> m)) return parts;
        for (String combiner : List.of("allOf", "anyOf", "oneOf")) {
            if (!(m.get(combiner) instanceof List<?> branches)) continue;
            for (int i = 0; i < branches.size(); i++) {
                List<Located> more = parts(s.child(combiner).child(i));
                if (more == null) return null;
                parts.addAll(more);
            }
        }
        return parts;
    }

    /** Follows $refs (relative files and JSON pointers); null when the target is not in the contract copy. */
    private Located resolve(Located l) {
        Located cur = l;
        for (int hops = 0; cur.node() instanceof Map<?, ?> m && m.get("$ref") instanceof String ref; hops++) {
            if (hops > 20) throw new IllegalStateException("$ref loop at " + ref);
            int hash = ref.indexOf('#');
            String filePart = hash < 0 ? ref : ref.substring(0, hash);
            Path file = filePart.isEmpty() ? cur.file() : cur.file().getParent().resolve(filePart).normalize();
            if (!Files.isRegularFile(file)) {
                unchecked.add(root.relativize(file).toString());
                return null;
            }
            Located target = new Located(file, "", load(file));
            for (String part : (hash < 0 ? "" : ref.substring(hash + 1)).split("/")) {
                if (part.isEmpty()) continue;
                target = target.child(part.replace("~1", "/").replace("~0", "~"));
                if (target.node() == null) throw new IllegalStateException("$ref " + ref + " from " + cur.file() + " points at nothing");
            }
            cur = target;
        }
        return cur;
    }

    /** Contract files for the validator; one the contract copy leaves out reads as {}, a schema that any value meets. */
    private InputStreamSource contractFile(AbsoluteIri iri) {
        if (!"file".equals(iri.getScheme())) return null;
        Path file = Path.of(URI.create(iri.toString()));
        if (Files.isRegularFile(file)) return () -> Files.newInputStream(file);
        unchecked.add(root.relativize(file).toString());
        return () -> new ByteArrayInputStream("{}".getBytes(StandardCharsets.UTF_8));
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
}

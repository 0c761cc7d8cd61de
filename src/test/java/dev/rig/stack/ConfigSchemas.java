package dev.rig.stack;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.resolver.Resolver;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks YAML configs of programs that have no binary on the build machine (Loki, Promtail) against the JSON
 * Schemas in src/test/resources/schemas/. A config that passes has only documented keys with values of the
 * documented types; it does not prove the program will start (cross-field rules are only partly modelled).
 */
public final class ConfigSchemas {
    public static final String LOKI = "loki-config.schema.json";
    public static final String PROMTAIL = "promtail-config.schema.json";

    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
    private static final Map<String, Schema> SCHEMAS = new ConcurrentHashMap<>();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private ConfigSchemas() {
    }

    /** Error messages, empty when {@code yamlFile} satisfies the schema named {@code schemaName} (e.g. {@link #LOKI}). */
    public static List<String> validate(Path yamlFile, String schemaName) {
        try {
            return validateText(Files.readString(yamlFile), schemaName);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #validate(Path, String)}, for YAML already in memory (a rendered template, say). */
    public static List<String> validateText(String yaml, String schemaName) {
        JsonNode doc = JSON.valueToTree(load(yaml));
        List<String> out = new ArrayList<>();
        for (Error e : schema(schemaName).validate(doc)) {
            out.add(e.toString());
        }
        return out;
    }

    private static Object load(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false); // Go's yaml rejects them too
        Yaml y = new Yaml(new SafeConstructor(options), new Representer(new DumperOptions()), new DumperOptions(),
                options, new GoLikeResolver());
        return y.load(yaml);
    }

    private static Schema schema(String name) {
        return SCHEMAS.computeIfAbsent(name, n -> {
            try (InputStream in = ConfigSchemas.class.getResourceAsStream("/schemas/" + n)) {
                if (in == null) {
                    throw new IllegalArgumentException("no schema /schemas/" + n + " on the test classpath");
                }
                return REGISTRY.getSchema(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /**
     * YAML 1.1 resolution without timestamps: Go's yaml decodes an unquoted {@code 2024-04-01} into a string field
     * (Loki's schema_config.from), where SnakeYAML would make a Date out of it.
     */
    private static final class GoLikeResolver extends Resolver {
        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "yYnNtTfFoO");
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<");
            addImplicitResolver(Tag.NULL, NULL, "~nN\0");
            addImplicitResolver(Tag.NULL, EMPTY, null);
        }
    }
}

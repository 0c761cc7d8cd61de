package dev.rig.core;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * YAML read as nodes, so that every value keeps its file:line:column; values are then built
 * with SnakeYAML's safe constructor (no arbitrary classes).
 */
public final class YamlFiles {
    private YamlFiles() {}

    /** Parses a file into its root node; a syntax error is added to {@code errors} and null returned. */
    public static Node compose(Path file, Errors errors) {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return compose(file, r, errors);
        } catch (IOException e) {
            errors.add(new Source(file.toString(), 0, 0), "cannot read file: " + e.getMessage());
            return null;
        }
    }

    /** As above, for file's text as already read (say, decrypted from Ansible Vault). */
    public static Node compose(Path file, String text, Errors errors) {
        return compose(file, new java.io.StringReader(text), errors);
    }

    private static Node compose(Path file, Reader r, Errors errors) {
        try {
            return new Yaml(new SafeConstructor(options()), new org.yaml.snakeyaml.representer.Representer(new org.yaml.snakeyaml.DumperOptions()),
                    new org.yaml.snakeyaml.DumperOptions(), options()).compose(r);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            Source s = m == null ? new Source(file.toString(), 0, 0) : Source.of(file, m.getLine() + 1, m.getColumn() + 1);
            errors.add(s, "YAML syntax error: " + (e.getProblem() != null ? e.getProblem() : e.getMessage())
                    + (e.getContext() != null ? " (" + e.getContext() + ")" : ""));
            return null;
        } catch (YAMLException e) {
            errors.add(new Source(file.toString(), 0, 0), "YAML error: " + e.getMessage());
            return null;
        }
    }

    private static LoaderOptions options() {
        LoaderOptions o = new LoaderOptions();
        o.setAllowDuplicateKeys(false);
        o.setMaxAliasesForCollections(100);
        return o;
    }

    public static Source source(Path file, Node node) {
        Mark m = node.getStartMark();
        return m == null ? new Source(file.toString(), 0, 0) : Source.of(file, m.getLine() + 1, m.getColumn() + 1);
    }

    /** The Java value of a node: String, Integer/Long, Double, Boolean, null, List, Map. */
    public static Object value(Node node) {
        return new ValueBuilder().build(node);
    }

    public static String kind(Node node) {
        if (node instanceof MappingNode) return "a map";
        if (node instanceof SequenceNode) return "a list";
        if (node instanceof ScalarNode s) {
            Object v = value(s);
            if (v == null) return "null";
            if (v instanceof String) return "a string";
            if (v instanceof Boolean) return "a boolean";
            if (v instanceof Number) return "a number";
        }
        return "a " + node.getNodeId();
    }

    /** The key/value pairs of a mapping node with scalar keys. */
    public static List<NodeTuple> entries(MappingNode map) {
        return new ArrayList<>(map.getValue());
    }

    public static String keyName(NodeTuple t) {
        return t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(value(t.getKeyNode()));
    }

    private static final class ValueBuilder extends SafeConstructor {
        ValueBuilder() {
            super(options());
        }

        Object build(Node node) {
            return constructObject(node);
        }
    }
}

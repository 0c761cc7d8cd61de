package dev.rig.inventory;

import dev.rig.core.Errors;
import dev.rig.core.Source;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import dev.rig.vault.VaultCipher;
import dev.rig.vault.VaultPasswords;
import dev.rig.vault.VaultYaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One YAML file read as SnakeYAML nodes, so every error can name file:line:column, with values
 * built by SnakeYAML's safe constructor (the same types {@code yaml.load} gives). Problems are
 * added to the shared {@link Errors} and reading carries on, so one run reports them all.
 */
final class YamlReader {
    /** Longest scalar quoted whole in a message; a long value would bury the message. */
    private static final int MAX_QUOTED_LENGTH = 40;

    private final Path file;
    private final Errors errors;
    private final VaultPasswords vault;
    private final ValueConstructor constructor;
    private boolean encrypted;

    YamlReader(Path file, Errors errors) {
        this(file, errors, VaultPasswords.none());
    }

    /** vault: opens a file encrypted whole with Ansible Vault, and inline !vault values. */
    YamlReader(Path file, Errors errors, VaultPasswords vault) {
        this.file = file;
        this.errors = errors;
        this.vault = vault;
        this.constructor = new ValueConstructor(vault);
    }

    /** True when the file was encrypted whole: every value in it is then a secret. */
    boolean wasEncrypted() {
        return encrypted;
    }

    /** The document's root node; empty for an empty document or when the file could not be read. */
    Optional<Node> root() {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8);
            if (VaultCipher.isVault(text)) {
                try {
                    text = vault.decrypt(text);
                    encrypted = true;
                } catch (IllegalArgumentException e) {
                    errors.add(fileSource(), e.getMessage());
                    return Optional.empty();
                }
            }
            Node root = new Yaml(constructor).compose(new java.io.StringReader(text));
            return Optional.ofNullable(root).filter(node -> !isNull(node));
        } catch (MarkedYAMLException e) {
            errors.add(source(e), "YAML syntax error: " + describe(e));
        } catch (YAMLException e) {
            errors.add(fileSource(), "YAML error: " + e.getMessage());
        } catch (CharacterCodingException e) {
            errors.add(fileSource(), "not valid UTF-8 text");
        } catch (IOException e) {
            errors.add(fileSource(), "cannot read file: " + e);
        }
        return Optional.empty();
    }

    Source source(Node node) {
        return source(node.getStartMark());
    }

    private Source fileSource() {
        return Source.of(file, 0, 0);
    }

    void error(Node node, String message) {
        errors.add(source(node), message);
    }

    static boolean isNull(Node node) {
        return node instanceof ScalarNode && Tag.NULL.equals(node.getTag());
    }

    /**
     * The entries of a mapping node, with {@code <<} merge keys applied. A node of another kind is an
     * error ("WHAT must be a mapping..., found a list") and gives no entries; null gives no entries.
     */
    List<NodeTuple> entries(Node node, String what, String expected) {
        if (isNull(node)) return List.of();
        if (!(node instanceof MappingNode mapping)) {
            error(node, what + " must be " + expected + ", found " + kind(node));
            return List.of();
        }
        try {
            constructor.resolveMerges(mapping);
        } catch (MarkedYAMLException e) { // a duplicate key or a bad merge
            errors.add(source(e), describe(e));
        }
        return mapping.getValue();
    }

    /**
     * A mapping key as written: host, group and variable names are text even where YAML would read
     * a number or a boolean. Anything but a non-empty scalar is an error ("expected WHAT, found a list").
     */
    Optional<String> name(Node key, String what) {
        if (key instanceof ScalarNode scalar && !isNull(scalar) && !scalar.getValue().isEmpty()) {
            return Optional.of(scalar.getValue());
        }
        error(key, "expected " + what + ", found " + kind(key));
        return Optional.empty();
    }

    /**
     * A mapping of variable names to values, in file order. Connection variables are checked here so a
     * bad value is reported where it is written.
     */
    Map<String, Object> vars(Node node, String what) {
        rememberVaultNames(node);
        Map<String, Object> vars = new LinkedHashMap<>();
        for (NodeTuple entry : entries(node, what, "a mapping of variable names to values")) {
            Optional<String> name = name(entry.getKeyNode(), "a variable name");
            if (name.isEmpty()) continue;
            Object value = value(entry.getValueNode());
            try {
                ConnectionVars.check(name.get(), value);
            } catch (IllegalArgumentException e) {
                error(entry.getValueNode(), e.getMessage());
            }
            vars.put(name.get(), value);
        }
        return vars;
    }

    private void rememberVaultNames(Node node) {
        VaultYaml.rememberNames(node, vault);
    }

    /** The Java value of a node, made unmodifiable all the way down because hosts share group values. */
    Object value(Node node) {
        try {
            return freeze(constructor.construct(node), Collections.newSetFromMap(new IdentityHashMap<>()));
        } catch (MarkedYAMLException e) {
            errors.add(source(e), describe(e));
        } catch (RecursiveValueException e) {
            error(node, "a value must not contain itself (recursive YAML alias)");
        }
        return null;
    }

    static String kind(Node node) {
        if (isNull(node)) return "nothing (null)";
        if (node instanceof MappingNode) return "a mapping";
        if (node instanceof SequenceNode) return "a list";
        String text = ((ScalarNode) node).getValue();
        return "'" + (text.length() > MAX_QUOTED_LENGTH ? text.substring(0, MAX_QUOTED_LENGTH) + "..." : text) + "'";
    }

    private Source source(MarkedYAMLException e) {
        return source(e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark());
    }

    private Source source(Mark mark) {
        // SnakeYAML counts lines and columns from 0; people and editors count from 1.
        return mark == null ? fileSource() : Source.of(file, mark.getLine() + 1, mark.getColumn() + 1);
    }

    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem() != null ? e.getProblem() : e.getMessage();
        return e.getContext() != null ? problem + " (" + e.getContext() + ")" : problem;
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false); // a repeated group or host key would silently drop the first
        return options;
    }

    private static Object freeze(Object value, Set<Object> enclosing) {
        if (!(value instanceof Map<?, ?>) && !(value instanceof List<?>) && !(value instanceof Set<?>)) return value;
        if (!enclosing.add(value)) throw new RecursiveValueException();
        Object frozen;
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put(k, freeze(v, enclosing)));
            frozen = Collections.unmodifiableMap(copy);
        } else if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            list.forEach(v -> copy.add(freeze(v, enclosing)));
            frozen = Collections.unmodifiableList(copy);
        } else {
            Set<Object> copy = new LinkedHashSet<>();
            ((Set<?>) value).forEach(v -> copy.add(freeze(v, enclosing)));
            frozen = Collections.unmodifiableSet(copy);
        }
        enclosing.remove(value);
        return frozen;
    }

    private static final class RecursiveValueException extends RuntimeException {
        RecursiveValueException() {
            super(null, null, false, false);
        }
    }

    /** SnakeYAML's safe constructor with Ansible's inline "!vault |" values, opened up to apply merge keys. */
    private static final class ValueConstructor extends VaultYaml.Constructor {
        ValueConstructor(VaultPasswords vault) {
            super(loaderOptions(), vault);
        }

        void resolveMerges(MappingNode node) {
            flattenMapping(node);
        }
    }
}

package dev.rig.convert;

import dev.rig.convert.Jinja.Node;
import dev.rig.convert.Jinja.Output;
import dev.rig.convert.Jinja.Pos;
import dev.rig.playbook.ArgSpec;
import dev.rig.playbook.ModuleCatalog;
import dev.rig.playbook.ModuleSpec;
import dev.rig.playbook.PlaybookLoader;
import dev.rig.core.InputError;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Trees;
import dev.rig.template.Templates;
import dev.rig.vault.VaultCipher;
import dev.rig.vault.VaultPasswords;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

/**
 * Converts an Ansible project directory into rig's syntax in another directory: YAML files with their
 * Jinja2 values, conditions and template references rewritten in place (comments and layout kept),
 * templates (.j2 and everything under templates/) to .ftl, everything else copied byte for byte.
 * What cannot be converted is left as written and returned as findings. Never writes into the source.
 */
public final class ProjectConverter {
    /** Ansible's task keywords: everything else in a task is its module. */
    static final Set<String> TASK_KEYWORDS = Set.of("name", "when", "loop", "loop_control", "register", "notify", "tags", "become",
            "become_user", "become_method", "become_flags", "become_exe", "changed_when", "failed_when", "ignore_errors", "no_log", "vars", "args",
            "listen", "until", "retries", "delay", "delegate_to", "delegate_facts", "run_once", "environment", "check_mode", "diff", "block",
            "rescue", "always", "any_errors_fatal", "async", "poll", "ignore_unreachable", "collections", "connection", "throttle", "timeout",
            "local_action", "action", "debugger", "module_defaults", "port", "remote_user");
    /** Task-level keys holding a bare condition. */
    static final Set<String> CONDITIONS = Set.of("when", "changed_when", "failed_when", "until");
    /** Play keys holding task lists. */
    static final Set<String> TASK_LISTS = Set.of("tasks", "pre_tasks", "post_tasks", "handlers", "block", "rescue", "always");
    /** Entries rig's loader reads as keywords rather than modules (checked by the loader, not the catalog). */
    static final Set<String> STRUCTURAL = Set.of("import_tasks", "include_tasks", "import_role", "include_role", "import_playbook", "include_vars",
            "block", "meta");

    private static final String TEMPLATED_SRC = "a template src computed with Jinja2: rig convert renames x.j2 files to x.ftl and cannot follow a computed name; "
            + "write the name (ending .ftl) in the converted task";

    private final ModuleCatalog catalog;
    /** Opens Ansible Vault content so that Jinja2 inside it is converted too (then encrypted again); none: it is copied and reported. */
    private final VaultPasswords vault;
    /** Files (relative to SRC) encrypted whole with Ansible Vault. */
    private final Set<String> encryptedFiles = new TreeSet<>();

    public ProjectConverter(ModuleCatalog catalog) {
        this(catalog, VaultPasswords.none());
    }

    public ProjectConverter(ModuleCatalog catalog, VaultPasswords vault) {
        this.catalog = catalog;
        this.vault = vault;
    }

    /** What one conversion did. */
    public record Result(List<Finding> findings, int yamlFiles, int templates, int copied, List<String> playbooks) {}

    /** Marks a directory as rig convert's output, so that a later conversion may replace it and nothing else. */
    public static final String MARKER = ".rig-convert";

    /**
     * Converts SRC into DEST: DEST must be new, empty or an earlier conversion's output (replaced
     * whole), and neither inside SRC nor containing it. Then every converted playbook is loaded by
     * rig, and what rig refuses is added to the findings.
     */
    public Result convert(Path src, Path dest) throws IOException {
        Path s = src.toRealPath();
        Path d = realPath(dest);
        if (d.startsWith(s) || s.startsWith(d)) throw new IllegalArgumentException("the output directory must be outside the Ansible project (and not contain it)");
        if (Files.exists(d)) {
            if (!Files.isDirectory(d)) throw new IllegalArgumentException(dest + " exists and is not a directory");
            try (Stream<Path> entries = Files.list(d)) {
                if (entries.findAny().isPresent() && !Files.exists(d.resolve(MARKER))) {
                    throw new IllegalArgumentException(dest + " is not empty and was not written by rig convert; give a new or empty directory");
                }
            }
            Trees.delete(d);
        }
        Files.createDirectories(d);
        Files.writeString(d.resolve(MARKER), "written by rig convert; the next conversion into this directory replaces it\n", StandardCharsets.UTF_8);
        List<Path> files;
        try (Stream<Path> walk = Files.walk(s)) {
            files = walk.filter(Files::isRegularFile).filter(p -> !s.relativize(p).toString().startsWith(".git/")).sorted().collect(Collectors.toList());
        }
        List<Finding> findings = new ArrayList<>();
        int yaml = 0, templates = 0, copied = 0;
        List<String> playbooks = new ArrayList<>();
        for (Path file : files) {
            String rel = s.relativize(file).toString().replace('\\', '/');
            Optional<String> utf8 = isTemplate(rel) || rel.endsWith(".yml") || rel.endsWith(".yaml") ? utf8(file) : Optional.empty();
            if ((isTemplate(rel) || rel.endsWith(".yml") || rel.endsWith(".yaml")) && utf8.isEmpty()) {
                findings.add(new Finding(rel, 0, 0, "not UTF-8 text: copied as it is, not converted (Ansible's template module cannot render it either; a binary file belongs in files/)"));
                copied++;
                Files.createDirectories(d.resolve(rel).getParent());
                Files.copy(file, d.resolve(rel), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } else if (isTemplate(rel)) {
                templates++;
                String text = utf8.get();
                Optional<String> ftl = convertTemplate(rel, text, findings);
                write(d.resolve(ftl.isPresent() ? templateName(rel) : rel), ftl.orElse(text));
            } else if (rel.endsWith(".yml") || rel.endsWith(".yaml")) {
                yaml++;
                String text = utf8.get();
                if (VaultCipher.isVault(text)) {
                    encryptedFiles.add(rel);
                    write(d.resolve(rel), encryptedFile(rel, text, findings));
                    continue;
                }
                YamlFile y = new YamlFile(rel, text, findings);
                write(d.resolve(rel), y.convert());
                if (y.playbook) playbooks.add(rel);
            } else {
                if (isIniInventory(rel)) checkIni(rel, Files.readString(file, StandardCharsets.UTF_8), findings);
                copied++;
                Files.createDirectories(d.resolve(rel).getParent());
                Files.copy(file, d.resolve(rel), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        validate(d, playbooks, findings);
        findings.sort(Comparator.naturalOrder());
        return new Result(List.copyOf(new TreeSet<>(findings)), yaml, templates, copied, List.copyOf(playbooks));
    }

    /** Where a path really is, existing or not: its nearest existing ancestor with symbolic links resolved, and the rest of it. */
    static Path realPath(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) existing = existing.getParent();
        if (existing == null) return abs;
        return existing.toRealPath().resolve(existing.relativize(abs)).normalize();
    }

    /** Loads each converted playbook as rig would; its errors on lines not already reported become findings. */
    private void validate(Path dest, List<String> playbooks, List<Finding> findings) {
        Templates templates = new Templates();
        for (String rel : playbooks) {
            try {
                PlaybookLoader.load(dest.resolve(rel), catalog, templates, vault);
            } catch (InvalidInputException e) {
                for (InputError err : e.errors()) {
                    String file = err.source().file();
                    String where = file.startsWith(dest.toString() + "/") ? file.substring(dest.toString().length() + 1) : file;
                    boolean known = findings.stream().anyMatch(f -> f.file().equals(where) && (f.line() == err.source().line() || err.source().line() == 0));
                    if (!known) findings.add(new Finding(where, err.source().line(), err.source().column(), "rig refuses the converted file: " + err.message()));
                }
            } catch (RuntimeException e) {
                // rig's loader failing outright (not one of its reported errors): the conversion still has a report
                boolean explained = findings.stream().anyMatch(f -> f.reason().contains("!vault"));
                String first = String.valueOf(e.getMessage()).lines().findFirst().orElse("");
                if (!explained) findings.add(new Finding(rel, 0, 0, "rig cannot load the converted playbook: " + first));
            }
        }
    }

    /** The plaintext of Ansible Vault content, with the password and label that opened it. */
    private record Opened(String plaintext, byte[] password, String label) {}

    private Opened open(String envelope) {
        String label = VaultCipher.label(envelope).orElse(null);
        List<VaultPasswords.Password> ordered = new ArrayList<>(vault.passwords());
        ordered.sort((a, b) -> Boolean.compare(!a.label().equals(label), !b.label().equals(label)));
        String problem = "no vault password was given";
        for (VaultPasswords.Password p : ordered) {
            try {
                return new Opened(new String(VaultCipher.decrypt(envelope, p.secret()), StandardCharsets.UTF_8), p.secret(), label);
            } catch (VaultCipher.VaultException e) {
                problem = e.getMessage();
                if (!e.wrongPassword) break;
            }
        }
        throw new IllegalArgumentException(problem);
    }

    /** Encrypted content converted: unchanged plaintext keeps its envelope byte for byte; changed is encrypted again with the same password and label. */
    private String reencrypted(String envelope, Opened o, String converted) {
        if (converted.equals(o.plaintext())) return envelope;
        return VaultCipher.encryptDeterministic(converted.getBytes(StandardCharsets.UTF_8), o.password(), o.label());
    }

    /** A YAML file encrypted whole: converted inside when a vault password opens it, else copied as it is and reported. */
    private String encryptedFile(String rel, String text, List<Finding> findings) {
        if (vault.isEmpty()) {
            findings.add(new Finding(rel, 1, 1, "encrypted with Ansible Vault and no vault password given: copied as it is, Jinja2 inside it not converted "
                    + "(convert with --vault-password-file FILE to convert it too)"));
            return text;
        }
        Opened o;
        try {
            o = open(text);
        } catch (IllegalArgumentException e) {
            findings.add(new Finding(rel, 1, 1, "encrypted with Ansible Vault and not opened (" + e.getMessage() + "): copied as it is, Jinja2 inside it not converted"));
            return text;
        }
        List<Finding> inside = new ArrayList<>();
        String converted = new YamlFile(rel, o.plaintext(), inside).convert();
        // positions are the decrypted text's
        for (Finding f : inside) findings.add(new Finding(f.file(), f.line(), f.column(), secretSafe(f.reason()) + " [in the vault-encrypted content]"));
        return reencrypted(text, o, converted);
    }

    /** A reason about decrypted content: quoted text other than a name (a filter's, a module's) could be part of a secret, so it is left out. */
    static String secretSafe(String reason) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("'([^']*)'").matcher(reason);
        while (m.find()) {
            if (!m.group(1).matches("[A-Za-z_][A-Za-z0-9_.]*(\\(\\.\\.\\.\\))?")) return "Jinja2 that rig convert cannot convert (the reason is not shown: it would quote the encrypted text)";
        }
        return reason;
    }

    private static void write(Path file, String text) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, text, StandardCharsets.UTF_8);
    }

    /** An INI inventory: a .ini file, or a file named hosts. Copied as it is; rig reads Ansible's INI format itself. */
    static boolean isIniInventory(String rel) {
        String name = rel.substring(rel.lastIndexOf('/') + 1);
        return name.endsWith(".ini") || name.equals("hosts");
    }

    /** INI values are copied as they are: Jinja2 in them would reach rig unconverted, and a ${ would be read as FreeMarker. */
    private static void checkIni(String rel, String text, List<Finding> findings) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int at = lines[i].indexOf("{{");
            if (at >= 0) findings.add(new Finding(rel, i + 1, at + 1, "Jinja2 in an INI inventory is copied as it is: move the value to group_vars/host_vars (YAML, converted)"));
            at = lines[i].indexOf("${");
            if (at >= 0) findings.add(new Finding(rel, i + 1, at + 1, "'${' in an INI inventory would be read by rig as FreeMarker: move the value to group_vars/host_vars (YAML, escaped)"));
        }
    }

    /** Files Ansible's template module renders: .j2 anywhere, anything under a templates/ directory; never under files/, which copy sends as they are. */
    static boolean isTemplate(String rel) {
        String path = "/" + rel;
        if (path.contains("/files/")) return false;
        return rel.endsWith(".j2") || path.contains("/templates/");
    }

    /** The file's text, or empty when it is not valid UTF-8 (a binary file). */
    private static Optional<String> utf8(Path file) throws IOException {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString());
        } catch (java.nio.charset.CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** x.conf.j2 → x.conf.ftl; x.conf (a template without .j2) → x.conf.ftl. */
    public static String templateName(String name) {
        if (name.endsWith(".ftl")) return name;
        return name.endsWith(".j2") ? name.substring(0, name.length() - 3) + ".ftl" : name + ".ftl";
    }

    private Optional<String> convertTemplate(String rel, String text, List<Finding> findings) {
        try {
            return Optional.of(new FreeMarkerEmitter().template(JinjaParser.parseTemplate(text, true)));
        } catch (JinjaSyntaxError e) {
            findings.add(new Finding(rel, e.pos().line(), e.pos().column(), "Jinja2 syntax error: " + e.getMessage() + " (template left as it is)"));
        } catch (Unconvertible e) {
            findings.add(new Finding(rel, e.pos().line(), e.pos().column(), e.getMessage() + " (template left as it is)"));
        }
        return Optional.empty();
    }

    /** One YAML file: edits to its text, applied from the end so that earlier offsets stay valid. */
    private final class YamlFile {
        private final String rel;
        private final String text;
        private final List<Finding> findings;
        private final List<int[]> spans = new ArrayList<>();
        private final List<String> replacements = new ArrayList<>();
        boolean playbook;
        /** Free-form key=value arguments written as a map, with their keys (checked as a map's would be). */
        private final Set<ScalarNode> freeFormMapped = new java.util.HashSet<>();
        private final java.util.Map<ScalarNode, List<String>> freeFormKeys = new java.util.HashMap<>();
        /** Inline !vault values left closed (no password given), and the first of them, for one finding per file. */
        private int unopenedVault;
        private ScalarNode firstUnopenedVault;

        YamlFile(String rel, String text, List<Finding> findings) {
            this.rel = rel;
            this.text = text;
            this.findings = findings;
        }

        String convert() {
            List<org.yaml.snakeyaml.nodes.Node> docs = new ArrayList<>();
            try {
                LoaderOptions o = new LoaderOptions();
                Yaml yaml = new Yaml(new SafeConstructor(o), new Representer(new DumperOptions()), new DumperOptions(), o);
                yaml.composeAll(new StringReader(text)).forEach(docs::add);
            } catch (MarkedYAMLException e) {
                var m = e.getProblemMark();
                findings.add(new Finding(rel, m == null ? 0 : m.getLine() + 1, m == null ? 0 : m.getColumn() + 1, "YAML syntax error: " + e.getProblem() + " (file left as it is)"));
                return text;
            } catch (YAMLException e) {
                findings.add(new Finding(rel, 0, 0, "YAML error: " + e.getMessage() + " (file left as it is)"));
                return text;
            }
            boolean taskFile = ("/" + rel).matches(".*/(tasks|handlers)/[^/]+$");
            for (org.yaml.snakeyaml.nodes.Node doc : docs) {
                if (taskFile && doc instanceof SequenceNode seq) tasks(seq);
                else if (doc instanceof SequenceNode seq && isPlaybook(seq)) {
                    playbook = true;
                    plays(seq);
                }
                else values(doc);
            }
            if (unopenedVault > 0) {
                finding(firstUnopenedVault, unopenedVault + " inline !vault value" + (unopenedVault == 1 ? "" : "s") + " and no vault password given: copied as "
                        + (unopenedVault == 1 ? "it is" : "they are") + ", a ${ inside not escaped for rig (convert with --vault-password-file FILE to escape "
                        + (unopenedVault == 1 ? "it" : "them") + " too)");
            }
            StringBuilder out = new StringBuilder(text);
            for (int i = spans.size() - 1; i >= 0; i--) out.replace(spans.get(i)[0], spans.get(i)[1], replacements.get(i));
            return out.toString();
        }

        private boolean isPlaybook(SequenceNode seq) {
            return !seq.getValue().isEmpty() && seq.getValue().stream().allMatch(n -> n instanceof MappingNode m
                    && m.getValue().stream().anyMatch(t -> key(t).equals("hosts") || key(t).equals("import_playbook")));
        }

        private void plays(SequenceNode seq) {
            for (org.yaml.snakeyaml.nodes.Node play : seq.getValue()) {
                for (NodeTuple t : ((MappingNode) play).getValue()) {
                    if (TASK_LISTS.contains(key(t)) && t.getValueNode() instanceof SequenceNode tasks) tasks(tasks);
                    else values(t.getValueNode());
                }
            }
        }

        private void tasks(SequenceNode seq) {
            for (org.yaml.snakeyaml.nodes.Node n : seq.getValue()) {
                if (n instanceof MappingNode task) task(task);
                else values(n);
            }
        }

        private void task(MappingNode task) {
            String module = null;
            NodeTuple moduleEntry = null;
            for (NodeTuple t : task.getValue()) {
                String k = key(t);
                if (!TASK_KEYWORDS.contains(k) && !k.startsWith("with_")) {
                    module = k;
                    moduleEntry = t;
                }
            }
            String shortModule = module == null ? null : module.replaceFirst("^ansible\\.(builtin|legacy)\\.", "");
            for (NodeTuple t : task.getValue()) {
                String k = key(t);
                if (TASK_LISTS.contains(k) && t.getValueNode() instanceof SequenceNode nested) tasks(nested);
                else if (CONDITIONS.contains(k)) conditions(t.getValueNode());
                else if (t == moduleEntry) moduleArgs(shortModule, t);
                else if (k.equals("args")) moduleArgs(shortModule, t);
                else values(t.getValueNode());
            }
            if (module != null && !STRUCTURAL.contains(shortModule)) checkModule(shortModule, moduleEntry, task);
        }

        private void moduleArgs(String module, NodeTuple entry) {
            org.yaml.snakeyaml.nodes.Node v = entry.getValueNode();
            Optional<ModuleSpec> spec = module == null ? Optional.empty() : catalog.find(module);
            if (v instanceof ScalarNode sc && sc.getTag().equals(Tag.STR) && spec.isPresent() && spec.get().freeFormArg() == null && freeFormToMap(module, sc)) {
                return;
            }
            if (!(v instanceof MappingNode args)) {
                values(v);
                return;
            }
            for (NodeTuple a : args.getValue()) {
                String k = key(a);
                if ("assert".equals(module) && k.equals("that")) conditions(a.getValueNode());
                else if ("template".equals(module) && k.equals("src") && a.getValueNode() instanceof ScalarNode src && !JinjaParser.isTemplated(src.getValue())) {
                    replace(src, templateName(src.getValue()));
                } else if ("template".equals(module) && k.equals("src") && a.getValueNode() instanceof ScalarNode src) {
                    finding(src, TEMPLATED_SRC);
                } else values(a.getValueNode());
            }
        }

        private void checkModule(String module, NodeTuple entry, MappingNode task) {
            Optional<ModuleSpec> spec = catalog.find(module);
            if (spec.isEmpty()) {
                finding(entry.getKeyNode(), "module '" + module + "': rig has no such module (task left as it is)");
                return;
            }
            ModuleSpec m = spec.get();
            List<NodeTuple> args = new ArrayList<>();
            if (entry.getValueNode() instanceof MappingNode map) args.addAll(map.getValue());
            else if (entry.getValueNode() instanceof ScalarNode sc && freeFormMapped.contains(sc)) {
                Set<String> known = m.args().stream().map(ArgSpec::name).collect(Collectors.toSet());
                for (String k : freeFormKeys.get(sc)) {
                    if (!m.acceptsAnyArgs() && !known.contains(k)) finding(sc, "module '" + module + "' has no argument '" + k + "' in rig");
                }
            } else if (entry.getValueNode() instanceof ScalarNode sc && !sc.getTag().equals(Tag.NULL) && m.freeFormArg() == null) {
                finding(entry.getValueNode(), "module '" + module + "' takes no free-form arguments in rig; write them as a map");
            }
            for (NodeTuple t : task.getValue()) if (key(t).equals("args") && t.getValueNode() instanceof MappingNode map) args.addAll(map.getValue());
            if (m.acceptsAnyArgs()) return;
            Set<String> known = m.args().stream().map(ArgSpec::name).collect(Collectors.toSet());
            for (NodeTuple a : args) {
                if (!known.contains(key(a))) {
                    finding(a.getKeyNode(), "module '" + module + "' has no argument '" + key(a) + "' in rig (expected one of: "
                            + m.args().stream().map(ArgSpec::name).sorted().collect(Collectors.joining(", ")) + ")");
                }
            }
        }

        /** A bare condition (or a list of them); a condition written as "{{ expr }}" loses its braces. */
        private void conditions(org.yaml.snakeyaml.nodes.Node n) {
            if (n instanceof SequenceNode seq) {
                seq.getValue().forEach(this::conditions);
                return;
            }
            if (!(n instanceof ScalarNode sc) || !sc.getTag().equals(Tag.STR)) return;
            String src = sc.getValue();
            try {
                Jinja.Expr expr;
                List<Node> nodes = JinjaParser.isTemplated(src) ? JinjaParser.parseTemplate(src, true) : null;
                if (nodes != null && nodes.size() == 1 && nodes.get(0) instanceof Output o) expr = o.expr();
                else if (nodes != null) throw new Unconvertible(new Pos(1, 1), "a condition with text around its {{ }}");
                else expr = JinjaParser.parseExpression(src);
                replace(sc, new FreeMarkerEmitter().expression(expr));
            } catch (JinjaSyntaxError e) {
                finding(sc, e.pos(), "Jinja2 syntax error: " + e.getMessage());
            } catch (Unconvertible e) {
                finding(sc, e.pos(), e.getMessage());
            }
        }

        /** Every string inside a value: Jinja2 converted, a literal ${ escaped. */
        private void values(org.yaml.snakeyaml.nodes.Node n) {
            if (n instanceof SequenceNode seq) seq.getValue().forEach(this::values);
            else if (n instanceof MappingNode map) map.getValue().forEach(t -> values(t.getValueNode()));
            else if (n instanceof ScalarNode sc && sc.getTag().equals(Tag.STR)) value(sc);
            else if (n instanceof ScalarNode sc && sc.getTag().getValue().equals("!vault")) inlineVault(sc);
            else if (n instanceof ScalarNode sc && sc.getTag().getValue().equals("!unsafe")) unsafe(sc);
        }

        /** "!unsafe": Ansible never templates the text; rig has no such tag, so the text is written as a plain string with rig's syntax escaped. */
        private void unsafe(ScalarNode sc) {
            String literal = FreeMarkerEmitter.escapeText(sc.getValue());
            int start = sc.getStartMark().getIndex(), end = sc.getEndMark().getIndex();
            // a block scalar's end is past its line breaks: keep them for the key after it
            if (sc.getScalarStyle() == DumperOptions.ScalarStyle.LITERAL || sc.getScalarStyle() == DumperOptions.ScalarStyle.FOLDED) {
                while (end > start && Character.isWhitespace(text.charAt(end - 1))) end--;
            }
            spans.add(new int[]{start, end});
            replacements.add(doubleQuoted(literal));
            if (spans.size() > 1 && spans.get(spans.size() - 2)[0] > sc.getStartMark().getIndex()) sortEdits();
        }

        /** An inline "!vault |" value: escaped inside when a password opens it (encrypted again), else counted for one finding per file. */
        private void inlineVault(ScalarNode sc) {
            if (vault.isEmpty()) {
                if (unopenedVault++ == 0) firstUnopenedVault = sc;
                return;
            }
            Opened o;
            try {
                o = open(sc.getValue());
            } catch (IllegalArgumentException e) {
                finding(sc, "an inline !vault value not opened (" + e.getMessage() + "): copied as it is, Jinja2 inside it not converted");
                return;
            }
            // Ansible never templates an inline vault value (it is not a str to its templar): its text is literal, so only rig's syntax is escaped
            String v = o.plaintext();
            String out = FreeMarkerEmitter.escapeText(v);
            if (out.equals(v)) return;
            String envelope = reencrypted(sc.getValue(), o, out);
            int start = sc.getStartMark().getIndex(), end = sc.getEndMark().getIndex();
            while (end > start && Character.isWhitespace(text.charAt(end - 1))) end--;
            int indent = indentOf(sc);
            StringBuilder written = new StringBuilder("!vault |");
            for (String line : envelope.strip().split("\n")) written.append('\n').append(" ".repeat(indent)).append(line);
            spans.add(new int[]{start, end});
            replacements.add(written.toString());
            if (spans.size() > 1 && spans.get(spans.size() - 2)[0] > start) sortEdits();
        }

        private void value(ScalarNode sc) {
            converted(sc).ifPresent(out -> {
                if (!out.equals(sc.getValue())) replace(sc, out);
            });
        }

        /** A string value in rig's syntax; empty (and reported) when it cannot be converted. */
        private Optional<String> converted(ScalarNode sc) {
            String v = sc.getValue();
            try {
                return Optional.of(JinjaParser.isTemplated(v) ? new FreeMarkerEmitter().value(JinjaParser.parseTemplate(v, true)) : FreeMarkerEmitter.escapeText(v));
            } catch (JinjaSyntaxError e) {
                finding(sc, e.pos(), "Jinja2 syntax error: " + e.getMessage());
            } catch (Unconvertible e) {
                finding(sc, e.pos(), e.getMessage());
            }
            return Optional.empty();
        }

        /**
         * "file: path=/x state=directory": Ansible's key=value free form, which rig takes only as a map, written as a flow map of the
         * converted values (a template's src= renamed as its .j2 file is). False when it is not all key=value words.
         */
        private boolean freeFormToMap(String module, ScalarNode sc) {
            Optional<String> out = converted(sc);
            if (out.isEmpty()) return true;
            dev.rig.playbook.FreeFormArgs.Parsed parsed = dev.rig.playbook.FreeFormArgs.parse(out.get(), false);
            if (parsed.raw() != null || parsed.options().isEmpty()) return false;
            StringBuilder map = new StringBuilder("{");
            for (var e : parsed.options().entrySet()) {
                String value = e.getValue();
                if ("template".equals(module) && e.getKey().equals("src")) {
                    if (value.contains("${") || value.contains("<#")) finding(sc, TEMPLATED_SRC);
                    else value = templateName(value);
                }
                if (map.length() > 1) map.append(", ");
                // key=value values are strings; a YAML boolean or plain integer is left for the module's type, as Ansible converts them
                boolean typed = value.matches("(?i)yes|no|true|false") || value.matches("[1-9][0-9]*|0");
                map.append(e.getKey()).append(": ").append(typed ? value : doubleQuoted(value));
            }
            freeFormMapped.add(sc);
            freeFormKeys.put(sc, List.copyOf(parsed.options().keySet()));
            spans.add(new int[]{sc.getStartMark().getIndex(), sc.getEndMark().getIndex()});
            replacements.add(map.append('}').toString());
            if (spans.size() > 1 && spans.get(spans.size() - 2)[0] > sc.getStartMark().getIndex()) sortEdits();
            return true;
        }

        private void finding(org.yaml.snakeyaml.nodes.Node n, String reason) {
            findings.add(new Finding(rel, n.getStartMark().getLine() + 1, n.getStartMark().getColumn() + 1, reason));
        }

        /** A position inside a scalar's value, mapped to the file (exact on a scalar's first line). */
        private void finding(ScalarNode sc, Pos p, String reason) {
            int line = sc.getStartMark().getLine() + 1, col = sc.getStartMark().getColumn() + 1;
            DumperOptions.ScalarStyle style = sc.getScalarStyle();
            boolean block = style == DumperOptions.ScalarStyle.LITERAL || style == DumperOptions.ScalarStyle.FOLDED;
            boolean quoted = style == DumperOptions.ScalarStyle.SINGLE_QUOTED || style == DumperOptions.ScalarStyle.DOUBLE_QUOTED;
            if (block) findings.add(new Finding(rel, line + p.line(), p.column() + indentOf(sc), reason + " (left as it is)"));
            else if (p.line() == 1) findings.add(new Finding(rel, line, col + (quoted ? 1 : 0) + p.column() - 1, reason + " (left as it is)"));
            else findings.add(new Finding(rel, line + p.line() - 1, p.column(), reason + " (left as it is)"));
        }

        private int indentOf(ScalarNode sc) {
            int nl = text.indexOf('\n', sc.getStartMark().getIndex());
            int i = nl + 1;
            while (i < text.length() && text.charAt(i) == ' ') i++;
            return i - nl - 1;
        }

        private void replace(ScalarNode sc, String value) {
            int start = sc.getStartMark().getIndex();
            int end = sc.getEndMark().getIndex();
            DumperOptions.ScalarStyle style = sc.getScalarStyle();
            String written;
            if (style == DumperOptions.ScalarStyle.LITERAL || style == DumperOptions.ScalarStyle.FOLDED) {
                while (end > start && Character.isWhitespace(text.charAt(end - 1))) end--;
                written = block(value, indentOf(sc));
            } else if (style == DumperOptions.ScalarStyle.PLAIN && plainSafe(value)) {
                written = value;
            } else if (style == DumperOptions.ScalarStyle.SINGLE_QUOTED && !value.contains("\n")) {
                written = "'" + value.replace("'", "''") + "'";
            } else {
                written = doubleQuoted(value);
            }
            spans.add(new int[]{start, end});
            replacements.add(written);
            // edits are applied from the end: keep them in file order
            if (spans.size() > 1 && spans.get(spans.size() - 2)[0] > start) sortEdits();
        }

        private void sortEdits() {
            List<Integer> order = new ArrayList<>();
            for (int i = 0; i < spans.size(); i++) order.add(i);
            order.sort(Comparator.comparingInt(i -> spans.get(i)[0]));
            List<int[]> s = new ArrayList<>();
            List<String> r = new ArrayList<>();
            for (int i : order) {
                s.add(spans.get(i));
                r.add(replacements.get(i));
            }
            spans.clear();
            spans.addAll(s);
            replacements.clear();
            replacements.addAll(r);
        }
    }

    private static String key(NodeTuple t) {
        return t.getKeyNode() instanceof ScalarNode s ? s.getValue() : "";
    }

    /** A literal block scalar holding exactly value, at the given indentation. */
    static String block(String value, int indent) {
        String chomp = value.endsWith("\n\n") ? "+" : value.endsWith("\n") ? "" : "-";
        String body = value.endsWith("\n") && chomp.isEmpty() ? value.substring(0, value.length() - 1) : value;
        if (chomp.equals("+")) body = body.substring(0, body.length() - 1);
        if (body.startsWith(" ") || body.startsWith("\n")) chomp = indent + chomp;
        String pad = " ".repeat(indent);
        StringBuilder b = new StringBuilder("|").append(chomp);
        for (String line : body.split("\n", -1)) b.append('\n').append(line.isEmpty() ? "" : pad + line);
        return b.toString();
    }

    private static boolean plainSafe(String v) {
        if (v.isEmpty() || v.contains("\n") || !v.equals(v.strip())) return false;
        if (v.contains(": ") || v.contains(" #") || v.endsWith(":")) return false;
        char c = v.charAt(0);
        if ("!&*[]{}|>'\"%@`#,?:-<=".indexOf(c) >= 0 || v.matches(".*[,\\[\\]{}].*")) return false;
        return !v.matches("(?i)(yes|no|true|false|on|off|null|~|[-+]?[0-9].*)");
    }

    static String doubleQuoted(String v) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}

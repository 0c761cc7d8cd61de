package dev.rig.playbook;

import dev.rig.core.Errors;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import dev.rig.core.YamlFiles;
import dev.rig.facts.HostFacts;
import dev.rig.template.Templates;
import dev.rig.vault.VaultCipher;
import dev.rig.vault.VaultPasswords;
import dev.rig.vault.VaultYaml;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads a playbook with its roles and imported task files, and checks all of it before any host
 * is contacted: YAML syntax, keywords, modules and their arguments, notify targets, local files
 * and templates, FreeMarker syntax. Every problem is collected; {@link #load} throws them together.
 */
public final class PlaybookLoader {
    static final Set<String> PLAY_KEYS = Set.of("name", "hosts", "vars", "vars_files", "become", "become_user",
            "serial", "max_fail_percentage", "roles", "pre_tasks", "tasks", "post_tasks", "handlers", "tags",
            "gather_facts", "connection", "environment", "vars_prompt", "run_once", "any_errors_fatal", "ignore_unreachable");
    /** Play connections rig has: its own SSH (Ansible's ssh and its default, smart) and the operator's machine. */
    static final Set<String> CONNECTIONS = Set.of("ssh", "smart", "local");
    static final Set<String> TASK_KEYS = Set.of("name", "when", "loop", "with_items", "loop_control", "register",
            "notify", "tags", "become", "become_user", "changed_when", "failed_when", "ignore_errors", "no_log", "vars",
            "args", "listen", "environment", "until", "retries", "delay", "check_mode", "with_dict", "delegate_to", "throttle",
            "run_once", "any_errors_fatal", "ignore_unreachable");
    private static final Set<String> LOOP_CONTROL_KEYS = Set.of("label", "loop_var", "index_var", "pause", "extended");
    private static final int MAX_IMPORT_DEPTH = 16;

    private final ModuleCatalog modules;
    private final Templates templates;
    private final Errors errors = new Errors();
    private final List<Path> filesRead = new ArrayList<>();
    /** Indentation of literal block scalars (content: |), by the source of their first content line. */
    private final Map<Source, Integer> blockIndents = new java.util.HashMap<>();
    private final Map<Path, List<String>> fileLines = new java.util.HashMap<>();
    /** The environment of the play being read, passed to its roles' tasks. */
    private Map<String, Object> playEnvironment = Map.of();
    /** The play's run_once, any_errors_fatal and ignore_unreachable, passed to its roles' tasks. */
    private Flags playFlags = Flags.NONE;
    /** The play being read: its directory (where roles/ is), its handlers, what its roles export, the roles already in it. */
    private Path playDir;
    private List<Task> playHandlers = new ArrayList<>();
    private Map<String, Object> playRoleDefaults = new LinkedHashMap<>();
    private Map<String, Object> playRoleVars = new LinkedHashMap<>();
    private Map<String, Task.RoleVars> playRolesRun = new LinkedHashMap<>();
    private Set<Path> playHandlerFiles = new LinkedHashSet<>();
    /** A template of the play being read uses a gathered fact. */
    private boolean factSeenInTemplates;

    /** Opens vars files encrypted with Ansible Vault, and their inline !vault values. */
    private final VaultPasswords vault;

    private PlaybookLoader(ModuleCatalog modules, Templates templates, VaultPasswords vault) {
        this.modules = modules;
        this.templates = templates;
        this.vault = vault;
    }

    public static Playbook load(Path file, ModuleCatalog modules, Templates templates) {
        return load(file, modules, templates, VaultPasswords.none());
    }

    public static Playbook load(Path file, ModuleCatalog modules, Templates templates, VaultPasswords vault) {
        PlaybookLoader loader = new PlaybookLoader(modules, templates, vault);
        Playbook pb = loader.loadPlaybook(file.toAbsolutePath().normalize());
        loader.errors.throwIfAny();
        return pb;
    }

    /** Loads several playbooks, reporting the errors of all of them together. */
    public static List<Playbook> loadAll(List<Path> files, ModuleCatalog modules, Templates templates) {
        return loadAll(files, modules, templates, VaultPasswords.none());
    }

    /** As above, with vars files opened with vault's passwords. */
    public static List<Playbook> loadAll(List<Path> files, ModuleCatalog modules, Templates templates, VaultPasswords vault) {
        List<Playbook> out = new ArrayList<>();
        Errors all = new Errors();
        for (Path f : files) {
            try {
                out.add(load(f, modules, templates, vault));
            } catch (InvalidInputException e) {
                all.addAll(e.errors());
            }
        }
        all.throwIfAny();
        return out;
    }

    private Playbook loadPlaybook(Path file) {
        List<Play> plays = new ArrayList<>();
        if (!Files.isRegularFile(file)) {
            errors.add(new Source(file.toString(), 0, 0), "playbook not found");
            return new Playbook(file, plays, filesRead);
        }
        filesRead.add(file);
        Node root = YamlFiles.compose(file, errors);
        if (root == null) return new Playbook(file, plays, filesRead);
        checkDuplicateKeys(file, root);
        if (!(root instanceof SequenceNode seq)) {
            errors.add(YamlFiles.source(file, root), "expected a list of plays, found " + YamlFiles.kind(root));
            return new Playbook(file, plays, filesRead);
        }
        plays(file, seq, plays, new ArrayList<>(List.of(file)));
        return new Playbook(file, plays, List.copyOf(filesRead));
    }

    /** The plays of a list, with {@code - import_playbook: FILE} entries replaced by that file's plays (relative to it). */
    private void plays(Path file, SequenceNode seq, List<Play> plays, List<Path> importing) {
        for (Node n : seq.getValue()) {
            if (n instanceof MappingNode m && m.getValue().stream().anyMatch(t -> t.getKeyNode() instanceof ScalarNode k && k.getValue().equals("import_playbook"))) {
                importPlaybook(file, m, plays, importing);
                continue;
            }
            Play p = play(file, n);
            if (p != null) plays.add(p);
        }
    }

    private void importPlaybook(Path file, MappingNode entry, List<Play> plays, List<Path> importing) {
        Source src = YamlFiles.source(file, entry);
        Map<String, NodeTuple> keys = keyed(file, entry, Set.of("import_playbook", "name"), "import_playbook entry");
        String target = string(file, keys.get("import_playbook"));
        if (target == null) return;
        Path imported = file.getParent().resolve(target).normalize();
        if (importing.contains(imported)) {
            errors.add(src, "import_playbook '" + target + "' imports itself (through " + importing.stream().map(p -> p.getFileName().toString()).toList() + ")");
            return;
        }
        if (importing.size() > MAX_IMPORT_DEPTH) {
            errors.add(src, "import_playbook nested more than " + MAX_IMPORT_DEPTH + " deep");
            return;
        }
        if (!Files.isRegularFile(imported)) {
            errors.add(YamlFiles.source(file, keys.get("import_playbook").getValueNode()), "playbook '" + target + "' not found (looked for " + imported + ")");
            return;
        }
        filesRead.add(imported);
        Node root = YamlFiles.compose(imported, errors);
        if (root == null) return;
        checkDuplicateKeys(imported, root);
        if (!(root instanceof SequenceNode seq)) {
            errors.add(YamlFiles.source(imported, root), "expected a list of plays, found " + YamlFiles.kind(root));
            return;
        }
        importing.add(imported);
        plays(imported, seq, plays, importing);
        importing.remove(importing.size() - 1);
    }

    private Play play(Path file, Node node) {
        Source src = YamlFiles.source(file, node);
        if (!(node instanceof MappingNode map)) {
            errors.add(src, "expected a play (a map with hosts and tasks), found " + YamlFiles.kind(node));
            return null;
        }
        Map<String, NodeTuple> keys = keyed(file, map, PLAY_KEYS, "play", AnsibleKeywords.PLAY);
        String name = string(file, keys.get("name"));
        String hosts = string(file, keys.get("hosts"));
        if (hosts == null) errors.add(src, "play has no 'hosts' (a host pattern such as 'all' or 'web:&prod')");
        Map<String, Object> vars = map(file, keys.get("vars"));
        if (keys.containsKey("vars_files")) {
            for (Map.Entry<Source, Object> vf : listItems(file, keys.get("vars_files"))) {
                Path p = file.getParent().resolve(String.valueOf(vf.getValue())).normalize();
                vars.putAll(varsFile(p, vf.getKey()));
            }
        }
        List<VarsPrompt> prompts = varsPrompt(file, keys.get("vars_prompt"));
        Boolean become = bool(file, keys.get("become"));
        String becomeUser = string(file, keys.get("become_user"));
        Object serial = serial(file, keys.get("serial"));
        Integer maxFail = integer(file, keys.get("max_fail_percentage"));
        Set<String> playTags = tags(file, keys.get("tags"));
        Boolean gatherFacts = bool(file, keys.get("gather_facts"));
        String connection = string(file, keys.get("connection"));
        if (connection != null && !CONNECTIONS.contains(connection)) {
            errors.add(YamlFiles.source(file, keys.get("connection").getValueNode()), "connection '" + connection
                    + "' is not one rig has; expected local, ssh or smart (ssh)");
            connection = null;
        }

        Map<String, Object> roleDefaults = new LinkedHashMap<>();
        Map<String, Object> roleVars = new LinkedHashMap<>();
        List<Step> tasks = new ArrayList<>();
        List<Task> handlers = new ArrayList<>();
        Path dir = file.getParent();
        Map<String, Object> playEnv = map(file, keys.get("environment"));
        playEnvironment = playEnv;
        playFlags = Flags.NONE.over(this, file, keys, false);
        playDir = dir;
        playHandlers = handlers;
        playRoleDefaults = roleDefaults;
        playRoleVars = roleVars;
        playRolesRun = new LinkedHashMap<>();
        playHandlerFiles = new LinkedHashSet<>();
        TaskScope playScope = new TaskScope(null, List.of(dir.resolve("files"), dir), List.of(dir.resolve("templates"), dir), playTags,
                new Inherited(null, null, Map.of(), null, List.of(), playEnv, playFlags), Task.RoleVars.NONE);

        tasks.addAll(taskList(file, keys.get("pre_tasks"), playScope, List.of()));
        if (keys.containsKey("roles")) {
            for (Map.Entry<Source, Object> r : listItems(file, keys.get("roles"))) {
                Task.RoleVars exported = role(dir, r.getKey(), r.getValue(), playTags, tasks, handlers, playRolesRun, new ArrayList<>(), Task.RoleVars.NONE);
                if (exported != null) {
                    roleDefaults.putAll(exported.defaults());
                    roleVars.putAll(exported.vars());
                }
            }
        }
        tasks.addAll(taskList(file, keys.get("tasks"), playScope, List.of()));
        tasks.addAll(taskList(file, keys.get("post_tasks"), playScope, List.of()));
        handlers.addAll(handlerList(taskList(file, keys.get("handlers"), playScope, List.of())));
        checkNotify(Step.tasks(tasks), handlers);
        for (Task t : Step.tasks(tasks)) {
            if (!t.listen().isEmpty()) errors.add(t.source(), "'listen' is a handler keyword: on a task it would mean nothing");
        }
        boolean usesFacts = factSeenInTemplates || HostFacts.USE.matcher(String.valueOf(vars) + roleDefaults + roleVars
                + Step.tasks(tasks).stream().map(PlaybookLoader::text).collect(Collectors.joining("\n"))
                + Step.includes(tasks).stream().map(PlaybookLoader::text).collect(Collectors.joining("\n"))
                + handlers.stream().map(PlaybookLoader::text).collect(Collectors.joining("\n"))).find();
        factSeenInTemplates = false;
        return new Play(name, src, hosts, vars, roleDefaults, roleVars, become, becomeUser, serial, maxFail,
                List.copyOf(tasks), List.copyOf(handlers), file, (gatherFacts == null || gatherFacts) && usesFacts,
                "local".equals(connection), prompts);
    }

    /** The names of the operator's machine when the inventory does not name them (Ansible's C.LOCALHOST). */
    public static final Set<String> LOCALHOST_NAMES = Set.of("localhost", "127.0.0.1", "::1");

    private int throttle(Path file, NodeTuple t) {
        Integer n = integer(file, t);
        if (n == null) return 0;
        if (n < 1) {
            errors.add(YamlFiles.source(file, t.getValueNode()), "expected 'throttle' to be a positive integer, found " + n);
            return 0;
        }
        return n;
    }

    /** delegate_to: a host name or a template for one; whether the inventory has it is checked at load (Inputs) or, when templated, as the task runs. */
    private Task.Delegation delegateTo(Path file, NodeTuple t) {
        if (t == null) return null;
        String to = string(file, t);
        if (to == null) return null;
        Source src = textSource(file, t.getValueNode());
        if (to.isBlank()) {
            errors.add(src, "expected a host name for 'delegate_to', found an empty string");
            return null;
        }
        checkTemplates(to, src);
        return new Task.Delegation(to, src);
    }

    static final Set<String> VARS_PROMPT_KEYS = Set.of("name", "prompt", "private", "default");

    /** A play's vars_prompt: a list of {name, prompt, private (default true), default}; Ansible's encrypt, confirm and unsafe are refused. */
    private List<VarsPrompt> varsPrompt(Path file, NodeTuple t) {
        if (t == null) return List.of();
        if (!(t.getValueNode() instanceof SequenceNode seq)) {
            errors.add(YamlFiles.source(file, t.getValueNode()), "expected a list for 'vars_prompt', found " + YamlFiles.kind(t.getValueNode()));
            return List.of();
        }
        List<VarsPrompt> out = new ArrayList<>();
        for (Node n : seq.getValue()) {
            if (!(n instanceof MappingNode m)) {
                errors.add(YamlFiles.source(file, n), "expected a vars_prompt entry (a map with name and prompt), found " + YamlFiles.kind(n));
                continue;
            }
            Map<String, NodeTuple> k = keyed(file, m, VARS_PROMPT_KEYS, "vars_prompt entry");
            String name = string(file, k.get("name"));
            if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                errors.add(YamlFiles.source(file, m), "vars_prompt entry needs 'name', a variable name");
                continue;
            }
            Boolean hidden = bool(file, k.get("private"));
            out.add(new VarsPrompt(name, string(file, k.get("prompt")), hidden == null || hidden, string(file, k.get("default")),
                    YamlFiles.source(file, m)));
        }
        return out;
    }

    /** Everything in a task that may name a variable: its blocks' whens and its environment and until too. */
    private static String text(Task t) {
        return t.name() + "\n" + t.args() + "\n" + t.when() + "\n" + t.loop() + "\n" + t.loopLabel() + "\n" + t.vars()
                + "\n" + t.changedWhen() + "\n" + t.failedWhen() + "\n" + t.notifies() + "\n" + t.blockConditions()
                + "\n" + t.control().environment() + "\n" + t.control().until() + "\n" + t.roleVars();
    }

    /** Where a task's relative files come from, and the tags it inherits. */
    /** What enclosing blocks pass down to their tasks (Ansible's inherited keywords). */
    private record Inherited(Boolean become, String becomeUser, Map<String, Object> vars, Boolean ignoreErrors,
                             List<Task.Condition> conditions, Map<String, Object> environment, Flags flags) {
        static final Inherited NONE = new Inherited(null, null, Map.of(), null, List.of(), Map.of(), Flags.NONE);

        Inherited withFlags(Flags f) {
            return new Inherited(become, becomeUser, vars, ignoreErrors, conditions, environment, f);
        }
    }

    /**
     * run_once, any_errors_fatal and ignore_unreachable as a play, block or task sets them (null: not
     * set, the enclosing one's holds), and whether a block's rescue would catch a failure here.
     */
    private record Flags(Boolean runOnce, Boolean anyErrorsFatal, Boolean ignoreUnreachable, boolean rescuable) {
        static final Flags NONE = new Flags(null, null, null, false);

        Flags over(PlaybookLoader loader, Path file, Map<String, NodeTuple> keys, boolean rescuable) {
            Boolean r = loader.bool(file, keys.get("run_once")), a = loader.bool(file, keys.get("any_errors_fatal")),
                    u = loader.bool(file, keys.get("ignore_unreachable"));
            return new Flags(r != null ? r : runOnce, a != null ? a : anyErrorsFatal, u != null ? u : ignoreUnreachable, rescuable || this.rescuable);
        }

        Flags outsideRescue(Flags outer) {
            return new Flags(runOnce, anyErrorsFatal, ignoreUnreachable, outer.rescuable);
        }

        Task.Lockstep lockstep() {
            return new Task.Lockstep(Boolean.TRUE.equals(runOnce), Boolean.TRUE.equals(anyErrorsFatal), Boolean.TRUE.equals(ignoreUnreachable), rescuable);
        }
    }

    private record TaskScope(String role, List<Path> fileDirs, List<Path> templateDirs, Set<String> tags, Inherited inherited,
                             Task.RoleVars roleVars) {
        TaskScope with(Set<String> tags, Inherited inherited) {
            return new TaskScope(role, fileDirs, templateDirs, tags, inherited, roleVars);
        }
    }

    /**
     * A role entry: its dependencies (meta/main.yml) first, then its own tasks. As in Ansible, a role
     * with the same variables runs once per play unless its meta says {@code allow_duplicates: true};
     * {@code rolesRun} holds the roles already in the play with what each exports, {@code chain} the
     * roles depending on this one and {@code parents} their variables (Ansible's dep_chain). Returns
     * what the role exports to the play (defaults, the entry's vars and vars/, its dependencies'
     * included, as Ansible 2.14 exports them), or null when it could not be read.
     */
    private Task.RoleVars role(Path playbookDir, Source src, Object entry, Set<String> playTags, List<Step> tasks, List<Task> handlers,
                               Map<String, Task.RoleVars> rolesRun, List<String> chain, Task.RoleVars parents) {
        return role(playbookDir, src, entry, playTags, new Inherited(null, null, Map.of(), null, List.of(), playEnvironment, playFlags), tasks, handlers,
                rolesRun, chain, parents);
    }

    /** {@code inherited}: what the call of the role depending on this one passes to its tasks (an import_role's when and vars). */
    private Task.RoleVars role(Path playbookDir, Source src, Object entry, Set<String> playTags, Inherited inherited, List<Step> tasks,
                               List<Task> handlers, Map<String, Task.RoleVars> rolesRun, List<String> chain, Task.RoleVars parents) {
        String roleName;
        Map<String, Object> entryVars = Map.of();
        Set<String> tags = new LinkedHashSet<>(playTags);
        if (entry instanceof String s) {
            roleName = s;
        } else if (entry instanceof Map<?, ?> m && (m.get("role") instanceof String || m.get("name") instanceof String)) {
            roleName = (String) (m.get("role") instanceof String ? m.get("role") : m.get("name"));
            for (Object k : m.keySet()) {
                if (!Set.of("role", "name", "vars", "tags").contains(String.valueOf(k))) {
                    errors.add(src, "unknown key '" + k + "' in role entry; expected role (or name), vars or tags");
                }
            }
            if (m.get("vars") instanceof Map<?, ?> v) entryVars = stringKeys(v);
            if (m.get("tags") instanceof List<?> l) l.forEach(t -> tags.add(String.valueOf(t)));
            else if (m.get("tags") instanceof String t) tags.add(t);
        } else {
            errors.add(src, "expected a role name or a map with 'role', found " + describe(entry));
            return null;
        }
        return roleCall(playbookDir, src, new RoleCall(roleName, entryVars, tags, Map.of(), inherited, false), tasks, handlers, rolesRun,
                chain, parents);
    }

    /**
     * One use of a role: from a roles: entry, or an import_role or include_role task. {@code from}:
     * tasks_from, defaults_from, vars_from, handlers_from (by those names); {@code inherited}: what
     * an import_role passes to every task of the role; {@code always}: runs even if the role ran
     * already (import_role and include_role, whose allow_duplicates is true in Ansible).
     */
    private record RoleCall(String name, Map<String, Object> entryVars, Set<String> tags, Map<String, String> from, Inherited inherited,
                            boolean always) {}

    private Task.RoleVars roleCall(Path playbookDir, Source src, RoleCall call, List<Step> tasks, List<Task> handlers,
                                   Map<String, Task.RoleVars> rolesRun, List<String> chain, Task.RoleVars parents) {
        String roleName = call.name();
        Map<String, Object> entryVars = call.entryVars();
        Set<String> tags = call.tags();
        Path roleDir = playbookDir.resolve("roles").resolve(roleName);
        if (!Files.isDirectory(roleDir)) {
            errors.add(src, "role '" + roleName + "' not found (looked for " + roleDir + ")");
            return null;
        }
        if (chain.contains(roleName)) {
            errors.add(src, "role dependency loop: " + String.join(" -> ", chain) + " -> " + roleName);
            return null;
        }
        RoleMeta meta = roleMeta(roleDir, src);
        String key = roleName + "\0" + entryVars;
        if (!call.always() && rolesRun.containsKey(key) && !meta.allowDuplicates()) return rolesRun.get(key);
        if (!call.always()) rolesRun.put(key, null);
        Path d = roleFile(roleDir, "defaults", call.from(), src);
        Map<String, Object> ownDefaults = d != null ? varsFile(d, src) : Map.of();
        Path v = roleFile(roleDir, "vars", call.from(), src);
        Map<String, Object> ownVars = v != null ? varsFile(v, src) : Map.of();
        // What this role's dependencies inherit from it: its defaults under theirs, its entry vars and vars/ under theirs.
        Map<String, Object> chainDefaults = new LinkedHashMap<>(parents.defaults());
        chainDefaults.putAll(ownDefaults);
        Map<String, Object> chainVars = new LinkedHashMap<>(parents.vars());
        chainVars.putAll(entryVars);
        chainVars.putAll(ownVars);
        List<String> inner = new ArrayList<>(chain);
        inner.add(roleName);
        Map<String, Object> depDefaults = new LinkedHashMap<>();
        Map<String, Object> depVars = new LinkedHashMap<>();
        for (Map.Entry<Source, Object> dep : meta.dependencies()) {
            Task.RoleVars exported = role(playbookDir, dep.getKey(), dep.getValue(), tags, call.inherited(), tasks, handlers, rolesRun, inner,
                    new Task.RoleVars(chainDefaults, chainVars));
            if (exported != null) {
                depDefaults.putAll(exported.defaults());
                depVars.putAll(exported.vars());
            }
        }
        // Ansible's Role.get_default_vars(dep_chain) and get_vars(dep_chain) for this role's own tasks.
        Map<String, Object> myDefaults = new LinkedHashMap<>(depDefaults);
        myDefaults.putAll(parents.defaults());
        myDefaults.putAll(ownDefaults);
        // As Ansible 2.14's Role.get_vars: the entry's vars under the role's vars/.
        Map<String, Object> myVars = new LinkedHashMap<>(parents.vars());
        myVars.putAll(depVars);
        myVars.putAll(entryVars);
        myVars.putAll(ownVars);
        TaskScope scope = new TaskScope(roleName, List.of(roleDir.resolve("files"), roleDir, playbookDir.resolve("files"), playbookDir),
                List.of(roleDir.resolve("templates"), roleDir, playbookDir.resolve("templates"), playbookDir), tags,
                call.inherited(), new Task.RoleVars(myDefaults, myVars));
        Path t = roleFile(roleDir, "tasks", call.from(), src);
        if (t != null) tasks.addAll(taskFile(t, scope, src, List.of()));
        Path h = roleFile(roleDir, "handlers", call.from(), src);
        // Handlers take only the role's variables and directories from the call, not its when or tags (Ansible's handlers are not in its blocks).
        // A role used again brings no second copy of its handlers: a notify runs a role's handler once, as in Ansible.
        if (h != null && playHandlerFiles.add(h)) handlers.addAll(handlerList(taskFile(h, new TaskScope(scope.role(), scope.fileDirs(), scope.templateDirs(), tags,
                new Inherited(null, null, Map.of(), null, List.of(), playEnvironment, playFlags), scope.roleVars()), src, List.of())));
        Map<String, Object> exportedDefaults = new LinkedHashMap<>(depDefaults);
        exportedDefaults.putAll(ownDefaults);
        Map<String, Object> exportedVars = new LinkedHashMap<>(depVars);
        exportedVars.putAll(entryVars);
        exportedVars.putAll(ownVars);
        Task.RoleVars exports = new Task.RoleVars(exportedDefaults, exportedVars);
        if (!call.always()) rolesRun.put(key, exports);
        return exports;
    }

    /** A role's main file of a kind (tasks, defaults, vars, handlers), or the one {@code KIND_from} names (with or without .yml). */
    private Path roleFile(Path roleDir, String kind, Map<String, String> from, Source src) {
        String named = from.get(kind + "_from");
        if (named == null) return yamlIn(roleDir.resolve(kind));
        for (String candidate : List.of(named, named + ".yml", named + ".yaml")) {
            Path p = roleDir.resolve(kind).resolve(candidate).normalize();
            if (p.startsWith(roleDir.resolve(kind)) && Files.isRegularFile(p)) return p;
        }
        errors.add(src, kind + "_from '" + named + "' not found in " + roleDir.resolve(kind));
        return null;
    }

    private record RoleMeta(List<Map.Entry<Source, Object>> dependencies, boolean allowDuplicates) {}

    /** Keys of a role's meta/main.yml; galaxy_info is metadata for Ansible Galaxy only and means nothing to a run. */
    static final Set<String> ROLE_META_KEYS = Set.of("dependencies", "allow_duplicates", "galaxy_info");

    private RoleMeta roleMeta(Path roleDir, Source usedAt) {
        Path m = yamlIn(roleDir.resolve("meta"));
        if (m == null) return new RoleMeta(List.of(), false);
        filesRead.add(m);
        Node n = YamlFiles.compose(m, errors);
        if (n == null || YamlFiles.value(n) == null) return new RoleMeta(List.of(), false);
        checkDuplicateKeys(m, n);
        if (!(n instanceof MappingNode map)) {
            errors.add(YamlFiles.source(m, n), "expected a map (dependencies, allow_duplicates), found " + YamlFiles.kind(n));
            return new RoleMeta(List.of(), false);
        }
        Map<String, NodeTuple> keys = keyed(m, map, ROLE_META_KEYS, "role meta/main.yml");
        List<Map.Entry<Source, Object>> deps = keys.containsKey("dependencies") && YamlFiles.value(keys.get("dependencies").getValueNode()) != null
                ? listItems(m, keys.get("dependencies")) : List.of();
        return new RoleMeta(deps, Boolean.TRUE.equals(bool(m, keys.get("allow_duplicates"))));
    }

    private static Path yamlIn(Path dir) {
        for (String n : List.of("main.yml", "main.yaml")) {
            Path p = dir.resolve(n);
            if (Files.isRegularFile(p)) return p;
        }
        return null;
    }

    /**
     * A vars file (vars_files, a role's vars/ and defaults/): encrypted whole with Ansible Vault or holding
     * inline !vault values, as Ansible opens them; every variable that came out of the vault is a secret.
     */
    private Map<String, Object> varsFile(Path p, Source usedAt) {
        if (!Files.isRegularFile(p)) {
            errors.add(usedAt, "variables file not found: " + p);
            return Map.of();
        }
        filesRead.add(p);
        String text;
        try {
            text = Files.readString(p, java.nio.charset.StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            errors.add(new Source(p.toString(), 0, 0), "cannot read file: " + e.getMessage());
            return Map.of();
        }
        boolean encrypted = VaultCipher.isVault(text);
        if (encrypted) {
            try {
                text = vault.decrypt(text);
            } catch (IllegalArgumentException e) {
                errors.add(new Source(p.toString(), 0, 0), e.getMessage());
                return Map.of();
            }
        }
        Node n = YamlFiles.compose(p, text, errors);
        if (n == null) return Map.of();
        checkDuplicateKeys(p, n);
        if (!(n instanceof MappingNode)) {
            errors.add(YamlFiles.source(p, n), "expected a map of variables, found " + YamlFiles.kind(n));
            return Map.of();
        }
        VaultYaml.rememberNames(n, vault);
        Map<String, Object> vars;
        try {
            vars = stringKeys((Map<?, ?>) new VaultYaml.Constructor(new org.yaml.snakeyaml.LoaderOptions(), vault).construct(n));
        } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) { // an inline !vault value that does not open
            org.yaml.snakeyaml.error.Mark m = e.getProblemMark();
            errors.add(m == null ? new Source(p.toString(), 0, 0) : Source.of(p, m.getLine() + 1, m.getColumn() + 1), e.getProblem());
            return Map.of();
        }
        if (encrypted) vault.rememberAll(vars); // every variable of an encrypted file is a secret
        return vars;
    }

    /** Reads a task file; {@code chain} holds the task files importing it, outermost first. */
    private List<Step> taskFile(Path p, TaskScope scope, Source usedAt, List<Path> chain) {
        if (!Files.isRegularFile(p)) {
            errors.add(usedAt, "task file not found: " + p);
            return List.of();
        }
        filesRead.add(p);
        Node n = YamlFiles.compose(p, errors);
        if (n == null) return List.of();
        checkDuplicateKeys(p, n);
        NodeTuple fake = new NodeTuple(new ScalarNode(org.yaml.snakeyaml.nodes.Tag.STR, "tasks", n.getStartMark(), n.getEndMark(), org.yaml.snakeyaml.DumperOptions.ScalarStyle.PLAIN), n);
        List<Path> inner = new ArrayList<>(chain);
        inner.add(p);
        return taskList(p, fake, scope, inner);
    }

    private List<Step> taskList(Path file, NodeTuple tuple, TaskScope scope, List<Path> chain) {
        if (tuple == null) return List.of();
        Node n = tuple.getValueNode();
        if (n instanceof ScalarNode s && YamlFiles.value(s) == null) return List.of();
        if (!(n instanceof SequenceNode seq)) {
            errors.add(YamlFiles.source(file, n), "expected a list of tasks, found " + YamlFiles.kind(n));
            return List.of();
        }
        List<Step> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            out.addAll(task(file, item, scope, chain));
        }
        return out;
    }

    /** Handlers are a flat list: a block among them is refused rather than run another way. */
    private List<Task> handlerList(List<Step> steps) {
        List<Task> out = new ArrayList<>();
        for (Step s : steps) {
            if (s instanceof Task t && !t.module().equals("include_vars")) out.add(t);
            else if (s instanceof Block b) errors.add(b.source(), "a block among handlers is not supported; write each handler as a task");
            else if (s instanceof Include i) errors.add(i.task().source(), "include_tasks among handlers is not supported; write each handler as a task");
            if (s instanceof Task t && t.module().equals("include_vars")) errors.add(t.source(), "include_vars among handlers is not supported");
        }
        return out;
    }

    static final Set<String> BLOCK_KEYS = Set.of("block", "rescue", "always", "name", "when", "become", "become_user", "tags",
            "vars", "ignore_errors", "environment", "run_once", "any_errors_fatal", "ignore_unreachable");

    /** A block: its keywords are passed down to its tasks; rescue and always are steps of their own. */
    private List<Step> block(Path file, MappingNode map, TaskScope scope, List<Path> chain) {
        Source src = YamlFiles.source(file, map);
        Map<String, NodeTuple> keys = keyed(file, map, BLOCK_KEYS, "block", AnsibleKeywords.BLOCK);
        Inherited inherited = passedDown(file, keys, scope.inherited());
        Set<String> tags = new LinkedHashSet<>(scope.tags());
        tags.addAll(tags(file, keys.get("tags")));
        // A failure in the block part is rescued when the block has a rescue; one in rescue or always only by an outer block's.
        boolean rescues = keys.get("rescue") != null && keys.get("rescue").getValueNode() instanceof SequenceNode r && !r.getValue().isEmpty();
        Inherited guarded = inherited.withFlags(inherited.flags().over(this, file, Map.of(), rescues));
        Inherited after = inherited.withFlags(inherited.flags().outsideRescue(scope.inherited().flags()));
        return List.of(new Block(string(file, keys.get("name")), src, taskList(file, keys.get("block"), scope.with(tags, guarded), chain),
                taskList(file, keys.get("rescue"), scope.with(tags, after), chain), taskList(file, keys.get("always"), scope.with(tags, after), chain)));
    }

    private List<Step> task(Path file, Node node, TaskScope scope, List<Path> chain) {
        Source src = YamlFiles.source(file, node);
        if (!(node instanceof MappingNode map)) {
            errors.add(src, "expected a task (a map with one module), found " + YamlFiles.kind(node));
            return List.of();
        }
        if (map.getValue().stream().anyMatch(t -> YamlFiles.keyName(t).equals("block"))) return block(file, map, scope, chain);
        Map<String, NodeTuple> keywords = new LinkedHashMap<>();
        List<NodeTuple> moduleKeys = new ArrayList<>();
        NodeTuple importTasks = null;
        NodeTuple roleTask = null;
        for (NodeTuple t : map.getValue()) {
            String k = YamlFiles.keyName(t);
            if (TASK_KEYS.contains(k)) keywords.put(k, t);
            else if (moduleName(k).equals("import_role") || moduleName(k).equals("include_role")) roleTask = t;
            else if (moduleName(k).equals("import_tasks") || moduleName(k).equals("include_tasks")) importTasks = t;
            else if (AnsibleKeywords.MEANINGLESS.contains(k)) continue;
            else if (AnsibleKeywords.isTaskKeyword(k)) errors.add(YamlFiles.source(file, t.getKeyNode()), AnsibleKeywords.refusal(k, "task"));
            else moduleKeys.add(t);
        }
        if (roleTask != null) {
            if (!moduleKeys.isEmpty() || importTasks != null) errors.add(src, "a task with " + YamlFiles.keyName(roleTask) + " cannot also name a module");
            return roleTask(file, src, roleTask, keywords, scope);
        }
        if (importTasks != null) {
            boolean dynamic = moduleName(YamlFiles.keyName(importTasks)).equals("include_tasks");
            String what = dynamic ? "include_tasks" : "import_tasks";
            if (!moduleKeys.isEmpty()) errors.add(src, "a task with " + what + " cannot also name a module");
            Set<String> allowed = dynamic ? INCLUDE_KEYS : IMPORT_KEYS;
            for (NodeTuple k : keywords.values()) {
                String kw = YamlFiles.keyName(k);
                if (!allowed.contains(kw)) {
                    errors.add(YamlFiles.source(file, k.getKeyNode()), "'" + kw + "' is not supported on " + what
                            + " (rig has " + String.join(", ", new java.util.TreeSet<>(allowed)) + " there)");
                }
            }
            String rel = includedFile(file, importTasks, what);
            if (rel == null) return List.of();
            Path target = file.getParent().resolve(rel).normalize();
            Source usedAt = YamlFiles.source(file, importTasks.getValueNode());
            if (chain.contains(target)) {
                List<String> loop = new ArrayList<>(chain.subList(chain.indexOf(target), chain.size()).stream().map(Path::toString).toList());
                loop.add(target.toString());
                errors.add(usedAt, "import loop: " + String.join(" -> ", loop));
                return List.of();
            }
            if (chain.size() >= MAX_IMPORT_DEPTH) {
                errors.add(usedAt, what + " nested deeper than " + MAX_IMPORT_DEPTH + " levels");
                return List.of();
            }
            Inherited up = scope.inherited();
            Map<String, Object> vars = new LinkedHashMap<>(up.vars());
            vars.putAll(map(file, keywords.get("vars")));
            String when = condition(file, keywords.get("when"));
            Source whenSrc = keywords.containsKey("when") ? textSource(file, keywords.get("when").getValueNode()) : null;
            Set<String> ownTags = tags(file, keywords.get("tags"));
            if (!dynamic) {
                // import_tasks is static: its keywords go to every task it reads, as a block's do.
                List<Task.Condition> conditions = new ArrayList<>(up.conditions());
                if (when != null) conditions.add(new Task.Condition(when, whenSrc));
                Set<String> tags = new LinkedHashSet<>(scope.tags());
                tags.addAll(ownTags);
                Inherited inherited = new Inherited(up.become(), up.becomeUser(), vars, up.ignoreErrors(), List.copyOf(conditions), up.environment(), up.flags());
                return taskFile(target, scope.with(tags, inherited), usedAt, chain);
            }
            // include_tasks: its when, loop and tags are its own; its vars are its tasks' too (Ansible inherits vars only).
            LoopSpec ls = loopSpec(file, keywords);
            if (ls.key() != null) checkTemplates(ls.loop(), textSource(file, ls.key().getValueNode()));
            Set<String> tags = new LinkedHashSet<>(scope.tags());
            tags.addAll(ownTags);
            Inherited inherited = new Inherited(up.become(), up.becomeUser(), vars, up.ignoreErrors(), up.conditions(), up.environment(), up.flags());
            Applied applied = apply(file, applyOf(importTasks), scope.tags(), inherited);
            List<Step> steps = taskFile(target, scope.with(applied.tags(), applied.inherited()), usedAt, chain);
            Map<String, Object> args = new LinkedHashMap<>(Map.of("file", rel));
            Task include = new Task(string(file, keywords.get("name")), src, "include_tasks", args, Map.of("file", usedAt), when, whenSrc,
                    ls.loop(), ls.label(), ls.loopVar(), null, List.of(), tags, null, null, null, null, false, false, vars, scope.role(),
                    scope.fileDirs(), scope.templateDirs(), List.of(), up.conditions(),
                    new Task.Control(Map.of(), null, 0, 0, null, ls.indexVar(), ls.pause(), ls.extended()), scope.roleVars());
            return List.of(new Include(include, steps));
        }
        if (moduleKeys.size() == 1 && moduleName(YamlFiles.keyName(moduleKeys.get(0))).equals("include_vars")) {
            return includeVars(file, src, moduleKeys.get(0), keywords, scope);
        }
        if (moduleKeys.size() == 1 && moduleName(YamlFiles.keyName(moduleKeys.get(0))).equals("meta")) {
            return meta(file, src, moduleKeys.get(0), keywords, scope);
        }
        if (moduleKeys.isEmpty()) {
            errors.add(src, "task names no module; expected exactly one of: " + String.join(", ", new java.util.TreeSet<>(modules.names())));
            return List.of();
        }
        if (moduleKeys.size() > 1) {
            String names = moduleKeys.stream().map(YamlFiles::keyName).collect(Collectors.joining(", "));
            boolean allModules = moduleKeys.stream().allMatch(t -> modules.find(moduleName(YamlFiles.keyName(t))).isPresent());
            NodeTuple blamed = allModules ? moduleKeys.get(1) : unknownOf(moduleKeys);
            errors.add(YamlFiles.source(file, blamed.getKeyNode()), allModules
                    ? "task names more than one module (" + names + "); a task has exactly one"
                    : "unknown keyword '" + YamlFiles.keyName(unknownOf(moduleKeys)) + "' in task; expected a module or one of: "
                    + String.join(", ", new java.util.TreeSet<>(TASK_KEYS)));
            return List.of();
        }
        NodeTuple mod = moduleKeys.get(0);
        String moduleName = moduleName(YamlFiles.keyName(mod));
        Source modSrc = YamlFiles.source(file, mod.getKeyNode());
        ModuleSpec spec = modules.find(moduleName).orElse(null);
        if (spec == null) {
            errors.add(modSrc, "unknown module '" + YamlFiles.keyName(mod) + "'; expected one of: "
                    + String.join(", ", new java.util.TreeSet<>(modules.names())));
            return List.of();
        }
        Map<String, Object> args = new LinkedHashMap<>();
        Map<String, Source> argSources = new LinkedHashMap<>();
        moduleArgs(file, spec, mod.getValueNode(), args, argSources);
        if (keywords.containsKey("args")) moduleArgs(file, spec, keywords.get("args").getValueNode(), args, argSources);
        checkArgsComplete(spec, args, modSrc);

        String name = string(file, keywords.get("name"));
        String when = condition(file, keywords.get("when"));
        Source whenSrc = keywords.containsKey("when") ? textSource(file, keywords.get("when").getValueNode()) : null;
        LoopSpec ls = loopSpec(file, keywords);
        Object loop = ls.loop();
        NodeTuple loopKey = ls.key();
        String label = ls.label();
        String loopVar = ls.loopVar();
        String indexVar = ls.indexVar();
        int pause = ls.pause();
        boolean extended = ls.extended();
        Map<String, Object> environment = new LinkedHashMap<>(scope.inherited().environment());
        environment.putAll(map(file, keywords.get("environment")));
        String until = condition(file, keywords.get("until"));
        Integer retries = integer(file, keywords.get("retries"));
        Integer delay = integer(file, keywords.get("delay"));
        if ((retries != null || delay != null) && until == null) {
            errors.add(YamlFiles.source(file, (retries != null ? keywords.get("retries") : keywords.get("delay")).getKeyNode()),
                    "'retries' and 'delay' need 'until' (rig repeats a task only until a condition holds)");
        }
        Boolean checkMode = bool(file, keywords.get("check_mode"));
        String register = string(file, keywords.get("register"));
        if (register != null && !register.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            errors.add(YamlFiles.source(file, keywords.get("register").getValueNode()), "expected a variable name for 'register', found '" + register + "'");
        }
        List<String> notify = stringList(file, keywords.get("notify"));
        Set<String> tags = new LinkedHashSet<>(scope.tags());
        tags.addAll(tags(file, keywords.get("tags")));
        Boolean become = bool(file, keywords.get("become"));
        String becomeUser = string(file, keywords.get("become_user"));
        String changedWhen = condition(file, keywords.get("changed_when"));
        String failedWhen = condition(file, keywords.get("failed_when"));
        Boolean ignore = bool(file, keywords.get("ignore_errors"));
        Boolean noLog = bool(file, keywords.get("no_log"));
        Map<String, Object> vars = map(file, keywords.get("vars"));
        List<String> listen = stringList(file, keywords.get("listen"));

        if (keywords.containsKey("name")) checkTemplates(name, textSource(file, keywords.get("name").getValueNode()));
        for (Map.Entry<String, Object> a : args.entrySet()) checkTemplates(a.getValue(), argSources.get(a.getKey()));
        if (keywords.containsKey("vars") && keywords.get("vars").getValueNode() instanceof MappingNode vm) {
            for (NodeTuple v : vm.getValue()) {
                if (holdsVault(v.getValueNode())) continue; // a vault value is data, not a template (Ansible does not render it)
                checkTemplates(YamlFiles.value(v.getValueNode()), textSource(file, v.getValueNode()));
            }
        }
        if (loopKey != null) checkTemplates(loop, textSource(file, loopKey.getValueNode()));
        checkLocalFiles(spec, args, argSources, scope);

        Inherited up = scope.inherited();
        Map<String, Object> allVars = vars;
        if (!up.vars().isEmpty()) {
            allVars = new LinkedHashMap<>(up.vars());
            allVars.putAll(vars);
        }
        return List.of(new Task(name, src, moduleName, args, argSources, when, whenSrc, loop, label, loopVar, register,
                notify, tags, become != null ? become : up.become(), becomeUser != null ? becomeUser : up.becomeUser(),
                changedWhen, failedWhen, Boolean.TRUE.equals(ignore != null ? ignore : up.ignoreErrors()),
                Boolean.TRUE.equals(noLog), allVars, scope.role(), scope.fileDirs(), scope.templateDirs(), listen, up.conditions(),
                new Task.Control(environment, until, retries == null ? 3 : retries, delay == null ? 5 : delay, checkMode, indexVar, pause, extended,
                        delegateTo(file, keywords.get("delegate_to")), throttle(file, keywords.get("throttle")),
                        up.flags().over(this, file, keywords, false).lockstep()),
                scope.roleVars()));
    }

    /** A task's loop (loop, with_items or with_dict) and its loop_control. */
    private record LoopSpec(NodeTuple key, Object loop, String label, String loopVar, String indexVar, int pause, boolean extended) {}

    private LoopSpec loopSpec(Path file, Map<String, NodeTuple> keywords) {
        Object loop = null;
        NodeTuple loopKey = keywords.containsKey("loop") ? keywords.get("loop")
                : keywords.containsKey("with_items") ? keywords.get("with_items") : keywords.get("with_dict");
        if (loopKey != null) {
            loop = YamlFiles.value(loopKey.getValueNode());
            if (!(loop instanceof List<?>) && !(loop instanceof Map<?, ?>) && !(loop instanceof String s && Templates.isTemplated(s))) {
                errors.add(YamlFiles.source(file, loopKey.getValueNode()), "expected 'loop' to be a list, a map or a ${...} expression, found " + describe(loop));
            }
        }
        String label = null;
        String loopVar = "item";
        String indexVar = null;
        int pause = 0;
        boolean extended = false;
        if (keywords.containsKey("loop_control")) {
            Map<String, NodeTuple> lc = keyed(file, mapNode(file, keywords.get("loop_control")), LOOP_CONTROL_KEYS, "loop_control");
            label = string(file, lc.get("label"));
            if (label != null) checkTemplates(label, textSource(file, lc.get("label").getValueNode()));
            String lv = string(file, lc.get("loop_var"));
            if (lv != null) loopVar = lv;
            indexVar = string(file, lc.get("index_var"));
            Integer p = integer(file, lc.get("pause"));
            if (p != null) pause = p;
            extended = Boolean.TRUE.equals(bool(file, lc.get("extended")));
        }
        return new LoopSpec(loopKey, loop, label, loopVar, indexVar, pause, extended);
    }

    /** The keywords rig has on import_tasks (they apply to every imported task) and on include_tasks (they are the include's). */
    static final Set<String> IMPORT_KEYS = Set.of("name", "tags", "when", "vars");
    static final Set<String> INCLUDE_KEYS = Set.of("name", "tags", "when", "vars", "loop", "with_items", "with_dict", "loop_control");

    static final Set<String> ROLE_TASK_ARGS = Set.of("name", "role", "tasks_from", "defaults_from", "vars_from", "handlers_from",
            "allow_duplicates", "public", "apply");

    /**
     * import_role (static: its when, tags and vars go to every task of the role, and the role's
     * defaults and vars are the play's, as Ansible exports them at parse time) and include_role
     * (dynamic: its when, loop and tags are its own, its vars reach the role's tasks, and the role's
     * variables are its tasks' only, Ansible's {@code public: false}). Both run the role even if it
     * ran already (Ansible's allow_duplicates, true for them); its handlers join the play's.
     */
    private List<Step> roleTask(Path file, Source src, NodeTuple roleTask, Map<String, NodeTuple> keywords, TaskScope scope) {
        boolean dynamic = moduleName(YamlFiles.keyName(roleTask)).equals("include_role");
        String what = dynamic ? "include_role" : "import_role";
        Set<String> allowed = dynamic ? INCLUDE_KEYS : IMPORT_KEYS;
        for (NodeTuple k : keywords.values()) {
            String kw = YamlFiles.keyName(k);
            if (!allowed.contains(kw)) {
                errors.add(YamlFiles.source(file, k.getKeyNode()), "'" + kw + "' is not supported on " + what
                        + " (rig has " + String.join(", ", new java.util.TreeSet<>(allowed)) + " there)");
            }
        }
        Map<String, NodeTuple> args = keyed(file, mapNode(file, roleTask), ROLE_TASK_ARGS, what);
        String roleName = string(file, args.containsKey("name") ? args.get("name") : args.get("role"));
        if (roleName == null) {
            errors.add(YamlFiles.source(file, roleTask.getKeyNode()), what + " needs 'name' (the role)");
            return List.of();
        }
        Map<String, String> from = new LinkedHashMap<>();
        for (String a : List.of("tasks_from", "defaults_from", "vars_from", "handlers_from")) {
            String f = string(file, args.get(a));
            if (f != null && Templates.isTemplated(f)) {
                errors.add(YamlFiles.source(file, args.get(a).getValueNode()), a + " of a templated file name is not supported: rig reads every file at load");
            } else if (f != null) {
                from.put(a, f);
            }
        }
        Source at = YamlFiles.source(file, roleTask.getValueNode());
        if (!dynamic && args.containsKey("apply")) {
            errors.add(YamlFiles.source(file, args.get("apply").getKeyNode()), "'apply' is an include_role argument; import_role's keywords"
                    + " apply to the role's tasks already");
        }
        if (args.containsKey("allow_duplicates") && !Boolean.TRUE.equals(bool(file, args.get("allow_duplicates")))) {
            errors.add(YamlFiles.source(file, args.get("allow_duplicates").getKeyNode()), "'allow_duplicates: false' on " + what
                    + " is not supported: rig runs the role each time it is imported or included");
        }
        if (args.containsKey("public") && (!dynamic || !Boolean.FALSE.equals(bool(file, args.get("public"))))) {
            errors.add(YamlFiles.source(file, args.get("public").getKeyNode()), dynamic
                    ? "'public: true' on include_role is not supported: the role's variables stay its tasks' own"
                    : "'public' is an include_role argument; import_role's variables are the play's anyway");
        }
        Inherited up = scope.inherited();
        Map<String, Object> ownVars = map(file, keywords.get("vars"));
        Map<String, Object> vars = new LinkedHashMap<>(up.vars());
        vars.putAll(ownVars);
        String when = condition(file, keywords.get("when"));
        Source whenSrc = keywords.containsKey("when") ? textSource(file, keywords.get("when").getValueNode()) : null;
        Set<String> ownTags = tags(file, keywords.get("tags"));
        List<Step> steps = new ArrayList<>();
        if (!dynamic) {
            List<Task.Condition> conditions = new ArrayList<>(up.conditions());
            if (when != null) conditions.add(new Task.Condition(when, whenSrc));
            Set<String> tags = new LinkedHashSet<>(scope.tags());
            tags.addAll(ownTags);
            Inherited inherited = new Inherited(up.become(), up.becomeUser(), vars, up.ignoreErrors(), List.copyOf(conditions), up.environment(), up.flags());
            Task.RoleVars exported = roleCall(playDir, at, new RoleCall(roleName, ownVars, tags, from, inherited, true), steps, playHandlers,
                    playRolesRun, new ArrayList<>(), scope.roleVars());
            if (exported != null) {
                playRoleDefaults.putAll(exported.defaults());
                playRoleVars.putAll(exported.vars());
            }
            return steps;
        }
        LoopSpec ls = loopSpec(file, keywords);
        if (ls.key() != null) checkTemplates(ls.loop(), textSource(file, ls.key().getValueNode()));
        Inherited inherited = new Inherited(up.become(), up.becomeUser(), vars, up.ignoreErrors(), up.conditions(), up.environment(), up.flags());
        Applied applied = apply(file, args.get("apply"), scope.tags(), inherited);
        roleCall(playDir, at, new RoleCall(roleName, ownVars, applied.tags(), from, applied.inherited(), true), steps, playHandlers, playRolesRun,
                new ArrayList<>(), scope.roleVars());
        Set<String> tags = new LinkedHashSet<>(scope.tags());
        tags.addAll(ownTags);
        Task include = new Task(string(file, keywords.get("name")), src, "include_role", new LinkedHashMap<>(Map.of("file", roleName)),
                Map.of("file", at), when, whenSrc, ls.loop(), ls.label(), ls.loopVar(), null, List.of(), tags, null, null, null, null, false,
                false, vars, scope.role(), scope.fileDirs(), scope.templateDirs(), List.of(), up.conditions(),
                new Task.Control(Map.of(), null, 0, 0, null, ls.indexVar(), ls.pause(), ls.extended()), scope.roleVars());
        return List.of(new Include(include, steps));
    }

    /** The keywords an include's {@code apply} gives its tasks (Ansible wraps them in a block of these). */
    static final Set<String> APPLY_KEYS = Set.of("tags", "when", "become", "become_user", "vars", "ignore_errors", "environment");

    private record Applied(Set<String> tags, Inherited inherited) {}

    private static NodeTuple applyOf(NodeTuple include) {
        if (!(include.getValueNode() instanceof MappingNode m)) return null;
        return m.getValue().stream().filter(t -> YamlFiles.keyName(t).equals("apply")).findFirst().orElse(null);
    }

    /** Ansible's {@code apply} on include_tasks and include_role: its keywords pass down to the included tasks, as a block's do. */
    private Applied apply(Path file, NodeTuple apply, Set<String> tags, Inherited up) {
        if (apply == null) return new Applied(tags, up);
        Map<String, NodeTuple> keys = keyed(file, mapNode(file, apply), APPLY_KEYS, "apply", AnsibleKeywords.BLOCK);
        Set<String> t = new LinkedHashSet<>(tags);
        t.addAll(tags(file, keys.get("tags")));
        return new Applied(t, passedDown(file, keys, up));
    }

    /** What a block (or an include's apply) passes down to its tasks: its keywords over those it inherited. */
    private Inherited passedDown(Path file, Map<String, NodeTuple> keys, Inherited up) {
        List<Task.Condition> conditions = new ArrayList<>(up.conditions());
        String when = condition(file, keys.get("when"));
        if (when != null) conditions.add(new Task.Condition(when, textSource(file, keys.get("when").getValueNode())));
        Boolean become = bool(file, keys.get("become"));
        String becomeUser = string(file, keys.get("become_user"));
        Boolean ignore = bool(file, keys.get("ignore_errors"));
        Map<String, Object> vars = new LinkedHashMap<>(up.vars());
        vars.putAll(map(file, keys.get("vars")));
        Map<String, Object> env = new LinkedHashMap<>(up.environment());
        env.putAll(map(file, keys.get("environment")));
        return new Inherited(become != null ? become : up.become(), becomeUser != null ? becomeUser : up.becomeUser(), vars,
                ignore != null ? ignore : up.ignoreErrors(), List.copyOf(conditions), env, up.flags().over(this, file, keys, false));
    }

    /** The file of an import_tasks or include_tasks: a plain name, or {@code file:} in a map; rig reads it at load, so it cannot be templated. */
    private String includedFile(Path file, NodeTuple t, String what) {
        String rel;
        if (t.getValueNode() instanceof MappingNode m) {
            Map<String, NodeTuple> keys = keyed(file, m, what.equals("include_tasks") ? Set.of("file", "apply") : Set.of("file"), what);
            if (!keys.containsKey("file")) {
                errors.add(YamlFiles.source(file, m), what + " needs 'file' (the task file to read)");
                return null;
            }
            rel = string(file, keys.get("file"));
        } else {
            rel = string(file, t);
        }
        if (rel != null && Templates.isTemplated(rel)) {
            errors.add(textSource(file, t.getValueNode()), what + " of a templated file name ('" + rel + "') is not supported: rig reads"
                    + " and checks every task file before it contacts a host; name the file, and use when to choose");
            return null;
        }
        return rel;
    }

    static final Set<String> INCLUDE_VARS_KEYS = Set.of("name", "when", "tags", "no_log");

    /**
     * include_vars: rig reads (and opens, when vault-encrypted) the file at load, and the task puts
     * its variables on the host at run time when its when holds, at Ansible's include_vars
     * precedence (above task vars, below set_fact). Where Ansible looks: the role's vars/, the
     * including file's directory, the playbook's vars/ and directory. {@code name} puts them under one variable.
     */
    private List<Step> includeVars(Path file, Source src, NodeTuple mod, Map<String, NodeTuple> keywords, TaskScope scope) {
        for (NodeTuple k : keywords.values()) {
            String kw = YamlFiles.keyName(k);
            if (!INCLUDE_VARS_KEYS.contains(kw)) {
                errors.add(YamlFiles.source(file, k.getKeyNode()), "'" + kw + "' is not supported on include_vars (rig has "
                        + String.join(", ", new java.util.TreeSet<>(INCLUDE_VARS_KEYS)) + " there)");
            }
        }
        String rel;
        String name = null;
        if (mod.getValueNode() instanceof MappingNode m) {
            Map<String, NodeTuple> a = keyed(file, m, Set.of("file", "name"), "include_vars");
            rel = string(file, a.get("file"));
            name = string(file, a.get("name"));
            if (rel == null) errors.add(YamlFiles.source(file, m), "include_vars needs 'file' (rig reads one file; dir is not supported)");
        } else {
            rel = string(file, mod);
        }
        if (rel == null) return List.of();
        Source at = textSource(file, mod.getValueNode());
        if (Templates.isTemplated(rel)) {
            errors.add(at, "include_vars of a templated file name ('" + rel + "') is not supported: rig reads every file at load;"
                    + " name the file, and use when to choose");
            return List.of();
        }
        List<Path> dirs = new ArrayList<>();
        if (scope.role() != null) dirs.add(playDir.resolve("roles").resolve(scope.role()).resolve("vars"));
        dirs.add(file.getParent());
        if (scope.role() != null) dirs.add(playDir.resolve("roles").resolve(scope.role()));
        dirs.add(playDir.resolve("vars"));
        dirs.add(playDir);
        Path found = null;
        for (Path d : dirs) {
            Path c = d.resolve(rel).normalize();
            if (Files.isRegularFile(c)) {
                found = c;
                break;
            }
        }
        if (found == null) {
            errors.add(at, "include_vars file '" + rel + "' not found; looked in " + dirs);
            return List.of();
        }
        Map<String, Object> values = varsFile(found, at);
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("file", rel);
        args.put("values", values);
        if (name != null) args.put("name", name);
        String when = condition(file, keywords.get("when"));
        Source whenSrc = keywords.containsKey("when") ? textSource(file, keywords.get("when").getValueNode()) : null;
        Set<String> tags = new LinkedHashSet<>(scope.tags());
        tags.addAll(tags(file, keywords.get("tags")));
        Inherited up = scope.inherited();
        return List.of(new Task(string(file, keywords.get("name")), src, "include_vars", args, Map.of("file", at), when, whenSrc, null, null,
                "item", null, List.of(), tags, null, null, null, null, false, Boolean.TRUE.equals(bool(file, keywords.get("no_log"))),
                new LinkedHashMap<>(up.vars()), scope.role(), scope.fileDirs(), scope.templateDirs(), List.of(), up.conditions(),
                new Task.Control(Map.of(), null, 0, 0, null, null, 0, false), scope.roleVars()));
    }

    /** The meta actions rig has; Ansible's others (clear_facts, refresh_inventory, reset_connection, ...) are refused. */
    static final Set<String> META_ACTIONS = Set.of("flush_handlers", "end_play", "end_host", "noop");

    /** {@code meta: ACTION}: a step of the walk itself, with at most name, when and tags (as Ansible allows). */
    private List<Step> meta(Path file, Source src, NodeTuple mod, Map<String, NodeTuple> keywords, TaskScope scope) {
        String action = string(file, mod);
        Source at = YamlFiles.source(file, mod.getValueNode());
        if (action == null || !META_ACTIONS.contains(action)) {
            errors.add(at, "meta '" + action + "' is not one rig has; expected one of: " + String.join(", ", new java.util.TreeSet<>(META_ACTIONS)));
            return List.of();
        }
        for (NodeTuple k : keywords.values()) {
            String kw = YamlFiles.keyName(k);
            if (!Set.of("name", "when", "tags").contains(kw)) {
                errors.add(YamlFiles.source(file, k.getKeyNode()), "'" + kw + "' is not supported on meta (name, when and tags are)");
            }
        }
        if (action.equals("end_play") && (keywords.containsKey("when") || !scope.inherited().conditions().isEmpty())) {
            errors.add(at, "meta end_play under a 'when' ends the play for every host in Ansible, which rig's independent hosts"
                    + " cannot do; use end_host");
            return List.of();
        }
        String when = condition(file, keywords.get("when"));
        Source whenSrc = keywords.containsKey("when") ? textSource(file, keywords.get("when").getValueNode()) : null;
        Set<String> tags = new LinkedHashSet<>(scope.tags());
        tags.addAll(tags(file, keywords.get("tags")));
        Map<String, Object> args = new LinkedHashMap<>(Map.of("action", action));
        return List.of(new Task(string(file, keywords.get("name")), src, "meta", args, Map.of("action", at), when, whenSrc, null, null,
                "item", null, List.of(), tags, null, null, null, null, false, false, new LinkedHashMap<>(scope.inherited().vars()),
                scope.role(), scope.fileDirs(), scope.templateDirs(), List.of(), scope.inherited().conditions(),
                new Task.Control(Map.of(), null, 0, 0, null, null, 0, false), scope.roleVars()));
    }

    private NodeTuple unknownOf(List<NodeTuple> moduleKeys) {
        for (NodeTuple t : moduleKeys) {
            if (modules.find(moduleName(YamlFiles.keyName(t))).isEmpty()) return t;
        }
        return moduleKeys.get(1);
    }

    /** Ansible's fully qualified names map to rig's modules, so existing playbooks read as they are. */
    static String moduleName(String key) {
        for (String prefix : List.of("ansible.builtin.", "ansible.legacy.")) {
            if (key.startsWith(prefix)) return key.substring(prefix.length());
        }
        return COLLECTION_MODULES.getOrDefault(key, key);
    }

    /** The modules rig implements that Ansible ships in collections rather than in ansible.builtin. */
    private static final Map<String, String> COLLECTION_MODULES = Map.of("ansible.posix.sysctl", "sysctl",
            "ansible.posix.authorized_key", "authorized_key", "community.general.timezone", "timezone");

    private void moduleArgs(Path file, ModuleSpec spec, Node node, Map<String, Object> args, Map<String, Source> sources) {
        Source src = YamlFiles.source(file, node);
        if (node instanceof ScalarNode s) {
            Object v = YamlFiles.value(s);
            if (v == null) return;
            // As Ansible's parse_kv: key=value words are arguments; command/shell keep all but their own options as the command.
            FreeFormArgs.Parsed parsed = FreeFormArgs.parse(String.valueOf(v), spec.freeFormArg() != null);
            Source textSrc = textSource(file, node);
            if (parsed.raw() != null) {
                if (spec.freeFormArg() == null) {
                    errors.add(src, "module '" + spec.name() + "' takes key=value arguments or a map, not free text: '" + parsed.raw() + "'");
                    return;
                }
                args.put(spec.freeFormArg(), parsed.raw());
                sources.put(spec.freeFormArg(), textSrc);
            }
            Map<String, ArgSpec> known = new LinkedHashMap<>();
            spec.args().forEach(a -> known.put(a.name(), a));
            for (Map.Entry<String, String> o : parsed.options().entrySet()) {
                ArgSpec a = known.get(o.getKey());
                if (a == null && spec.acceptsAnyArgs()) a = ArgSpec.optional(o.getKey(), ArgSpec.ArgType.ANY);
                if (a == null) {
                    errors.add(textSrc, "unknown argument '" + o.getKey() + "' for module '" + spec.name() + "' (written "
                            + o.getKey() + "=...); " + refusal(spec, o.getKey()) + "expected one of: " + String.join(", ", known.keySet()));
                    continue;
                }
                String typeError = typeError(a, o.getValue());
                if (typeError != null) errors.add(textSrc, "argument '" + o.getKey() + "' of module '" + spec.name() + "': " + typeError);
                args.put(o.getKey(), o.getValue());
                sources.put(o.getKey(), textSrc);
            }
            return;
        }
        if (!(node instanceof MappingNode map)) {
            errors.add(src, "expected a map of arguments for module '" + spec.name() + "', found " + YamlFiles.kind(node));
            return;
        }
        Map<String, ArgSpec> byName = new LinkedHashMap<>();
        spec.args().forEach(a -> byName.put(a.name(), a));
        Map<String, ArgSpec> byAlias = new LinkedHashMap<>();
        spec.args().forEach(a -> a.aliases().forEach(alias -> byAlias.put(alias, a)));
        Map<String, String> givenAs = new LinkedHashMap<>();
        for (NodeTuple t : map.getValue()) {
            String given = YamlFiles.keyName(t);
            Source ks = YamlFiles.source(file, t.getKeyNode());
            ArgSpec a = byName.containsKey(given) ? byName.get(given) : byAlias.get(given);
            String k = a == null ? given : a.name();
            if (a != null && givenAs.containsKey(k) && !givenAs.get(k).equals(given)) {
                errors.add(ks, "argument '" + given + "' of module '" + spec.name() + "' is the same as '" + givenAs.get(k) + "'; give only one");
                continue;
            }
            givenAs.put(k, given);
            if (a == null && spec.acceptsAnyArgs()) a = ArgSpec.optional(k, ArgSpec.ArgType.ANY);
            if (a == null) {
                errors.add(ks, "unknown argument '" + k + "' for module '" + spec.name() + "'; " + refusal(spec, k) + "expected one of: "
                        + String.join(", ", byName.keySet()));
                continue;
            }
            Object v = value(file, t.getValueNode());
            Source vs = YamlFiles.source(file, t.getValueNode());
            String typeError = typeError(a, v);
            if (typeError == null && a.type() == ArgSpec.ArgType.MODE && t.getValueNode() instanceof ScalarNode sn
                    && sn.isPlain() && sn.getValue().matches("[1-7][0-7]{2,3}")) {
                // YAML reads 644 as the decimal number 644 (octal 1204), never what was meant.
                typeError = sn.getValue() + " is read by YAML as a decimal number; write an octal mode as '0" + sn.getValue()
                        + "' (quoted) or 0" + sn.getValue();
            }
            if (typeError != null) errors.add(vs, "argument '" + k + "' of module '" + spec.name() + "': " + typeError);
            args.put(k, v);
            sources.put(k, textSource(file, t.getValueNode()));
        }
    }

    /** Checks required arguments and cross-argument rules after all argument sources are merged. */
    private void checkArgsComplete(ModuleSpec spec, Map<String, Object> args, Source src) {
        for (ArgSpec a : spec.args()) {
            if (a.required() && !args.containsKey(a.name())) {
                errors.add(src, "module '" + spec.name() + "' requires argument '" + a.name() + "'");
            }
        }
        for (String problem : spec.crossCheck(args)) errors.add(src, "module '" + spec.name() + "': " + problem);
    }

    static String typeError(ArgSpec a, Object v) {
        if (v instanceof String s && Templates.isTemplated(s)) return null; // known only per host
        if (v == null) return a.required() ? "expected a value, found null" : null;
        switch (a.type()) {
            case STRING, LOCAL_FILE, LOCAL_TEMPLATE -> {
                if (v instanceof Map<?, ?> || v instanceof List<?>) return "expected a string, found " + describe(v);
                if (!a.choices().isEmpty() && !a.choices().contains(String.valueOf(v))) {
                    return "expected one of " + String.join(", ", a.choices()) + ", found '" + v + "'";
                }
            }
            case BOOL -> {
                if (!(v instanceof Boolean) && !(v instanceof String s && s.toLowerCase().matches("true|false|yes|no"))) {
                    return "expected a boolean (true or false), found " + describe(v);
                }
            }
            case INT -> {
                if (!(v instanceof Integer || v instanceof Long) && !(v instanceof String s && s.matches("-?\\d+"))) {
                    return "expected an integer, found " + describe(v);
                }
            }
            case LIST -> {
                if (!(v instanceof List<?>) && !(v instanceof String)) return "expected a list, found " + describe(v);
            }
            case MAP -> {
                if (!(v instanceof Map<?, ?>)) return "expected a map, found " + describe(v);
            }
            case MODE -> {
                if (v instanceof String s && !s.matches("0?[0-7]{3,4}")) {
                    return "expected an octal mode such as '0644', found '" + s + "'";
                }
                if (!(v instanceof String) && !(v instanceof Integer)) return "expected an octal mode such as '0644', found " + describe(v);
            }
            case ANY -> { }
        }
        return null;
    }

    private static String refusal(ModuleSpec spec, String argument) {
        String why = spec.refusedArgument(argument);
        return why == null ? "" : why + "; ";
    }

        private void checkLocalFiles(ModuleSpec spec, Map<String, Object> args, Map<String, Source> sources, TaskScope scope) {
        for (ArgSpec a : spec.args()) {
            Object v = args.get(a.name());
            if (!(v instanceof String s) || Templates.isTemplated(s)) continue;
            if (a.type() == ArgSpec.ArgType.LOCAL_FILE) {
                // copy's remote_src: src is a path on the host, not one of ours (a templated remote_src may be either).
                if (args.containsKey("remote_src") && !String.valueOf(args.get("remote_src")).matches("(?i)false|no")) continue;
                if (LocalFiles.find(s, scope.fileDirs()).isEmpty()) {
                    errors.add(sources.get(a.name()), "file '" + s + "' not found; looked in " + LocalFiles.describe(s, scope.fileDirs()));
                }
            } else if (a.type() == ArgSpec.ArgType.LOCAL_TEMPLATE) {
                var found = LocalFiles.find(s, scope.templateDirs());
                if (found.isEmpty()) {
                    errors.add(sources.get(a.name()), "template '" + s + "' not found; looked in " + LocalFiles.describe(s, scope.templateDirs()));
                } else {
                    Path f = found.get();
                    if (Files.isRegularFile(f)) {
                        filesRead.add(f);
                        String text = Templates.read(f);
                        if (HostFacts.USE.matcher(text).find()) factSeenInTemplates = true;
                        errors.addAll(templates.checkSyntax(text, new Source(f.toString(), 1, 1)));
                    }
                }
            }
        }
    }

    private void checkTemplates(Object value, Source src) {
        if (value instanceof String s && Templates.isTemplated(s)) {
            errors.addAll(inBlock(templates.checkSyntax(s, src), src));
        } else if (value instanceof Map<?, ?> m) {
            for (Object v : m.values()) checkTemplates(v, src);
        } else if (value instanceof List<?> l) {
            for (Object v : l) checkTemplates(v, src);
        }
    }

    private void checkNotify(List<Task> tasks, List<Task> handlers) {
        Set<String> targets = new LinkedHashSet<>();
        for (Task h : handlers) {
            if (h.name() != null) targets.add(h.name());
            targets.addAll(h.listen());
        }
        for (Task t : tasks) {
            for (String n : t.notifies()) {
                if (!targets.contains(n) && !Templates.isTemplated(n)) {
                    errors.add(t.source(), "notify names no handler: '" + n + "'"
                            + (targets.isEmpty() ? " (the play has no handlers)" : "; handlers are: " + String.join(", ", targets)));
                }
            }
        }
    }

    // ---- positions ----

    /**
     * Where the text of a scalar begins, for positions inside it: after the opening quote of a
     * quoted scalar, on the first content line of a block scalar ({@code |} or {@code >}).
     */
    private Source textSource(Path file, Node n) {
        Source s = YamlFiles.source(file, n);
        if (!(n instanceof ScalarNode sc) || s.line() < 1) return s;
        switch (sc.getScalarStyle()) {
            case DOUBLE_QUOTED, SINGLE_QUOTED -> {
                return new Source(s.file(), s.line(), s.column() + 1);
            }
            case LITERAL, FOLDED -> {
                int indent = blockIndent(file, s.line());
                if (indent < 0) return s;
                Source first = new Source(s.file(), s.line() + 1, indent + 1);
                if (sc.getScalarStyle() == org.yaml.snakeyaml.DumperOptions.ScalarStyle.LITERAL) blockIndents.put(first, indent);
                return first;
            }
            default -> {
                return s;
            }
        }
    }

    /** The indentation of the first non-blank line after line {@code indicatorLine} (1-based), or -1. */
    private int blockIndent(Path file, int indicatorLine) {
        List<String> lines = fileLines.computeIfAbsent(file, f -> {
            try {
                return Files.readAllLines(f);
            } catch (java.io.IOException | java.io.UncheckedIOException e) {
                return List.of();
            }
        });
        for (int i = indicatorLine; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.isBlank()) continue;
            int n = 0;
            while (n < l.length() && l.charAt(n) == ' ') n++;
            return n;
        }
        return -1;
    }

    /** Errors on later lines of a literal block scalar: their columns are within the line's text, after its indentation. */
    private List<dev.rig.core.InputError> inBlock(List<dev.rig.core.InputError> found, Source src) {
        Integer indent = blockIndents.get(src);
        if (indent == null || found.isEmpty()) return found;
        return found.stream().map(e -> e.source().line() > src.line()
                ? new dev.rig.core.InputError(new Source(e.source().file(), e.source().line(), e.source().column() + indent), e.message())
                : e).toList();
    }

    /** A map with the same key twice keeps only the last in YAML: almost always a mistake, so an error. */
    private void checkDuplicateKeys(Path file, Node root) {
        checkDuplicateKeys(file, root, java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));
    }

    private void checkDuplicateKeys(Path file, Node node, Set<Node> seen) {
        if (!seen.add(node)) return; // an alias: already checked
        if (node instanceof MappingNode m) {
            Map<String, Node> keys = new java.util.HashMap<>();
            for (NodeTuple t : m.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k && !k.getValue().equals("<<")) {
                    Node first = keys.putIfAbsent(k.getValue(), k);
                    if (first != null) {
                        errors.add(YamlFiles.source(file, k), "duplicate key '" + k.getValue() + "' (first at line "
                                + (first.getStartMark().getLine() + 1) + ")");
                    }
                }
                checkDuplicateKeys(file, t.getValueNode(), seen);
            }
        } else if (node instanceof SequenceNode sq) {
            for (Node n : sq.getValue()) checkDuplicateKeys(file, n, seen);
        }
    }

    // ---- small typed readers, each adding a positioned error on a wrong type ----

    private Map<String, NodeTuple> keyed(Path file, MappingNode map, Set<String> allowed, String what) {
        return keyed(file, map, allowed, what, Set.of());
    }

    /** {@code ansible}: keywords Ansible defines here; one rig does not implement is refused as such (or ignored when meaningless). */
    private Map<String, NodeTuple> keyed(Path file, MappingNode map, Set<String> allowed, String what, Set<String> ansible) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        if (map == null) return out;
        for (NodeTuple t : map.getValue()) {
            String k = YamlFiles.keyName(t);
            if (!allowed.contains(k) && AnsibleKeywords.MEANINGLESS.contains(k) && ansible.contains(k)) continue;
            if (!allowed.contains(k) && ansible.contains(k)) {
                errors.add(YamlFiles.source(file, t.getKeyNode()), AnsibleKeywords.refusal(k, what));
            } else if (!allowed.contains(k)) {
                errors.add(YamlFiles.source(file, t.getKeyNode()), "unknown keyword '" + k + "' in " + what + "; expected one of: "
                        + String.join(", ", new java.util.TreeSet<>(allowed)));
            } else {
                out.put(k, t);
            }
        }
        return out;
    }

    private MappingNode mapNode(Path file, NodeTuple t) {
        if (t == null) return null;
        if (t.getValueNode() instanceof MappingNode m) return m;
        errors.add(YamlFiles.source(file, t.getValueNode()), "expected a map for '" + YamlFiles.keyName(t) + "', found " + YamlFiles.kind(t.getValueNode()));
        return null;
    }

    private String string(Path file, NodeTuple t) {
        if (t == null) return null;
        Node n = t.getValueNode();
        if (n instanceof ScalarNode) {
            Object v = YamlFiles.value(n);
            return v == null ? null : String.valueOf(v);
        }
        errors.add(YamlFiles.source(file, n), "expected a string for '" + YamlFiles.keyName(t) + "', found " + YamlFiles.kind(n));
        return null;
    }

    /** A when/changed_when/failed_when: a bare FreeMarker expression (or a list of them, all must hold). */
    private String condition(Path file, NodeTuple t) {
        if (t == null) return null;
        Node n = t.getValueNode();
        Object v = YamlFiles.value(n);
        Source src = textSource(file, n);
        String expr;
        if (v instanceof Boolean b) expr = b.toString();
        else if (v instanceof String s) expr = s;
        else if (v instanceof List<?> l && !l.isEmpty()) expr = l.stream().map(x -> "(" + x + ")").collect(Collectors.joining(" && "));
        else {
            errors.add(src, "expected a FreeMarker boolean expression for '" + YamlFiles.keyName(t) + "', found " + YamlFiles.kind(n));
            return null;
        }
        if (expr.strip().startsWith("${")) {
            errors.add(YamlFiles.source(file, n), "'" + YamlFiles.keyName(t) + "' is a bare expression: write it without ${...}");
            return null;
        }
        errors.addAll(inBlock(templates.checkExpression(expr, src), src));
        return expr;
    }

    private Boolean bool(Path file, NodeTuple t) {
        if (t == null) return null;
        Object v = YamlFiles.value(t.getValueNode());
        if (v instanceof Boolean b) return b;
        errors.add(YamlFiles.source(file, t.getValueNode()), "expected a boolean (true or false) for '" + YamlFiles.keyName(t) + "', found " + YamlFiles.kind(t.getValueNode()));
        return null;
    }

    private Integer integer(Path file, NodeTuple t) {
        if (t == null) return null;
        Object v = YamlFiles.value(t.getValueNode());
        if (v instanceof Integer i) return i;
        errors.add(YamlFiles.source(file, t.getValueNode()), "expected an integer for '" + YamlFiles.keyName(t) + "', found " + YamlFiles.kind(t.getValueNode()));
        return null;
    }

    private Object serial(Path file, NodeTuple t) {
        if (t == null) return null;
        Object v = YamlFiles.value(t.getValueNode());
        if (v instanceof Integer i && i > 0) return i;
        if (v instanceof String s && s.matches("\\d{1,3}%")) return s;
        errors.add(YamlFiles.source(file, t.getValueNode()), "expected 'serial' to be a positive integer or a percentage such as '30%', found " + describe(v));
        return null;
    }

    private Map<String, Object> map(Path file, NodeTuple t) {
        if (t == null) return new LinkedHashMap<>();
        Object v;
        if (holdsVault(t.getValueNode())) {
            // vars: with inline !vault values, as Ansible opens them in a play, block or task; their names are secrets
            VaultYaml.rememberNames(t.getValueNode(), vault);
            v = value(file, t.getValueNode());
            if (v == null) return new LinkedHashMap<>();
        } else {
            v = YamlFiles.value(t.getValueNode());
        }
        if (v == null) return new LinkedHashMap<>();
        if (v instanceof Map<?, ?> m) return stringKeys(m);
        errors.add(YamlFiles.source(file, t.getValueNode()), "expected a map for '" + YamlFiles.keyName(t) + "', found " + YamlFiles.kind(t.getValueNode()));
        return new LinkedHashMap<>();
    }

    /** A node's value, inline !vault values in it opened (their plaintext a secret); null, with an error, when one does not open. */
    private Object value(Path file, Node n) {
        if (!holdsVault(n)) return YamlFiles.value(n);
        try {
            return new VaultYaml.Constructor(new org.yaml.snakeyaml.LoaderOptions(), vault).construct(n);
        } catch (org.yaml.snakeyaml.error.MarkedYAMLException e) {
            org.yaml.snakeyaml.error.Mark m = e.getProblemMark();
            errors.add(m == null ? YamlFiles.source(file, n) : Source.of(file, m.getLine() + 1, m.getColumn() + 1), e.getProblem());
            return null;
        }
    }

    private static boolean holdsVault(Node n) {
        if (VaultYaml.VAULT_TAG.equals(n.getTag())) return true;
        if (n instanceof MappingNode m) return m.getValue().stream().anyMatch(e -> holdsVault(e.getValueNode()));
        if (n instanceof SequenceNode q) return q.getValue().stream().anyMatch(PlaybookLoader::holdsVault);
        return false;
    }

    private List<String> stringList(Path file, NodeTuple t) {
        if (t == null) return List.of();
        Object v = YamlFiles.value(t.getValueNode());
        if (v instanceof String s) return List.of(s);
        if (v instanceof List<?> l && l.stream().allMatch(x -> x instanceof String)) return l.stream().map(String::valueOf).toList();
        errors.add(YamlFiles.source(file, t.getValueNode()), "expected a string or a list of strings for '" + YamlFiles.keyName(t) + "', found " + YamlFiles.kind(t.getValueNode()));
        return List.of();
    }

    private Set<String> tags(Path file, NodeTuple t) {
        return new LinkedHashSet<>(stringList(file, t));
    }

    private List<Map.Entry<Source, Object>> listItems(Path file, NodeTuple t) {
        Node n = t.getValueNode();
        if (!(n instanceof SequenceNode seq)) {
            errors.add(YamlFiles.source(file, n), "expected a list for '" + YamlFiles.keyName(t) + "', found " + YamlFiles.kind(n));
            return List.of();
        }
        List<Map.Entry<Source, Object>> out = new ArrayList<>();
        for (Node item : seq.getValue()) out.add(Map.entry(YamlFiles.source(file, item), YamlFiles.value(item)));
        return out;
    }

    static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    static String describe(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return "the string '" + s + "'";
        if (v instanceof Boolean) return "a boolean";
        if (v instanceof Number) return "the number " + v;
        if (v instanceof List<?>) return "a list";
        if (v instanceof Map<?, ?>) return "a map";
        return v.getClass().getSimpleName();
    }
}

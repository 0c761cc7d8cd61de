package dev.rig.load;

import dev.rig.apply.Engine;
import dev.rig.core.InputError;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Secrets;
import dev.rig.core.Source;
import dev.rig.digitalocean.ApiAccess;
import dev.rig.inventory.ConnectionVars;
import dev.rig.inventory.Host;
import dev.rig.inventory.Inventory;
import dev.rig.inventory.InventoryLoader;
import dev.rig.modules.Modules;
import dev.rig.playbook.Play;
import dev.rig.playbook.Playbook;
import dev.rig.playbook.PlaybookLoader;
import dev.rig.template.Templates;
import dev.rig.vault.VaultPasswords;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Everything a command reads before it contacts any host, loaded and checked in one place: the
 * inventory, the extra vars, the playbooks, and the secrets among them. Every command goes through
 * {@link #load}, so none can forget to mask what it prints. All input errors are collected first and
 * reported together; nothing is run when there is one.
 */
public final class Inputs {
    /** What the command line names. regroup: groups whose hosts a command replaces in memory (rig recover's new central). */
    /**
     * What the command line names. regroup: groups whose hosts a command replaces in memory (rig
     * recover's new central). inventories: every -i, merged as Ansible merges them (inventory is the
     * first, for messages and saved plans).
     */
    public record Request(Path inventory, String limit, Map<String, List<String>> regroup, List<String> extraVars, List<Path> playbooks,
                          List<Path> inventories, VaultPasswords vault) {
        public Request {
            regroup = Map.copyOf(regroup);
            extraVars = List.copyOf(extraVars);
            playbooks = List.copyOf(playbooks);
            inventories = inventories.isEmpty() ? List.of(inventory) : List.copyOf(inventories);
        }

        public Request(Path inventory, String limit, Map<String, List<String>> regroup, List<String> extraVars, List<Path> playbooks) {
            this(inventory, limit, regroup, extraVars, playbooks, List.of(inventory), VaultPasswords.none());
        }

        /** The vault passwords that open encrypted vars files, inline !vault values and -e @FILE. */
        public Request withVault(VaultPasswords passwords) {
            return new Request(inventory, limit, regroup, extraVars, playbooks, inventories, passwords);
        }

        /** Several -i; the first becomes inventory. */
        public Request withInventories(List<Path> sources) {
            return new Request(sources.get(0), limit, regroup, extraVars, playbooks, sources, vault);
        }

        /** group_vars/ and host_vars/ are read beside each playbook's directory too, as Ansible does. */
        List<Path> playbookDirs() {
            return playbooks.stream().map(p -> Optional.ofNullable(p.toAbsolutePath().normalize().getParent()).orElse(Path.of("")))
                    .distinct().toList();
        }

        public static Request of(Path inventory, String limit, List<String> extraVars, List<Path> playbooks) {
            return new Request(inventory, limit, Map.of(), extraVars, playbooks);
        }

        public Request withPlaybooks(List<Path> others) {
            return new Request(inventory, limit, regroup, extraVars, others, inventories, vault);
        }

        public Request withRegroup(Map<String, List<String>> groups) {
            return new Request(inventory, limit, groups, extraVars, playbooks, inventories, vault);
        }
    }

    public final Request request;
    public final Inventory inventory;
    public final List<Playbook> playbooks;
    public final Map<String, Object> extraVars;
    public final Secrets secrets;
    public final Modules modules;
    public final Templates templates;

    private Inputs(Request request, Inventory inventory, List<Playbook> playbooks, Map<String, Object> extraVars, Modules modules, Templates templates) {
        this.request = request;
        this.inventory = inventory;
        this.playbooks = playbooks;
        this.extraVars = extraVars;
        this.modules = modules;
        this.templates = templates;
        this.secrets = new Secrets();
        // Vault variables' names first, so that collecting masks their values by name too.
        this.secrets.addNames(request.vault().secretNames());
        collectSecrets(secrets, inventory, playbooks, extraVars);
        this.secrets.addAll(request.vault().decrypted()); // every value decrypted from Ansible Vault, whatever its name
    }

    /** Loads and checks everything; limitMustMatch: a --limit that selects no host is an error (plan, apply, render). */
    public static Inputs load(Request request, boolean limitMustMatch) {
        Modules modules = new Modules();
        Templates templates = new Templates();
        List<InputError> errors = new ArrayList<>();
        Inventory inventory = null;
        try {
            inventory = InventoryLoader.load(request.inventories(), request.playbookDirs(), request.regroup(), request.vault());
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        Map<String, Object> extra = Map.of();
        try {
            extra = ExtraVars.parse(request.extraVars(), request.vault());
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        List<Playbook> playbooks = List.of();
        try {
            playbooks = PlaybookLoader.loadAll(request.playbooks(), modules, templates, request.vault());
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        // rig reads connection variables from the inventory only: where Ansible would also take them, refuse rather than ignore.
        for (String name : extra.keySet()) {
            if (ConnectionVars.ALL.contains(name)) errors.add(new InputError(new Source("-e " + name, 0, 0), notInInventory(name)));
        }
        for (Playbook pb : playbooks) {
            for (Play p : pb.plays()) {
                for (String name : p.vars().keySet()) {
                    if (ConnectionVars.ALL.contains(name)) errors.add(new InputError(p.source(), notInInventory(name)));
                }
            }
        }
        if (inventory != null) errors.addAll(unknownDelegates(inventory, playbooks));
        String limit = request.limit();
        if (limitMustMatch && inventory != null && limit != null && inventory.select(limit).isEmpty() && !Engine.limitNamesLocalhost(limit)) {
            errors.add(new InputError(new Source("--limit " + limit, 0, 0), "matches no host in " + request.inventory()));
        }
        List<String> prompted = List.of();
        if (errors.isEmpty()) {
            // Before any host is contacted, as Ansible asks at the start of each play.
            dev.rig.playbook.VarsPrompt.Answers answers = dev.rig.playbook.VarsPrompt.ask(playbooks, extra, System.console());
            errors.addAll(answers.errors());
            prompted = answers.secretValues();
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        Inputs inputs = new Inputs(request, inventory, playbooks, extra, modules, templates);
        inputs.secrets.addAll(prompted);
        return inputs;
    }

    /** A delegate_to written as a name (not a template) that names no host rig can delegate to: refused before any host is touched. */
    private static List<InputError> unknownDelegates(Inventory inventory, List<Playbook> playbooks) {
        List<InputError> out = new ArrayList<>();
        for (Playbook pb : playbooks) {
            for (Play p : pb.plays()) {
                List<dev.rig.playbook.Task> tasks = new ArrayList<>(p.tasks());
                tasks.addAll(p.handlers());
                for (dev.rig.playbook.Task t : tasks) {
                    dev.rig.playbook.Task.Delegation d = t.control().delegateTo();
                    if (d == null || Templates.isTemplated(d.to()) || dev.rig.apply.Delegates.resolve(inventory, d.to()).isPresent()) continue;
                    out.add(new InputError(d.source(), dev.rig.apply.Delegates.notInInventory(d.to())));
                }
            }
        }
        return out;
    }

    private static String notInInventory(String name) {
        return "connection variable " + name + " is read from the inventory only (host or group vars, group_vars/, host_vars/);"
                + " rig does not apply it from -e or play vars";
    }

    /** The inventory alone (rig inventory), with its secrets. */
    public static Inputs inventoryOnly(Path inventory) {
        return load(Request.of(inventory, null, List.of(), List.of()), false);
    }

    /** The inventory alone from several -i, with group_vars/host_vars beside playbookDir too when given (rig inventory --playbook-dir). */
    public static Inputs inventoryOnly(List<Path> inventories, Path playbookDir, VaultPasswords vault) {
        Inventory inventory = InventoryLoader.load(inventories, playbookDir == null ? List.of() : List.of(playbookDir), Map.of(), vault);
        Request request = Request.of(inventories.get(0), null, List.of(), List.of()).withInventories(inventories).withVault(vault);
        return new Inputs(request, inventory, List.of(), Map.of(), new Modules(), new Templates());
    }

    /**
     * The one place where values that must never be printed are gathered: extra vars, host and play
     * variables named like secrets, and API tokens from the environment. Decrypted vault values join here.
     */
    private static void collectSecrets(Secrets secrets, Inventory inventory, List<Playbook> playbooks, Map<String, Object> extra) {
        secrets.collect(extra);
        secrets.addAll(ApiAccess.environmentTokens(System.getenv()));
        for (Host h : inventory.hosts()) secrets.collect(h.vars());
        secrets.addAll(inventory.secretValues()); // every value decrypted from Ansible Vault, whatever its name
        for (Playbook pb : playbooks) for (Play p : pb.plays()) secrets.collect(p.vars());
    }

    /** sha256 of every input file: playbooks, roles, task files, templates, vars files, the inventory. */
    public Map<String, String> fileDigests() {
        Map<String, String> out = new TreeMap<>();
        List<Path> files = new ArrayList<>();
        playbooks.forEach(pb -> files.addAll(pb.filesRead()));
        try {
            for (Path inv : request.inventories()) {
                if (Files.isDirectory(inv)) {
                    try (var walk = Files.walk(inv)) {
                        walk.filter(Files::isRegularFile).forEach(files::add);
                    }
                } else if (Files.isRegularFile(inv)) { // not a host list (a,b,)
                    files.add(inv);
                }
            }
            for (Path f : files) {
                out.put(f.toAbsolutePath().normalize().toString(), dev.rig.core.Digests.sha256(Files.readAllBytes(f)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read input files: " + e.getMessage(), e);
        }
        return out;
    }
}

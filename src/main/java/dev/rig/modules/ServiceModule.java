package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.Fact;
import dev.rig.facts.Probe;
import dev.rig.facts.ServiceState;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;
import dev.rig.playbook.ArgSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * A systemd unit: running or stopped, enabled at boot or not. One {@code systemctl show} reads all
 * it needs ({@link ServiceState}). {@code restarted} and {@code reloaded} always act (that is what they ask for), so they
 * belong in handlers. {@code daemon_reload} reloads systemd only when it says a unit file changed
 * on disk since it last read it (NeedDaemonReload), which keeps a converged host "ok".
 *
 * <p>As {@code systemd} (and {@code systemd_service}) it also masks and unmasks, re-executes the
 * manager ({@code daemon_reexec}, which has no state to compare and so always runs), and works in
 * the user's or the global scope: {@code systemctl --user} (through the user's runtime directory,
 * as Ansible does) or {@code --global} (enable, disable and mask for every user; no state).
 */
public final class ServiceModule implements Module {
    private static final Set<String> ENABLED = Set.of("enabled", "enabled-runtime", "linked", "linked-runtime");
    /** Unit files without an [Install] section (or made by generators) cannot be enabled or disabled. */
    private static final Set<String> NOT_SWITCHABLE = Set.of("static", "indirect", "generated", "transient", "alias");

    private static final List<String> UNIT_TYPES = List.of("service", "socket", "timer", "target", "path", "mount", "automount",
            "swap", "slice", "scope", "device");

    private final String name;
    /** systemd and systemd_service: service's arguments plus masked, daemon_reexec, scope, force, no_block. */
    private final boolean systemd;

    /** The {@code service} module. */
    public ServiceModule() {
        this("service", false);
    }

    private ServiceModule(String name, boolean systemd) {
        this.name = name;
        this.systemd = systemd;
    }

    /** {@code systemd} or its newer name {@code systemd_service}. */
    public static ServiceModule systemd(String name) {
        return new ServiceModule(name, true);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public List<ArgSpec> args() {
        ArgSpec unit = ArgSpec.optional("name", STRING);
        ArgSpec state = ArgSpec.choice("state", false, "started", "stopped", "restarted", "reloaded");
        if (!systemd) return List.of(ArgSpec.required("name", STRING), state, ArgSpec.optional("enabled", BOOL), ArgSpec.optional("daemon_reload", BOOL));
        return List.of(unit.alias("service", "unit"), state, ArgSpec.optional("enabled", BOOL), ArgSpec.optional("masked", BOOL),
                ArgSpec.optional("daemon_reload", BOOL).alias("daemon-reload"), ArgSpec.optional("daemon_reexec", BOOL).alias("daemon-reexec"),
                ArgSpec.choice("scope", false, "system", "user", "global"), ArgSpec.optional("force", BOOL), ArgSpec.optional("no_block", BOOL));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        List<String> problems = new ArrayList<>();
        if (!systemd) {
            if (!args.containsKey("state") && !args.containsKey("enabled") && !args.containsKey("daemon_reload")) {
                problems.add("give 'state', 'enabled' or 'daemon_reload'");
            }
            return problems;
        }
        if (Stream.of("state", "enabled", "masked", "daemon_reload", "daemon_reexec").noneMatch(args::containsKey)) {
            problems.add("give 'state', 'enabled', 'masked', 'daemon_reload' or 'daemon_reexec'");
        }
        for (String needsName : List.of("state", "enabled", "masked")) {
            if (args.containsKey(needsName) && !args.containsKey("name")) problems.add("'" + needsName + "' needs 'name'");
        }
        if ("global".equals(args.get("scope")) && args.containsKey("state")) {
            problems.add("scope 'global' enables, disables and masks units for every user; it has no 'state' (give a user's scope)");
        }
        return problems;
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return fact(args).probe();
    }

    private Fact<ServiceState> fact(Args args) {
        return args.has("name") ? ServiceState.of(name, scope(args), unit(args)) : ServiceState.noUnit(name);
    }

    private String scope(Args args) {
        return systemd ? args.string("scope", "system") : "system";
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        ServiceState unitState = fact(args).parse(probeOutput);
        String scope = scope(args);
        boolean reexec = systemd && args.bool("daemon_reexec", false);
        List<HostCommand> cmds = new ArrayList<>();
        List<String> done = new ArrayList<>();
        // daemon_reexec has no state to compare with: asked for, it runs (as restarted does).
        if (reexec) {
            cmds.add(HostCommand.of(prefix(scope) + "systemctl" + flag(scope) + " daemon-reexec", "systemctl" + flag(scope) + " daemon-reexec"));
            done.add("re-execute systemd");
        }
        if (!args.has("name")) {
            // daemon_reload alone: systemd has no property saying some unit file changed, so it runs, as Ansible does.
            if (args.bool("daemon_reload", false)) {
                cmds.add(HostCommand.of(prefix(scope) + "systemctl" + flag(scope) + " daemon-reload", "systemctl" + flag(scope) + " daemon-reload"));
                done.add("reload systemd");
            }
            if (cmds.isEmpty()) return Outcome.ok("nothing asked of systemd");
            return Outcome.of(Change.of(Action.RUN, cmds, List.of(), String.join(", ", done)));
        }
        String unit = unit(args);
        String state = args.optString("state").orElse(null);
        Boolean enabled = args.has("enabled") ? args.bool("enabled", false) : null;
        Boolean masked = systemd && args.has("masked") ? args.bool("masked", false) : null;
        boolean needReload = args.bool("daemon_reload", false) && unitState.needDaemonReload();
        String fileState = unitState.unitFileState();
        boolean isMasked = unitState.masked();
        boolean willBeMasked = masked != null ? masked : isMasked;
        // A unit an earlier task installs (a package, a copied unit file) is not there yet in a plan: plan the
        // commands anyway; at apply systemctl says so if it is still missing.
        boolean missing = unitState.notFound();
        if (willBeMasked && ("started".equals(state) || "restarted".equals(state) || "reloaded".equals(state) || Boolean.TRUE.equals(enabled))) {
            return Outcome.fail("unit " + unit + " is " + (isMasked ? "" : "to be ") + "masked; unmask it before starting or enabling it");
        }
        String active = unitState.activeState();
        boolean force = systemd && args.bool("force", false);
        boolean noBlock = systemd && args.bool("no_block", false);

        Map<String, String> before = new LinkedHashMap<>();
        Map<String, String> after = new LinkedHashMap<>();
        if (needReload) {
            cmds.add(HostCommand.of(prefix(scope) + "systemctl" + flag(scope) + " daemon-reload", "systemctl daemon-reload"));
            done.add("reload systemd (unit files changed on disk)");
        }
        if (masked != null && masked != isMasked) {
            String verb = masked ? "mask" : "unmask";
            cmds.add(systemctl(scope, verb, unit, force && masked ? List.of("--force") : List.of()));
            before.put("masked", String.valueOf(isMasked));
            after.put("masked", String.valueOf(masked));
            done.add(verb);
            if (!masked) fileState = ""; // known once unmasked: enabling decides from what systemctl says then
        }
        if (enabled != null && !NOT_SWITCHABLE.contains(fileState) && !(willBeMasked && !enabled)) {
            boolean isEnabled = ENABLED.contains(fileState);
            if (enabled != isEnabled) {
                String verb = enabled ? "enable" : "disable";
                cmds.add(systemctl(scope, verb, unit, force && enabled ? List.of("--force") : List.of()));
                before.put("enabled", fileState.isEmpty() ? "unknown" : fileState);
                after.put("enabled", enabled ? "enabled" : "disabled");
                done.add(verb);
            }
        }
        boolean running = unitState.running();
        Action action = Action.UPDATE;
        if (state != null) {
            String verb = switch (state) {
                case "started" -> running ? null : "start";
                case "stopped" -> running ? "stop" : null;
                case "restarted" -> "restart";
                case "reloaded" -> running ? "reload" : "start"; // a stopped unit has nothing to reload; starting reads the new config
                default -> throw new Args.ArgumentException("unknown state '" + state + "'");
            };
            if (verb != null) {
                // A unit that failed before (e.g. started by its package before its config was written) may have hit its
                // start rate limit, which would refuse this start too: asking for it to run clears that first.
                if (active.equals("failed") && !verb.equals("stop")) cmds.add(systemctl(scope, "reset-failed", unit, List.of()));
                cmds.add(systemctl(scope, verb, unit, noBlock ? List.of("--no-block") : List.of()));
                done.add(verb);
                before.put("state", active + "/" + unitState.subState());
                after.put("state", verb.equals("stop") ? "inactive" : "active");
                if (verb.equals("restart") || verb.equals("reload")) action = Action.RUN;
            }
        }
        if (reexec && before.isEmpty()) action = Action.RUN;
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("name", unit);
        if (!scope.equals("global")) result.put("state", running ? "started" : "stopped");
        result.put("enabled", fileState);
        if (cmds.isEmpty() && missing) return Outcome.ok("unit " + unit + " is not installed").withResult(result);
        if (cmds.isEmpty()) {
            String status = scope.equals("global") ? fileState : active + (fileState.isEmpty() ? "" : ", " + fileState);
            return Outcome.ok(unit + " is " + status).withResult(result);
        }
        String summary = String.join(", ", done) + " " + unit + (missing ? " (not installed yet)" : "");
        List<Diff> diffs = before.isEmpty() ? List.of() : List.of(Diff.attributes(unit, before, after));
        return Outcome.of(Change.of(action, cmds, diffs, summary)).withResult(result);
    }

    private static String flag(String scope) {
        return scope.equals("system") ? "" : " --" + scope;
    }

    private static String prefix(String scope) {
        return scope.equals("user") ? ServiceState.USER_BUS : "";
    }

    private static HostCommand systemctl(String scope, String verb, String unit, List<String> options) {
        List<String> argv = new ArrayList<>(List.of("systemctl"));
        if (!scope.equals("system")) argv.add("--" + scope);
        argv.addAll(options);
        argv.addAll(List.of(verb, "--", unit));
        return HostCommand.of(prefix(scope) + Shell.join(argv), String.join(" ", argv.subList(0, argv.size() - 2)) + " " + unit);
    }

    /** "docker" means docker.service, as systemctl reads it. */
    private static String unit(Args args) {
        String name = args.string("name").strip();
        if (name.isEmpty() || name.contains("/") || name.startsWith("-")) throw new Args.ArgumentException("'" + name + "' is not a systemd unit name");
        return UNIT_TYPES.stream().anyMatch(t -> name.endsWith("." + t)) ? name : name + ".service";
    }
}

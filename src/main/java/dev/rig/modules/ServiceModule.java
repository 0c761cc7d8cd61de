package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.Probe;
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

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * A systemd unit: running or stopped, enabled at boot or not. One {@code systemctl show} reads all
 * it needs. {@code restarted} and {@code reloaded} always act (that is what they ask for), so they
 * belong in handlers. {@code daemon_reload} reloads systemd only when it says a unit file changed
 * on disk since it last read it (NeedDaemonReload), which keeps a converged host "ok".
 */
public final class ServiceModule implements Module {
    private static final String PROPERTIES = "LoadState,ActiveState,SubState,UnitFileState,NeedDaemonReload";
    private static final Set<String> RUNNING = Set.of("active", "activating", "reloading");
    private static final Set<String> ENABLED = Set.of("enabled", "enabled-runtime", "linked", "linked-runtime");
    /** Unit files without an [Install] section (or made by generators) cannot be enabled or disabled. */
    private static final Set<String> NOT_SWITCHABLE = Set.of("static", "indirect", "generated", "transient", "alias");

    private static final List<String> UNIT_TYPES = List.of("service", "socket", "timer", "target", "path", "mount", "automount",
            "swap", "slice", "scope", "device");

    @Override
    public String name() {
        return "service";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("name", STRING), ArgSpec.choice("state", false, "started", "stopped", "restarted", "reloaded"),
                ArgSpec.optional("enabled", BOOL), ArgSpec.optional("daemon_reload", BOOL));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        if (!args.containsKey("state") && !args.containsKey("enabled") && !args.containsKey("daemon_reload")) {
            return List.of("give 'state', 'enabled' or 'daemon_reload'");
        }
        return List.of();
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return new Probe("command -v systemctl >/dev/null 2>&1 || { echo 'this host has no systemctl: the service module manages systemd units'; exit 3; }\n"
                + "systemctl show --property=" + PROPERTIES + " -- " + Shell.quote(unit(args)) + "\n");
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        String unit = unit(args);
        Map<String, String> show = parse(probeOutput);
        String state = args.optString("state").orElse(null);
        Boolean enabled = args.has("enabled") ? args.bool("enabled", false) : null;
        boolean needReload = args.bool("daemon_reload", false) && "yes".equals(show.get("NeedDaemonReload"));
        String load = show.getOrDefault("LoadState", "");
        // A unit an earlier task installs (a package, a copied unit file) is not there yet in a plan: plan the
        // commands anyway; at apply systemctl says so if it is still missing.
        boolean missing = load.equals("not-found");
        if (load.equals("masked") && ("started".equals(state) || "restarted".equals(state) || "reloaded".equals(state) || Boolean.TRUE.equals(enabled))) {
            return Outcome.fail("unit " + unit + " is masked; unmask it before starting or enabling it");
        }
        String active = show.getOrDefault("ActiveState", "unknown");
        String fileState = show.getOrDefault("UnitFileState", "");

        Map<String, String> before = new LinkedHashMap<>();
        Map<String, String> after = new LinkedHashMap<>();
        List<HostCommand> cmds = new ArrayList<>();
        List<String> done = new ArrayList<>();
        if (needReload) {
            cmds.add(HostCommand.of("systemctl daemon-reload", "systemctl daemon-reload"));
            done.add("reload systemd (unit files changed on disk)");
        }
        if (enabled != null && !NOT_SWITCHABLE.contains(fileState)) {
            boolean isEnabled = ENABLED.contains(fileState);
            if (enabled != isEnabled) {
                String verb = enabled ? "enable" : "disable";
                cmds.add(systemctl(verb, unit));
                before.put("enabled", fileState.isEmpty() ? "unknown" : fileState);
                after.put("enabled", enabled ? "enabled" : "disabled");
                done.add(verb);
            }
        }
        boolean running = RUNNING.contains(active);
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
                if (active.equals("failed") && !verb.equals("stop")) cmds.add(systemctl("reset-failed", unit));
                cmds.add(systemctl(verb, unit));
                done.add(verb);
                before.put("state", active + "/" + show.getOrDefault("SubState", "?"));
                after.put("state", verb.equals("stop") ? "inactive" : "active");
                if (verb.equals("restart") || verb.equals("reload")) action = Action.RUN;
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("name", unit);
        result.put("state", running ? "started" : "stopped");
        result.put("enabled", fileState);
        if (cmds.isEmpty() && missing) return Outcome.ok("unit " + unit + " is not installed").withResult(result);
        if (cmds.isEmpty()) {
            String status = active + (fileState.isEmpty() ? "" : ", " + fileState);
            return Outcome.ok(unit + " is " + status).withResult(result);
        }
        String summary = String.join(", ", done) + " " + unit + (missing ? " (not installed yet)" : "");
        List<Diff> diffs = before.isEmpty() ? List.of() : List.of(Diff.attributes(unit, before, after));
        return Outcome.of(Change.of(action, cmds, diffs, summary)).withResult(result);
    }

    private static HostCommand systemctl(String verb, String unit) {
        return HostCommand.of(Shell.join("systemctl", verb, "--", unit), "systemctl " + verb + " " + unit);
    }

    /** "docker" means docker.service, as systemctl reads it. */
    private static String unit(Args args) {
        String name = args.string("name").strip();
        if (name.isEmpty() || name.contains("/") || name.startsWith("-")) throw new Args.ArgumentException("'" + name + "' is not a systemd unit name");
        return UNIT_TYPES.stream().anyMatch(t -> name.endsWith("." + t)) ? name : name + ".service";
    }

    static Map<String, String> parse(String output) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : (output == null ? "" : output).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) out.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        if (!out.containsKey("LoadState")) throw new IllegalStateException("unexpected output of systemctl show: " + output);
        return out;
    }
}

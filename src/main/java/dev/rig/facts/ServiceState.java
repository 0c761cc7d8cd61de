package dev.rig.facts;

import dev.rig.core.Shell;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * A systemd unit as {@code systemctl show} reports it: whether it is loaded (or masked, or not found),
 * whether it runs, its unit file's state (enabled, disabled, static...) and whether systemd wants a
 * daemon-reload because the unit file changed on disk. In the global scope, which has no show, only
 * the unit file state is known ({@code loadState} is "global"); with no unit asked for, "none".
 */
public record ServiceState(String loadState, String activeState, String subState, String unitFileState, boolean needDaemonReload) {
    private static final String PROPERTIES = "LoadState,ActiveState,SubState,UnitFileState,NeedDaemonReload";
    private static final Set<String> RUNNING = Set.of("active", "activating", "reloading");
    private static final Set<String> MASKED = Set.of("masked", "masked-runtime");

    /** As Ansible does, a user scope without a session environment reaches the user's manager through its runtime directory. */
    public static final String USER_BUS = "export XDG_RUNTIME_DIR=\"${XDG_RUNTIME_DIR:-/run/user/$(id -u)}\"\n";

    /**
     * The unit (a full name such as nginx.service) in scope system, user or global; askedBy names the
     * module in the error a host without systemctl gives.
     */
    public static Fact<ServiceState> of(String askedBy, String scope, String unit) {
        StringBuilder s = requireSystemctl(askedBy);
        String quoted = Shell.quote(unit);
        switch (scope) {
            case "user" -> s.append(USER_BUS).append("systemctl --user show --property=").append(PROPERTIES).append(" -- ").append(quoted).append('\n');
            // systemctl --global has no show: is-enabled says enabled, disabled or masked (and exits 1 for the latter two).
            case "global" -> s.append("echo LoadState=global\nprintf 'UnitFileState=%s\\n' \"$(systemctl --global is-enabled -- ").append(quoted)
                    .append(" 2>/dev/null)\"\n");
            case "system" -> s.append("systemctl show --property=").append(PROPERTIES).append(" -- ").append(quoted).append('\n');
            default -> throw new IllegalArgumentException("unknown systemd scope '" + scope + "'");
        }
        return Fact.of(new Probe(s.toString()), ServiceState::parse);
    }

    /** No unit: only whether the host has systemctl (daemon_reload or daemon_reexec alone). */
    public static Fact<ServiceState> noUnit(String askedBy) {
        return Fact.of(new Probe(requireSystemctl(askedBy).append("echo LoadState=none\n").toString()), ServiceState::parse);
    }

    private static StringBuilder requireSystemctl(String askedBy) {
        return new StringBuilder("command -v systemctl >/dev/null 2>&1 || { echo 'this host has no systemctl: the "
                + askedBy + " module manages systemd units'; exit 3; }\n");
    }

    public boolean running() {
        return RUNNING.contains(activeState);
    }

    public boolean masked() {
        return loadState.equals("masked") || MASKED.contains(unitFileState);
    }

    /** Not installed (yet): an earlier task may install it. */
    public boolean notFound() {
        return loadState.equals("not-found");
    }

    /** systemctl show's Key=Value lines; a property it did not print reads as unknown ("", or "unknown" for ActiveState). */
    static ServiceState parse(String output) {
        Map<String, String> show = new LinkedHashMap<>();
        for (String line : (output == null ? "" : output).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) show.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip());
        }
        if (!show.containsKey("LoadState")) throw new IllegalStateException("unexpected output of systemctl show: " + output);
        return new ServiceState(show.get("LoadState"), show.getOrDefault("ActiveState", "unknown"), show.getOrDefault("SubState", "?"),
                show.getOrDefault("UnitFileState", ""), "yes".equals(show.get("NeedDaemonReload")));
    }
}

package dev.rig.stack;

import dev.rig.apply.Engine;
import dev.rig.apply.Remote;
import dev.rig.apply.RoutingConnector;
import dev.rig.core.InputError;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Secrets;
import dev.rig.core.Shell;
import dev.rig.core.Source;
import dev.rig.inventory.Host;
import dev.rig.inventory.Inventory;
import dev.rig.load.Inputs;
import dev.rig.ssh.SshException;
import dev.rig.template.Templates;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The monitoring fleet as the stack commands (verify, backup, recover) see it: the inventory, its central host and
 * edges, and each host's variables with the playbooks' role defaults; read and checked before anything is contacted.
 */
public final class StackFleet {
    public final Inventory inventory;
    public final Host centralHost;
    public final List<Host> edgeHosts;
    public final Secrets secrets;
    private final Templates templates = new Templates();
    private final Map<String, Map<String, Object>> vars = new HashMap<>();

    private StackFleet(Inputs inputs, Host centralHost, List<Host> edgeHosts) {
        this.inventory = inputs.inventory;
        this.centralHost = centralHost;
        this.edgeHosts = edgeHosts;
        this.secrets = inputs.secrets;
        List<Host> all = new ArrayList<>(edgeHosts);
        all.add(0, centralHost);
        for (Host h : all) {
            Map<String, Object> v = Engine.hostVars(inventory, inputs.playbooks, h, inputs.extraVars);
            vars.put(h.name(), v);
            secrets.collect(v);
        }
    }

    /** The fleet the request names; its limit narrows the edges. */
    public static StackFleet load(Inputs.Request request) {
        Inputs inputs = Inputs.load(request, false);
        Inventory inventory = inputs.inventory;
        List<Host> centrals = inventory.select("central");
        if (centrals.isEmpty()) throw new InvalidInputException(new Source(request.inventory().toString(), 0, 0), "no host in group 'central': rig verify checks the edges against it");
        List<Host> edges = inventory.select("edge");
        if (request.limit() != null) {
            var allowed = new LinkedHashSet<>(inventory.select(request.limit()).stream().map(Host::name).toList());
            edges = edges.stream().filter(h -> allowed.contains(h.name())).toList();
        }
        return new StackFleet(inputs, centrals.get(0), edges);
    }

    public String string(String host, String name) {
        Map<String, Object> v = vars.get(host);
        if (!v.containsKey(name)) throw new InvalidInputException(new Source(host, 0, 0), "variable '" + name + "' is not set for " + host);
        return String.valueOf(templates.renderValue("${" + name + "}", new Source("variable " + name + " of " + host, 0, 0), v));
    }

    public Optional<String> optional(String host, String name) {
        if (!vars.get(host).containsKey(name)) return Optional.empty();
        String s = string(host, name);
        return s.isBlank() ? Optional.empty() : Optional.of(s);
    }

    /**
     * Shell lines that set prom, graf, caddy and am to where central's Prometheus, Grafana, Caddy and Alertmanager data
     * live: the backup_*_data_dir settings, else the compose project's named volumes; create: make
     * them when missing (a restore onto a new host). prom_dir is the setting, empty for the volume.
     */
    String centralDataDirs(boolean create) {
        String c = centralHost.name();
        String project = string(c, "monitoring_central_project");
        String given = create ? "mkdir -p \"$1\"; " : "";
        String volume = create ? "docker volume create \"$2\" >/dev/null; " : "";
        return "vol() { if [ -n \"$1\" ]; then " + given + "printf '%s\\n' \"$1\"; else " + volume
                + "docker volume inspect -f '{{.Mountpoint}}' \"$2\"; fi; }\n"
                + "prom_dir=" + Shell.quote(optional(c, "backup_prometheus_data_dir").orElse("")) + "\n"
                + "prom=$(vol \"$prom_dir\" " + Shell.quote(project + "_prometheus-data") + ")\n"
                + "graf=$(vol " + Shell.quote(optional(c, "backup_grafana_data_dir").orElse("")) + " " + Shell.quote(project + "_grafana-data") + ")\n"
                + "caddy=$(vol " + Shell.quote(optional(c, "backup_caddy_data_dir").orElse("")) + " " + Shell.quote(project + "_caddy-data") + ")\n"
                + "am_dir=" + Shell.quote(optional(c, "backup_alertmanager_data_dir").orElse("")) + "\n"
                + "am=$(vol \"$am_dir\" " + Shell.quote(project + "_alertmanager-data") + ")\n";
    }

    /**
     * Runs a shell script on a host as the engine runs tasks: through sh, and through sudo when the
     * inventory says become (ansible_become, ansible_become_user, ansible_become_password). activity: what it
     * does in the operator's words, told if the connection drops ("writing rig verify's log canary").
     */
    public static dev.rig.ssh.ExecResult run(RoutingConnector connector, Host host, Remote remote, String script, java.time.Duration timeout, String activity) throws SshException {
        dev.rig.apply.RemoteCommands.Become become = !host.become() ? null : dev.rig.apply.RemoteCommands.Become.asUser(host.becomeUser(),
                connector.loginUser(host), host, Long.toHexString(java.util.concurrent.ThreadLocalRandom.current().nextLong()));
        dev.rig.ssh.ExecResult r = remote.exec(dev.rig.apply.RemoteCommands.script(script, null, become).doing(activity), timeout);
        if (r.exitCode() != 0 && become != null) {
            return new dev.rig.ssh.ExecResult(r.exitCode(), r.out().getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    dev.rig.apply.RemoteCommands.explainFailure(r.err(), become).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return r;
    }

    List<Verifier.Edge> edges() {
        return edgeHosts.stream().map(h -> new Verifier.Edge(h.name(), string(h.name(), "monitoring_host_label"),
                inventory.select("edge_postgres").stream().anyMatch(p -> p.name().equals(h.name())))).toList();
    }

    /**
     * Every setting rig verify reads, checked before anything is contacted: each missing or empty one
     * named with its host, as the roles' own assertions do (an empty monitoring_domain would otherwise
     * surface as a URL error from deep inside an HTTP call).
     */
    List<InputError> verifySettingsErrors() {
        List<InputError> errors = new ArrayList<>();
        String c = centralHost.name();
        String via = need(errors, c, "monitoring_verify_via", "how rig verify reaches central: ssh or https");
        if (via != null && !via.equals("ssh") && !via.equals("https")) {
            errors.add(new InputError(new Source(c, 0, 0), "monitoring_verify_via must be ssh or https, not '" + via + "'"));
        }
        if ("ssh".equals(via)) {
            need(errors, c, "monitoring_central_address", "central's private address, forwarded to over SSH (set private_ip, or monitoring_verify_via: https)");
            needPort(errors, c, "monitoring_prometheus_port");
            needPort(errors, c, "monitoring_loki_port");
            need(errors, c, "monitoring_verify_alertmanager_address", "where Alertmanager listens on central, forwarded to over SSH (default 127.0.0.1)");
        } else if ("https".equals(via)) {
            need(errors, c, "monitoring_domain", "central's domain, where Caddy serves Prometheus and Loki");
            need(errors, c, "monitoring_push_user", "the basic-auth user for Prometheus and Loki through Caddy");
            need(errors, c, "monitoring_push_password", "the basic-auth password for Prometheus and Loki through Caddy");
        }
        String grafana = need(errors, c, "monitoring_verify_grafana_url", "where rig verify asks Grafana (default https://${monitoring_domain})");
        if (grafana != null) {
            String host = null;
            try {
                host = java.net.URI.create(grafana).getHost();
            } catch (IllegalArgumentException e) {
                // reported below
            }
            if (host == null || host.isBlank()) {
                boolean noDomain = optionalSafe(c, "monitoring_domain").isEmpty();
                errors.add(new InputError(new Source(c, 0, 0), "monitoring_verify_grafana_url is '" + grafana + "', which names no host"
                        + (noDomain ? ": set monitoring_domain (central's domain), or monitoring_verify_grafana_url" : "")));
            }
        }
        need(errors, c, "grafana_admin_password", "Grafana's admin password (in the secrets file: -e @secrets.yml)");
        for (Host h : edgeHosts) {
            need(errors, h.name(), "monitoring_host_label", "the host label its metrics and logs carry");
            need(errors, h.name(), "monitoring_log_canary_command", "how rig verify writes a log line on the edge");
        }
        return errors;
    }

    /** The setting's value, or null after adding an error naming it when it is unset or empty. */
    private String need(List<InputError> errors, String host, String name, String what) {
        try {
            Optional<String> v = optional(host, name);
            if (v.isPresent()) return v.get();
            errors.add(new InputError(new Source(host, 0, 0), (vars.get(host).containsKey(name) ? name + " is empty" : name + " is not set")
                    + "; rig verify needs it: " + what));
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        } catch (RuntimeException e) {
            errors.add(new InputError(new Source(host, 0, 0), name + " of " + host + " cannot be rendered: " + e.getMessage()));
        }
        return null;
    }

    private void needPort(List<InputError> errors, String host, String name) {
        String v = need(errors, host, name, "a TCP port");
        if (v != null && !v.matches("\\d{1,5}")) errors.add(new InputError(new Source(host, 0, 0), name + " of " + host + " is '" + v + "', not a port number"));
    }

    private Optional<String> optionalSafe(String host, String name) {
        try {
            return optional(host, name);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** Central's services, reached as monitoring_verify_via says: an SSH forward through central, or HTTPS through Caddy. */
    Verifier.Central central(RoutingConnector connector) throws SshException {
        String c = centralHost.name();
        Optional<String> ca = optional(c, "monitoring_ca_cert");
        String via = string(c, "monitoring_verify_via");
        CentralHttp prometheus;
        CentralHttp loki;
        CentralHttp alertmanager;
        String lokiReady;
        switch (via) {
            case "ssh" -> {
                String address = string(c, "monitoring_central_address");
                if (address.isBlank()) throw new InvalidInputException(new Source(c, 0, 0), "monitoring_verify_via is ssh but central has no monitoring_central_address (private_ip)");
                Remote remote = connector.connect(centralHost);
                InetSocketAddress p = remote.forward(address, Integer.parseInt(string(c, "monitoring_prometheus_port")));
                InetSocketAddress l = remote.forward(address, Integer.parseInt(string(c, "monitoring_loki_port")));
                // Named after what they reach, so an error says which address through which host failed.
                prometheus = new CentralHttp("Prometheus (" + address + ":" + string(c, "monitoring_prometheus_port") + " through an SSH forward via " + c + ")",
                        "http://" + p.getHostString() + ":" + p.getPort(), Optional.empty(), Optional.empty(), Optional.empty());
                loki = new CentralHttp("Loki (" + address + ":" + string(c, "monitoring_loki_port") + " through an SSH forward via " + c + ")",
                        "http://" + l.getHostString() + ":" + l.getPort(), Optional.empty(), Optional.empty(), Optional.empty());
                lokiReady = "/ready";
                // Alertmanager is published on central's loopback only (or its address in host network mode).
                String amAddress = string(c, "monitoring_verify_alertmanager_address");
                InetSocketAddress a = remote.forward(amAddress, ALERTMANAGER_PORT);
                alertmanager = new CentralHttp("Alertmanager (" + amAddress + ":" + ALERTMANAGER_PORT + " through an SSH forward via " + c + ")",
                        "http://" + a.getHostString() + ":" + a.getPort() + ALERTMANAGER_PREFIX, Optional.empty(), Optional.empty(), Optional.empty());
            }
            case "https" -> {
                String base = "https://" + string(c, "monitoring_domain");
                Optional<String> user = Optional.of(string(c, "monitoring_push_user"));
                Optional<String> password = Optional.of(string(c, "monitoring_push_password"));
                prometheus = new CentralHttp("Prometheus (through Caddy)", base, user, password, ca);
                loki = new CentralHttp("Loki (through Caddy)", base, user, password, ca);
                lokiReady = "/loki/api/v1/labels";
                alertmanager = new CentralHttp("Alertmanager (through Caddy)", base + ALERTMANAGER_PREFIX, user, password, ca);
            }
            default -> throw new InvalidInputException(new Source(c, 0, 0), "monitoring_verify_via must be ssh or https, not '" + via + "'");
        }
        CentralHttp grafana = new CentralHttp("Grafana", optional(c, "monitoring_verify_grafana_url").orElse("https://" + string(c, "monitoring_domain")),
                Optional.of(optional(c, "grafana_admin_user").orElse("admin")), Optional.of(string(c, "grafana_admin_password")), ca);
        return new Verifier.Central(c, prometheus, loki, lokiReady, grafana, new LinkedHashSet<>(List.of("prometheus", "loki")),
                alertmanager, alertmanagerReceivers());
    }

    /** Alertmanager's port and route prefix, as the central compose project runs it (--web.route-prefix). */
    static final int ALERTMANAGER_PORT = 9093;
    static final String ALERTMANAGER_PREFIX = "/alertmanager";

    /** The receiver names alertmanager_receivers gives central (the rendered alertmanager.yml has these, and blackhole). */
    List<String> alertmanagerReceivers() {
        String c = centralHost.name();
        Object raw = vars.get(c).get("alertmanager_receivers");
        List<String> names = new ArrayList<>();
        if (raw instanceof List<?> list) {
            for (Object r : list) {
                if (r instanceof Map<?, ?> m && m.get("name") != null) {
                    names.add(String.valueOf(templates.renderValue(String.valueOf(m.get("name")), new Source("alertmanager_receivers of " + c, 0, 0), vars.get(c))));
                }
            }
        }
        return names;
    }
}

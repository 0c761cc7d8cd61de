package dev.rig.cli;

import dev.rig.apply.RoutingConnector;
import dev.rig.apply.SshConnector;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import dev.rig.load.Inputs;
import dev.rig.report.Drift;
import dev.rig.ssh.SshException;
import dev.rig.stack.CentralBackup;
import dev.rig.stack.CentralHttp;
import dev.rig.stack.StackFleet;
import dev.rig.stack.StackVerify;
import dev.rig.stack.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The monitoring stack's commands, rig verify and rig backup: their options and views; the work is in dev.rig.stack. */
final class StackCommands {
    private StackCommands() {}

    static final List<Path> SITE = List.of(Path.of("playbooks/site.yml"));

    @Command(name = "verify", description = "Check that every edge's metrics and logs reach central, per host and signal (0 all ok, 2 stale or missing, 1 error).")
    static final class VerifyCommand implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Options.InventoryOptions inventory;
        @Mixin Options.SshOptions ssh;

        @Option(names = {"-e", "--extra-vars"}, paramLabel = "KEY=VALUE", description = "Extra variables, as for apply (the secrets file: -e @secrets.yml)")
        List<String> extraVars = new ArrayList<>();

        @Option(names = "--within", paramLabel = "DURATION", defaultValue = "2m", description = "Newest sample must be younger than this (30s, 2m, 1h). Default: ${DEFAULT-VALUE}")
        String within;

        @Option(names = "--log-timeout", paramLabel = "DURATION", defaultValue = "60s", description = "How long to wait for each edge's log canary in Loki. Default: ${DEFAULT-VALUE}")
        String logTimeout;

        @Option(names = "--json", description = "One JSON object per host × signal instead of the table")
        boolean json;

        @Option(names = "--junit", paramLabel = "FILE", description = "Write JUnit XML: a testcase per host × signal")
        Path junit;

        @Option(names = "--metrics-file", paramLabel = "FILE", description = "Write Prometheus metrics (textfile collector format), atomically")
        Path metricsFile;

        @Option(names = "--fire-test", description = "Also send a test alert through Alertmanager and wait until its receivers accept it (it resolves itself)")
        boolean fireTest;

        @Option(names = "--fire-timeout", paramLabel = "DURATION", defaultValue = "2m", description = "How long --fire-test waits for the receivers (Alertmanager holds a first notification for group_wait). Default: ${DEFAULT-VALUE}")
        String fireTimeout;

        @Parameters(arity = "0..*", paramLabel = "PLAYBOOK", description = "The playbooks whose role defaults apply (default: playbooks/site.yml)")
        List<Path> playbooks = new ArrayList<>();

        @Override
        public Integer call() {
            var fire = fireTest ? java.util.Optional.of(Options.duration("--fire-timeout", fireTimeout)) : java.util.Optional.<java.time.Duration>empty();
            return verify(inventory.request(extraVars, playbooks.isEmpty() ? SITE : playbooks), ssh, within, logTimeout, java.util.Optional.empty(), fire,
                    json, junit, metricsFile, spec.commandLine().getOut());
        }
    }

    /** rig verify once, shown as a table or JSON lines; also what apply --verify and recover run after a converge. */
    static int verify(Inputs.Request request, Options.SshOptions ssh, String within, String logTimeout, boolean json, Path junit, Path metricsFile, PrintWriter out) {
        return verify(request, ssh, within, logTimeout, java.util.Optional.empty(), json, junit, metricsFile, out);
    }

    /** scrapedAfter: metrics count only when scraped at or after it (rig recover's start), whatever within says. */
    static int verify(Inputs.Request request, Options.SshOptions ssh, String within, String logTimeout, java.util.Optional<java.time.Instant> scrapedAfter,
                      boolean json, Path junit, Path metricsFile, PrintWriter out) {
        return verify(request, ssh, within, logTimeout, scrapedAfter, java.util.Optional.empty(), json, junit, metricsFile, out);
    }

    /** fireTest: how long rig verify --fire-test waits for the receivers to accept its test alert. */
    static int verify(Inputs.Request request, Options.SshOptions ssh, String within, String logTimeout, java.util.Optional<java.time.Instant> scrapedAfter,
                      java.util.Optional<java.time.Duration> fireTest, boolean json, Path junit, Path metricsFile, PrintWriter out) {
        var withinDuration = Options.duration("--within", within);
        var logWait = Options.duration("--log-timeout", logTimeout);
        try (SshConnector sshConnector = new SshConnector(ssh.settings(), ssh.user, ssh.privateKey)) {
            VerifyReport report = StackVerify.check(request, sshConnector, withinDuration, logWait, scrapedAfter, fireTest);
            out.print(json ? report.jsonLines() : report.table());
            out.flush();
            if (junit != null) Drift.writeAtomically(junit, report.junit());
            if (metricsFile != null) Drift.writeAtomically(metricsFile, report.metrics(System.currentTimeMillis()));
            return report.exitCode();
        }
    }

    @Command(name = "backup", description = "Back up central (Prometheus snapshot, Grafana data, Caddy certificates) to DIR, with checksums; keeps the newest N.")
    static final class BackupCommand implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Mixin Options.InventoryOptions inventory;
        @Mixin Options.SshOptions ssh;

        @Parameters(index = "0", paramLabel = "central", description = "What to back up: central")
        String what;

        @Parameters(index = "1..*", paramLabel = "PLAYBOOK", description = "The playbooks whose role defaults apply (default: playbooks/site.yml)")
        List<Path> playbooks = new ArrayList<>();

        @Option(names = {"-e", "--extra-vars"}, paramLabel = "KEY=VALUE", description = "Extra variables, as for apply")
        List<String> extraVars = new ArrayList<>();

        @Option(names = "--to", paramLabel = "DIR", defaultValue = "backups", description = "Where backups are kept. Default: ${DEFAULT-VALUE}")
        Path to;

        @Option(names = "--keep", paramLabel = "N", defaultValue = "7", description = "How many backups to keep in DIR (the newest). Default: ${DEFAULT-VALUE}")
        int keep;

        @Override
        public Integer call() {
            if (!"central".equals(what)) throw new InvalidInputException(new Source("rig backup " + what, 0, 0), "only 'central' can be backed up");
            CentralBackup backup = new CentralBackup(to, keep);
            PrintWriter out = spec.commandLine().getOut();
            StackFleet fleet = StackFleet.load(inventory.request(extraVars, playbooks.isEmpty() ? SITE : playbooks));
            String central = fleet.centralHost.name();
            long start = System.nanoTime();
            try (SshConnector sshConnector = new SshConnector(ssh.settings(), ssh.user, ssh.privateKey)) {
                CentralBackup.Made made = backup.run(fleet, new RoutingConnector(sshConnector));
                out.printf("Backup of central (%s) in %s: %s; %.1f s%n", central, made.dir(), made.description(), (System.nanoTime() - start) / 1e9);
                List<Path> removed = made.removed();
                if (!removed.isEmpty()) out.println("Removed " + removed.size() + " older backup" + (removed.size() == 1 ? "" : "s") + " (keeping " + keep + "): "
                        + String.join(", ", removed.stream().map(p -> p.getFileName().toString()).toList()));
                out.flush();
                return Main.OK;
            } catch (SshException | CentralHttp.CentralException e) {
                spec.commandLine().getErr().println(fleet.secrets.redact("error: backup of central (" + central + ") failed: " + e.getMessage()));
                return Main.ERROR;
            }
        }
    }
}

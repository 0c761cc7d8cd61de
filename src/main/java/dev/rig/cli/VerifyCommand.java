package dev.rig.cli;

import dev.rig.apply.Remote;
import dev.rig.apply.RoutingConnector;
import dev.rig.apply.SshConnector;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Shell;
import dev.rig.core.Source;
import dev.rig.inventory.Host;
import dev.rig.report.Drift;
import dev.rig.ssh.ExecResult;
import dev.rig.ssh.SshException;
import dev.rig.verify.Verifier;
import dev.rig.verify.VerifyReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

@Command(name = "verify", description = "Check that every edge's metrics and logs reach central, per host and signal (0 all ok, 2 stale or missing, 1 error).")
final class VerifyCommand implements Callable<Integer> {
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

    @Parameters(arity = "0..*", paramLabel = "PLAYBOOK", description = "The playbooks whose role defaults apply (default: playbooks/site.yml)")
    List<Path> playbooks = new ArrayList<>();

    @Override
    public Integer call() {
        return verify(inventory, ssh, extraVars, playbooks.isEmpty() ? List.of(Path.of("playbooks/site.yml")) : playbooks, within, logTimeout,
                json, junit, metricsFile, spec.commandLine().getOut());
    }

    /** The whole check; also what apply --verify runs after a converge. */
    static int verify(Options.InventoryOptions inventory, Options.SshOptions ssh, List<String> extraVars, List<Path> playbooks, String within,
                      String logTimeout, boolean json, Path junit, Path metricsFile, PrintWriter out) {
        return verify(inventory, ssh, extraVars, playbooks, within, logTimeout, Optional.empty(), json, junit, metricsFile, out);
    }

    /** scrapedAfter: metrics count only when scraped at or after it (rig recover's start), whatever within says. */
    static int verify(Options.InventoryOptions inventory, Options.SshOptions ssh, List<String> extraVars, List<Path> playbooks, String within,
                      String logTimeout, Optional<Instant> scrapedAfter, boolean json, Path junit, Path metricsFile, PrintWriter out) {
        Duration withinDuration = duration("--within", within);
        Duration logWait = duration("--log-timeout", logTimeout);
        StackFleet fleet = StackFleet.load(inventory, extraVars, playbooks);
        long start = System.nanoTime();
        try (SshConnector sshConnector = new SshConnector(ssh.settings(), ssh.user, ssh.privateKey)) {
            RoutingConnector connector = new RoutingConnector(sshConnector);
            List<dev.rig.verify.Check> checks;
            try {
                Verifier.Central central = fleet.central(connector);
                checks = new Verifier(central, (host, canary) -> writeCanary(connector, fleet, host, canary), withinDuration, logWait, scrapedAfter)
                        .run(fleet.edges());
            } catch (SshException e) {
                checks = Verifier.centralUnreachable(fleet.centralHost.name(), fleet.edges(), "cannot reach central over SSH: " + e.getMessage());
            }
            VerifyReport report = new VerifyReport(checks, fleet.secrets, (System.nanoTime() - start) / 1_000_000);
            out.print(json ? report.jsonLines() : report.table());
            out.flush();
            if (junit != null) Drift.writeAtomically(junit, report.junit());
            if (metricsFile != null) Drift.writeAtomically(metricsFile, report.metrics(System.currentTimeMillis()));
            return report.exitCode();
        }
    }

    private static void writeCanary(RoutingConnector connector, StackFleet fleet, String host, String canary) throws Exception {
        Host h = fleet.inventory.host(host).orElseThrow();
        String command = fleet.string(host, "monitoring_log_canary_command");
        Remote remote = connector.connect(h);
        ExecResult r = StackFleet.run(connector, h, remote, "RIG_CANARY=" + Shell.quote(canary) + "; export RIG_CANARY\n" + command, Duration.ofSeconds(30));
        if (r.exitCode() != 0) throw new IllegalStateException("the canary command failed (" + r.exitCode() + "): " + (r.err().isBlank() ? r.out() : r.err()).strip());
    }

    /**
     * Runs check until it answers OK, retrying every 5 s while retry accepts its code and wait has not
     * passed (fresh containers take a moment before their first samples arrive); returns the last code.
     */
    static int untilOk(Duration wait, java.util.function.IntPredicate retry, java.util.function.IntSupplier check) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            int code = check.getAsInt();
            if (code == Main.OK || !retry.test(code) || System.nanoTime() > deadline) return code;
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return code;
            }
        }
    }

    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    static Duration duration(String option, String text) {
        Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) throw new InvalidInputException(new Source(option + " " + text, 0, 0), "expected a duration such as 30s, 2m or 1h");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}

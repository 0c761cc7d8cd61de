package dev.rig.stack;

import dev.rig.apply.Remote;
import dev.rig.apply.RoutingConnector;
import dev.rig.apply.SshConnector;
import dev.rig.core.Shell;
import dev.rig.inventory.Host;
import dev.rig.load.Inputs;
import dev.rig.ssh.ExecResult;
import dev.rig.ssh.SshException;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * rig verify's check: for every edge, are its metrics and logs reaching central? Central's services are
 * reached as the fleet says (an SSH forward or HTTPS through Caddy); each edge writes a log canary.
 */
public final class StackVerify {
    private StackVerify() {}

    /**
     * Every setting the check will need, missing or empty ones named; apply --verify and recover ask first,
     * before any host is touched, rather than after a converge that cannot be verified.
     */
    public static List<dev.rig.core.InputError> settingsErrors(Inputs.Request request) {
        return StackFleet.load(request).verifySettingsErrors();
    }

    /** The whole check; also what apply --verify and recover run after a converge. */
    public static VerifyReport check(Inputs.Request request, SshConnector sshConnector, Duration within, Duration logWait) {
        return check(request, sshConnector, within, logWait, Optional.empty());
    }

    /** scrapedAfter: metrics count only when scraped at or after it (rig recover's start), whatever within says. */
    public static VerifyReport check(Inputs.Request request, SshConnector sshConnector, Duration within, Duration logWait, Optional<Instant> scrapedAfter) {
        return check(request, sshConnector, within, logWait, scrapedAfter, Optional.empty());
    }

    /** fireTest: also send a test alert through Alertmanager and wait up to that long for its receivers to accept it. */
    public static VerifyReport check(Inputs.Request request, SshConnector sshConnector, Duration within, Duration logWait, Optional<Instant> scrapedAfter,
                                     Optional<Duration> fireTest) {
        StackFleet fleet = StackFleet.load(request);
        List<dev.rig.core.InputError> missing = fleet.verifySettingsErrors();
        if (!missing.isEmpty()) throw new dev.rig.core.InvalidInputException(missing);
        long start = System.nanoTime();
        RoutingConnector connector = new RoutingConnector(sshConnector);
        List<Check> checks;
        try {
            Verifier.Central central = fleet.central(connector);
            Verifier verifier = new Verifier(central, (host, canary) -> writeCanary(connector, fleet, host, canary), within, logWait, scrapedAfter);
            checks = (fireTest.isPresent() ? verifier.withFireTest(fireTest.get()) : verifier).run(fleet.edges());
        } catch (SshException e) {
            checks = Verifier.centralUnreachable(fleet.centralHost.name(), fleet.edges(), "cannot reach central over SSH: " + e.getMessage());
        }
        return new VerifyReport(checks, fleet.secrets, (System.nanoTime() - start) / 1_000_000);
    }

    private static void writeCanary(RoutingConnector connector, StackFleet fleet, String host, String canary) throws Exception {
        Host h = fleet.inventory.host(host).orElseThrow();
        String command = fleet.string(host, "monitoring_log_canary_command");
        Remote remote = connector.connect(h);
        ExecResult r = StackFleet.run(connector, h, remote, "RIG_CANARY=" + Shell.quote(canary) + "; export RIG_CANARY\n" + command, Duration.ofSeconds(30),
                "writing rig verify's log canary");
        if (r.exitCode() != 0) throw new IllegalStateException("the canary command failed (" + r.exitCode() + "): " + (r.err().isBlank() ? r.out() : r.err()).strip());
    }

    /**
     * Runs check until it answers OK, retrying every 5 s while retry accepts its code and wait has not
     * passed (fresh containers take a moment before their first samples arrive); returns the last code.
     */
    public static int untilOk(Duration wait, java.util.function.IntPredicate retry, java.util.function.IntSupplier check) {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            int code = check.getAsInt();
            if (code == 0 || !retry.test(code) || System.nanoTime() > deadline) return code;
            try {
                Thread.sleep(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return code;
            }
        }
    }
}

package dev.rig.cli;

import dev.rig.apply.Engine;
import dev.rig.apply.HeldLocks;
import dev.rig.apply.RunPlans;
import dev.rig.plan.HostPlan;
import dev.rig.plan.Plan;
import dev.rig.apply.Event;
import dev.rig.apply.EventSink;
import dev.rig.apply.Mode;
import dev.rig.apply.RoutingConnector;
import dev.rig.apply.SshConnector;
import dev.rig.core.Secrets;
import dev.rig.inventory.Host;
import dev.rig.inventory.Inventory;
import dev.rig.load.Inputs;
import dev.rig.modules.Modules;
import dev.rig.playbook.Play;
import dev.rig.playbook.Playbook;
import dev.rig.report.HumanReporter;
import dev.rig.report.JsonReporter;
import dev.rig.report.RunRecord;
import dev.rig.ssh.SshSettings;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.util.IntSummaryStatistics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;

/**
 * Everything plan and apply share: load and check all input before contacting any host, wire
 * the SSH connector and the reporter, run the engine.
 */
final class Runner implements AutoCloseable {
    static final int MAX_DEFAULT_FORKS = 64;

    final Inventory inventory;
    final List<Playbook> playbooks;
    final Modules modules;
    final dev.rig.template.Templates templates;
    final Secrets secrets;
    final Map<String, Object> extraVars;
    final Inputs inputs;
    private final Options.RunOptions run;
    private final SshConnector connector;
    private final EventSink reporter;
    private RunRecord lastRecord = new RunRecord();
    private final PrintWriter err;

    /** ssh: null for a run that contacts no host (render). */
    Runner(Options.InventoryOptions inv, Options.RunOptions run, Options.SshOptions ssh, List<Path> playbookFiles, PrintWriter out, PrintWriter err) {
        this(inv.request(run.extraVars, playbookFiles), run, ssh, out, err);
    }

    /** Validation before contact: inventory, extra vars, playbooks, roles, templates, limit (Inputs.load). */
    Runner(Inputs.Request request, Options.RunOptions run, Options.SshOptions ssh, PrintWriter out, PrintWriter err) {
        this(request, run, ssh, out, err, false);
    }

    /** toFile: out is a file, never coloured (rig recover's full report). */
    Runner(Inputs.Request request, Options.RunOptions run, Options.SshOptions ssh, PrintWriter out, PrintWriter err, boolean toFile) {
        this.err = err;
        this.run = run;
        this.inputs = Inputs.load(request, true);
        this.inventory = inputs.inventory;
        this.playbooks = inputs.playbooks;
        this.extraVars = inputs.extraVars;
        this.modules = inputs.modules;
        this.templates = inputs.templates;
        this.secrets = inputs.secrets;
        if (ssh != null) {
            SshSettings sshSettings = ssh.settings();
            sshSettings.passphrases().environmentValue().ifPresent(secrets::add);
            this.connector = new SshConnector(sshSettings, ssh.user, ssh.privateKey);
        } else {
            this.connector = null; // rig render: no host is contacted, so no SSH client is started
        }
        boolean tty = !toFile && System.console() != null && !"dumb".equals(System.getenv("TERM"));
        this.reporter = run.json ? new JsonReporter(out, secrets) : new HumanReporter(out, secrets, tty);
    }

    Engine.Result execute(Mode mode) {
        return execute(mode, false);
    }

    /** Runs the playbooks; quiet runs only record their events (the check before applying a saved plan). */
    Engine.Result execute(Mode mode, boolean quiet) {
        return execute(mode, quiet, e -> { });
    }

    /** extra: also sees every event (render collects its files there). */
    Engine.Result execute(Mode mode, boolean quiet, EventSink extra) {
        return execute(mode, quiet, extra, inputs.request.limit());
    }

    /** Runs on the hosts limit selects (a saved plan's apply narrows its own limit to the hosts it accepts). */
    Engine.Result execute(Mode mode, boolean quiet, EventSink extra, String limit) {
        return execute(mode, quiet, extra, limit, null);
    }

    /** locks: non-null to take the hosts' locks (in a plan too) and keep them held after the run. */
    Engine.Result execute(Mode mode, boolean quiet, EventSink extra, String limit, HeldLocks locks) {
        lastRecord = new RunRecord();
        EventSink recorded = quiet ? lastRecord : RunRecord.tee(reporter, lastRecord);
        EventSink sink = e -> {
            extra.emit(e);
            recorded.emit(e);
        };
        sink.emit(new Event.RunStarted(mode, playbooks.stream().map(p -> p.file().toString()).toList()));
        int hosts = inventory.hosts().size();
        int forks = run.forks != null ? run.forks : Math.max(1, Math.min(hosts, MAX_DEFAULT_FORKS));
        Engine engine = new Engine(inventory, playbooks, modules, templates, new RoutingConnector(connector), secrets, sink,
                new Engine.Options(mode, limit, new LinkedHashSet<>(run.tags), new LinkedHashSet<>(run.skipTags),
                        extraVars, forks, Duration.ofSeconds(run.commandTimeout), Duration.ofSeconds(run.lockTimeout)));
        if (locks != null) engine.keepingLocks(locks);
        long start = System.nanoTime();
        Engine.Result result;
        try {
            result = engine.run();
        } catch (RuntimeException e) {
            throw secrets.redact(e); // error output and RIG_DEBUG stack traces see only the masked copy
        }
        if (run.stats) printStats(mode, (System.nanoTime() - start) / 1_000_000);
        return result;
    }

    /** One line a benchmark script can parse: the figures that speed goals are measured by. */
    private void printStats(Mode mode, long wallMillis) {
        IntSummaryStatistics channels = (connector == null ? Map.<String, Integer>of() : connector.channelsPerHost()).values().stream().mapToInt(Integer::intValue).summaryStatistics();
        long peakHeap = ManagementFactory.getMemoryPoolMXBeans().stream()
                .filter(p -> p.getType() == MemoryType.HEAP)
                .mapToLong(p -> p.getPeakUsage().getUsed()).sum();
        long rss = residentKib();
        err.printf("rig-stats mode=%s hosts=%d wall_ms=%d channels_per_host_min=%d channels_per_host_max=%d channels_total=%d peak_heap_mib=%.1f rss_mib=%.1f%n",
                mode, channels.getCount(), wallMillis, channels.getCount() == 0 ? 0 : channels.getMin(),
                channels.getCount() == 0 ? 0 : channels.getMax(), channels.getSum(), peakHeap / 1048576.0, rss / 1024.0);
        err.flush();
    }

    /** Peak resident set size of this process (VmHWM), in KiB; 0 where /proc is not there. */
    private static long residentKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        } catch (java.io.IOException | NumberFormatException e) {
            return 0;
        }
        return 0;
    }

    SshConnector connector() {
        return connector;
    }

    /** sha256 of every input file: playbooks, roles, task files, templates, vars files, the inventory. */
    Map<String, String> inputDigests() {
        return inputs.fileDigests();
    }

    /** What the last execute() planned, as a plan (unmasked: mask it before it leaves memory). */
    Plan plan(String rigVersion, Instant createdAt) {
        Inputs.Request request = inputs.request;
        Plan.Inputs planned = Plan.Inputs.of(request.inventory().toAbsolutePath().normalize().toString(),
                request.playbooks().stream().map(p -> p.toAbsolutePath().normalize().toString()).toList(), request.limit(),
                run.tags, run.skipTags, extraVars, secrets);
        List<HostPlan> hosts = lastRecord.recaps().stream().map(rc -> RunPlans.host(rc, lastRecord.tasks(rc.host()))).toList();
        return new Plan(rigVersion, createdAt, planned, inputDigests(), hosts);
    }

    /** What applying a reviewed plan did: which hosts it accepted and refused, and the apply's result (null when none was accepted). */
    record ReviewedApply(Plan.Verdict verdict, Engine.Result result) {}

    /**
     * Applies a reviewed plan and nothing else. Every host is read again under its lock, and the fresh plan held
     * to the reviewed one; the hosts that match are applied while the same locks are still held, so no other run
     * can change a host between this check and its apply. A host that changed since the review is refused, naming
     * its first task that differs; the others go on.
     */
    ReviewedApply applyReviewed(Plan reviewed, HostPlan.Reviewed how, boolean onlyChanges) {
        try (HeldLocks locks = new HeldLocks()) {
            execute(Mode.PLAN, true, e -> { }, inputs.request.limit(), locks);
            Plan now = plan(reviewed.rigVersion(), Instant.now());
            Plan.Verdict verdict = reviewed.check(now.hosts(), how, onlyChanges);
            if (verdict.accepted().isEmpty()) return new ReviewedApply(verdict, null);
            return new ReviewedApply(verdict, execute(Mode.APPLY, false, e -> { }, String.join(":", verdict.accepted()), locks));
        }
    }

    /** Every event of the last execute(), per host. */
    RunRecord record() {
        return lastRecord;
    }

    @Override
    public void close() {
        if (connector != null) connector.close();
    }
}

package dev.rig.cli;

import dev.rig.apply.Engine;
import dev.rig.apply.Event;
import dev.rig.apply.EventSink;
import dev.rig.apply.Mode;
import dev.rig.apply.RoutingConnector;
import dev.rig.apply.SshConnector;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Secrets;
import dev.rig.core.Source;
import dev.rig.inventory.Host;
import dev.rig.inventory.Inventory;
import dev.rig.inventory.InventoryLoader;
import dev.rig.modules.Modules;
import dev.rig.playbook.Play;
import dev.rig.playbook.Playbook;
import dev.rig.playbook.PlaybookLoader;
import dev.rig.report.HumanReporter;
import dev.rig.report.JsonReporter;
import dev.rig.ssh.HostKeyPolicy;

import java.io.PrintWriter;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryType;
import java.util.IntSummaryStatistics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
    final Modules modules = new Modules();
    final dev.rig.template.Templates templates = new dev.rig.template.Templates();
    final Secrets secrets = new Secrets();
    final Map<String, Object> extraVars;
    private final Options.InventoryOptions inv;
    private final Options.RunOptions run;
    private final SshConnector connector;
    private final EventSink sink;
    private final PrintWriter err;

    Runner(Options.InventoryOptions inv, Options.RunOptions run, Options.SshOptions ssh, List<Path> playbookFiles, PrintWriter out, PrintWriter err) {
        this.err = err;
        this.inv = inv;
        this.run = run;
        // Validation before contact: inventory, extra vars, playbooks, roles, templates, limit.
        List<dev.rig.core.InputError> errors = new ArrayList<>();
        Inventory loaded = null;
        try {
            loaded = InventoryLoader.load(inv.inventory);
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        Map<String, Object> extra = Map.of();
        try {
            extra = ExtraVars.parse(run.extraVars);
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        List<Playbook> pbs = List.of();
        try {
            pbs = PlaybookLoader.loadAll(playbookFiles, modules, templates);
        } catch (InvalidInputException e) {
            errors.addAll(e.errors());
        }
        if (loaded != null && inv.limit != null && loaded.select(inv.limit).isEmpty()) {
            errors.add(new dev.rig.core.InputError(new Source("--limit " + inv.limit, 0, 0), "matches no host in " + inv.inventory));
        }
        if (!errors.isEmpty()) throw new InvalidInputException(errors);
        this.inventory = loaded;
        this.playbooks = pbs;
        this.extraVars = extra;
        secrets.collect(extra);
        for (Host h : inventory.hosts()) secrets.collect(h.vars());
        for (Playbook pb : pbs) for (Play p : pb.plays()) secrets.collect(p.vars());
        Path knownHosts = ssh.knownHosts != null ? ssh.knownHosts : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
        this.connector = new SshConnector(knownHosts, ssh.acceptNew ? HostKeyPolicy.ACCEPT_NEW : HostKeyPolicy.STRICT,
                ssh.user, ssh.privateKey, Duration.ofSeconds(ssh.connectTimeout));
        boolean tty = System.console() != null && !"dumb".equals(System.getenv("TERM"));
        this.sink = run.json ? new JsonReporter(out, secrets) : new HumanReporter(out, secrets, tty);
    }

    Engine.Result execute(Mode mode) {
        sink.emit(new Event.RunStarted(mode, playbooks.stream().map(p -> p.file().toString()).toList()));
        int hosts = inventory.hosts().size();
        int forks = run.forks != null ? run.forks : Math.max(1, Math.min(hosts, MAX_DEFAULT_FORKS));
        Engine engine = new Engine(inventory, playbooks, modules, templates, new RoutingConnector(connector), secrets, sink,
                new Engine.Options(mode, inv.limit, new LinkedHashSet<>(run.tags), new LinkedHashSet<>(run.skipTags),
                        extraVars, forks, Duration.ofSeconds(run.commandTimeout)));
        long start = System.nanoTime();
        Engine.Result result = engine.run();
        if (run.stats) printStats(mode, (System.nanoTime() - start) / 1_000_000);
        return result;
    }

    /** One line a benchmark script can parse: the figures that speed goals are measured by. */
    private void printStats(Mode mode, long wallMillis) {
        IntSummaryStatistics channels = connector.channelsPerHost().values().stream().mapToInt(Integer::intValue).summaryStatistics();
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

    static List<Path> existing(List<Path> files) {
        for (Path f : files) {
            if (!Files.exists(f)) throw new InvalidInputException(new Source(f.toString(), 0, 0), "playbook not found");
        }
        return files;
    }

    @Override
    public void close() {
        connector.close();
    }
}

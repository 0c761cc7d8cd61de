package dev.rig.cli;

import dev.rig.apply.Engine;
import dev.rig.apply.Event;
import dev.rig.apply.Status;
import dev.rig.report.RunRecord;
import dev.rig.apply.HostRecap;
import dev.rig.apply.Mode;
import dev.rig.apply.RoutingConnector;
import dev.rig.apply.SshConnector;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import dev.rig.inventory.Host;
import dev.rig.inventory.Inventory;
import dev.rig.load.Inputs;
import dev.rig.stack.BackupDirectory;
import dev.rig.stack.CentralRestore;
import dev.rig.stack.StackFleet;
import dev.rig.stack.StackVerify;
import dev.rig.ssh.SshException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.io.IOException;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Rebuilds the central server on another host of the inventory: that host becomes group central (in
 * memory, for this run), gets Docker, the latest backup restored into the stack's volumes and the
 * central stack; every edge is re-rendered and re-converged, which rewrites its hosts file in place so the
 * running agent and shipper resolve central's name to the new address (no restart: they send what they
 * buffered); the firewalls follow (the new droplet); then rig verify runs until every edge's samples
 * scraped after the start arrive, and the time to that is the recovery time (RTO). The old central is
 * never contacted. --plan shows all of it and changes nothing.
 */
@Command(name = "recover", description = "Rebuild central on another host: Docker, the backup restored, the stack, every edge re-pointed, the firewalls, then rig verify; prints the RTO.")
final class RecoverCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Options.InventoryOptions inventory;
    @Mixin Options.RunOptions run;
    @Mixin Options.SshOptions ssh;

    @Parameters(index = "0", paramLabel = "central", description = "What to recover: central")
    String what;

    @Option(names = "--to", required = true, paramLabel = "HOST", description = "The inventory host that becomes central")
    String to;

    @Option(names = "--from-backup", paramLabel = "DIR", description = "A backup made by rig backup central, or the directory holding them (the newest is used)")
    Path fromBackup;

    @Option(names = "--no-backup", description = "Recover without data: a central that starts empty (say so explicitly)")
    boolean noBackup;

    @Option(names = "--plan", description = "Show what recovery would do on every host and in the API; change nothing")
    boolean plan;

    @Option(names = "--playbooks", paramLabel = "DIR", defaultValue = "playbooks", description = "Where central.yml, edge.yml and firewalls.yml are. Default: ${DEFAULT-VALUE}")
    Path playbookDir;

    @Option(names = "--within", paramLabel = "DURATION", defaultValue = "2m", description = "rig verify's freshness window. Default: ${DEFAULT-VALUE}")
    String within;

    @Option(names = "--log-timeout", paramLabel = "DURATION", defaultValue = "60s", description = "rig verify's wait for each log canary. Default: ${DEFAULT-VALUE}")
    String logTimeout;

    @Option(names = "--diff", description = "Print every task and the full diff of every file it writes (by default: a summary per host and step, the rest in a file)")
    boolean diff;

    @Option(names = "--verify-timeout", paramLabel = "DURATION", defaultValue = "10m", description = "How long to retry rig verify after the deploy. Default: ${DEFAULT-VALUE}")
    String verifyTimeout;

    @Override
    public Integer call() {
        if (!"central".equals(what)) throw new InvalidInputException(new Source("rig recover " + what, 0, 0), "only 'central' can be recovered");
        PrintWriter out = spec.commandLine().getOut();
        Inventory current = dev.rig.inventory.InventoryLoader.load(inventory.inventory);
        String old = current.select("central").stream().map(Host::name).findFirst().orElse("(none)");
        if (current.host(to).isEmpty()) {
            throw new InvalidInputException(new Source("--to " + to, 0, 0), "is not in the inventory " + inventory.inventory + ": add the new host (hosts.yml or a droplet) first");
        }
        if (to.equals(old)) throw new InvalidInputException(new Source("--to " + to, 0, 0), "is central already");
        if ((fromBackup == null) == !noBackup) {
            throw new InvalidInputException(new Source("rig recover central", 0, 0), fromBackup == null
                    ? "give --from-backup DIR (a backup of rig backup central, or the directory holding them), or --no-backup to start central empty"
                    : "--from-backup and --no-backup exclude each other");
        }
        BackupDirectory backup = fromBackup == null ? null : BackupDirectory.find(fromBackup);
        Duration verifyWait = Options.duration("--verify-timeout", verifyTimeout);
        List<Path> playbooks = List.of(playbookDir.resolve("central.yml"), playbookDir.resolve("edge.yml"), playbookDir.resolve("firewalls.yml"));
        // The new central, in memory for this run: every load below sees it in group central.
        Inputs.Request request = inventory.request(run.extraVars, playbooks).withRegroup(Map.of("central", List.of(to)));
        List<String> central = dev.rig.inventory.InventoryLoader.load(inventory.inventory, request.regroup()).select("central").stream().map(Host::name).toList();
        if (!central.equals(List.of(to))) {
            throw new InvalidInputException(new Source(inventory.inventory.toString(), 0, 0), "pattern 'central' would mean " + central
                    + ", not just " + to + ": a host named like the group makes it ambiguous; rename that host");
        }
        // rig verify ends the recovery: its settings are checked before any host is touched, not after the rebuild.
        List<dev.rig.core.InputError> missing = StackVerify.settingsErrors(request);
        if (!missing.isEmpty()) throw new InvalidInputException(missing);

        long start = System.nanoTime();
        Instant started = Instant.now();
        out.println("RECOVER central: " + old + " → " + to + (backup == null ? ", no backup to restore" : ", restoring backup " + backup.dir()));
        if (plan) {
            try (Runner r = new Runner(request, run, ssh, out, spec.commandLine().getErr())) {
                Engine.Result result = r.execute(Mode.PLAN);
                out.println();
                out.println("Then, on " + to + ": " + (backup == null ? "nothing to restore" : "restore " + String.join(", ", BackupDirectory.ARCHIVES)
                        + " into the stack's volumes, before the stack starts") + "; then rig verify until every signal is ok.");
                out.println("Nothing was changed (--plan).");
                return result.problems() ? Main.ERROR : Main.OK;
            }
        }
        try (Report report = Report.open(diff || run.json, out)) {
            boolean changedAny = false;
            Inputs.Request centralOnly = request.withPlaybooks(List.of(playbookDir.resolve("central.yml")));
            try (Runner docker = report.runner(centralOnly, run.withTags(List.of("docker")), ssh, spec.commandLine().getErr())) {
                report.step("Docker on " + to);
                Engine.Result result = docker.execute(Mode.APPLY);
                changedAny |= report.summary(docker.record(), to, true);
                if (result.problems()) return failed(out, "Docker could not be installed on " + to);
                if (backup != null) {
                    report.step("restore " + backup.dir().getFileName() + " on " + to);
                    try {
                        String restored = restore(centralOnly, backup);
                        out.println("  " + restored);
                        changedAny |= !restored.contains(CentralRestore.NOTHING_RESTORED);
                    } catch (SshException e) {
                        return failed(out, "restoring the backup on " + to + " failed: " + e.getMessage());
                    }
                }
            }
            try (Runner stack = report.runner(request, run, ssh, spec.commandLine().getErr())) {
                report.step("the central stack on " + to + ", every edge re-pointed, the firewalls");
                Engine.Result result = stack.execute(Mode.APPLY);
                changedAny |= report.summary(stack.record(), to, false);
                if (result.problems()) return failed(out, "the deploy failed on some host (see above)");
            }
            if (changedAny) {
                out.println("\nIf monitoring_domain still points at " + old + ", point it at " + to + " now: HTTPS edges, Caddy's certificates and Grafana follow it.");
            }
            report.step("rig verify until every edge's samples scraped since " + started + " arrive (at most " + verifyTimeout + ")");
            // Errors too are retried: the new central's services may not answer yet. Each attempt's table goes to the report
            // file; the last one is printed. Samples count only when scraped after the start: restored ones prove nothing.
            String[] last = {""};
            int code = StackVerify.untilOk(verifyWait, any -> true, () -> {
                java.io.StringWriter table = new java.io.StringWriter();
                int c = StackCommands.verify(request, ssh, within, logTimeout, Optional.of(started), run.json, null, null, new PrintWriter(table));
                last[0] = table.toString();
                report.attempt(last[0]);
                return c;
            });
            long rto = (System.nanoTime() - start) / 1_000_000;
            out.print(last[0]);
            out.println();
            if (code != Main.OK) {
                out.println("RECOVERY INCOMPLETE: central runs on " + to + " but rig verify still fails after " + verifyTimeout + " (see above).");
                return code;
            }
            if (!changedAny) {
                out.println("Nothing to recover: central already runs on " + to + ", every edge points at it and its data arrives.");
                return Main.OK;
            }
            out.printf("RTO %s: central recovered on %s, from the start to a sample scraped after it from every edge, verified.%n", human(rto), to);
            out.println("Make it permanent: in " + inventory.inventory + ", put " + to + " in group central and take " + old
                    + " out (for droplets: give " + to + " the central tag), so later runs keep the edges pointed at " + to + ".");
            return Main.OK;
        }
    }

    /**
     * What recover prints: a step header and a summary per host; every task line and full diff go to a file (or, with --diff,
     * here), since a recovery is read under stress and a new central's dashboards alone are thousands of lines.
     */
    static final class Report implements AutoCloseable {
        private static final int NAMES = 6;
        private final PrintWriter out;
        private final PrintWriter full;
        private final Path file;

        private Report(PrintWriter out, PrintWriter full, Path file) {
            this.out = out;
            this.full = full;
            this.file = file;
        }

        static Report open(boolean inline, PrintWriter out) {
            if (inline) return new Report(out, out, null);
            try {
                Path file = Files.createTempFile("rig-recover-", ".log", java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                        java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
                out.println("Every task and full diff: " + file + " (--diff prints them here)");
                return new Report(out, new PrintWriter(Files.newBufferedWriter(file), true), file);
            } catch (IOException e) {
                out.println("cannot write the full report to a file (" + e.getMessage() + "): printing it here");
                return new Report(out, out, null);
            }
        }

        Runner runner(Inputs.Request request, Options.RunOptions run, Options.SshOptions ssh, PrintWriter err) {
            return new Runner(request, run, ssh, full, err, file != null);
        }

        void step(String what) {
            out.println("\n==> " + what);
            if (full != out) full.println("\n==> " + what);
            out.flush();
        }

        void attempt(String table) {
            if (full != out) {
                full.print(table);
                full.flush();
            }
            table.lines().filter(l -> l.matches("\\d+ of \\d+ signals ok.*")).findFirst()
                    .ifPresent(l -> out.println("  " + l.replaceAll(", [0-9.]+ s$", "")));
            out.flush();
        }

        /** One line per host of the run; returns whether anything changed. */
        boolean summary(RunRecord record, String newCentral, boolean dockerOnly) {
            boolean changed = false;
            int width = record.recaps().stream().mapToInt(r -> r.host().length()).max().orElse(4);
            for (HostRecap r : record.recaps()) {
                String role = r.host().equals(newCentral) ? "new central" : r.host().equals("localhost") ? "firewalls" : "edge";
                String head = String.format("  %-" + width + "s  %-11s  ", r.host(), role);
                List<Event.TaskDone> tasks = record.tasks(r.host());
                if (r.hasProblem()) {
                    out.println(head + "FAILED");
                    for (Event.TaskDone t : tasks) {
                        if (t.status() == Status.FAILED || t.status() == Status.UNREACHABLE) out.println("      " + t.task() + ": " + t.message());
                    }
                    if (tasks.stream().noneMatch(t -> t.status() == Status.FAILED) && r.failure() != null) out.println("      " + r.failure());
                } else if (r.changed() > 0) {
                    changed = true;
                    List<String> names = tasks.stream().filter(t -> t.status() == Status.CHANGED).map(t -> (t.handler() ? "handler: " : "") + t.task()).distinct().toList();
                    out.println(head + r.changed() + " changed: " + String.join(", ", names.subList(0, Math.min(NAMES, names.size())))
                            + (names.size() > NAMES ? " and " + (names.size() - NAMES) + " more" : ""));
                } else if (r.ok() == 0) {
                    out.println(head + "skipped (no task selected" + (dockerOnly ? "" : ": --tags/--skip-tags") + ")");
                } else {
                    out.println(head + "up to date");
                }
            }
            out.flush();
            return changed;
        }

        @Override
        public void close() {
            if (full != out) full.close();
        }
    }

    /** The backup into the new central's stack volumes (dev.rig.stack.CentralRestore). */
    private String restore(Inputs.Request centralOnly, BackupDirectory backup) throws SshException {
        StackFleet fleet = StackFleet.load(centralOnly);
        try (SshConnector sshConnector = new SshConnector(ssh.settings(), ssh.user, ssh.privateKey)) {
            return CentralRestore.restore(fleet, new RoutingConnector(sshConnector), backup);
        }
    }

    private static int failed(PrintWriter out, String why) {
        out.println("\nRECOVERY FAILED: " + why + ". Fix it and run the same command again: what is done stays done.");
        return Main.ERROR;
    }

    private static String human(long millis) {
        long s = Math.round(millis / 1000.0);
        return s < 60 ? s + "s" : (s / 60) + "m" + (s % 60) + "s";
    }
}

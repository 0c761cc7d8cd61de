package dev.rig.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rig.apply.Engine;
import dev.rig.apply.Event;
import dev.rig.apply.Status;
import dev.rig.report.RunRecord;
import dev.rig.apply.HostRecap;
import dev.rig.apply.Mode;
import dev.rig.apply.Remote;
import dev.rig.apply.RoutingConnector;
import dev.rig.apply.SshConnector;
import dev.rig.core.Digests;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Shell;
import dev.rig.core.Source;
import dev.rig.inventory.Host;
import dev.rig.inventory.Inventory;
import dev.rig.ssh.ExecResult;
import dev.rig.ssh.SshException;
import dev.rig.verify.CentralHttp;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Rebuilds the central server on another host of the inventory: that host becomes group central (in
 * memory, for this run), gets Docker, the latest backup restored into the stack's volumes and the
 * central stack; every edge is re-rendered and re-converged, which points it at the new central's
 * address; the firewalls follow (the new droplet); then rig verify runs until every signal is ok, and
 * the time from the start to that first verified sample is the recovery time (RTO). The old central is
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
        Inventory current = inventory.load();
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
        Backup backup = fromBackup == null ? null : Backup.find(fromBackup);
        Duration verifyWait = VerifyCommand.duration("--verify-timeout", verifyTimeout);
        List<Path> playbooks = List.of(playbookDir.resolve("central.yml"), playbookDir.resolve("edge.yml"), playbookDir.resolve("firewalls.yml"));
        inventory.regroup = Map.of("central", List.of(to));
        List<String> central = inventory.load().select("central").stream().map(Host::name).toList();
        if (!central.equals(List.of(to))) {
            throw new InvalidInputException(new Source(inventory.inventory.toString(), 0, 0), "pattern 'central' would mean " + central
                    + ", not just " + to + ": a host named like the group makes it ambiguous; rename that host");
        }

        long start = System.nanoTime();
        Instant started = Instant.now();
        out.println("RECOVER central: " + old + " → " + to + (backup == null ? ", no backup to restore" : ", restoring backup " + backup.dir()));
        if (plan) {
            try (Runner r = new Runner(inventory, run, ssh, playbooks, out, spec.commandLine().getErr())) {
                Engine.Result result = r.execute(Mode.PLAN);
                out.println();
                out.println("Then, on " + to + ": " + (backup == null ? "nothing to restore" : "restore " + String.join(", ", BackupCommand.ARCHIVES)
                        + " into the stack's volumes, before the stack starts") + "; then rig verify until every signal is ok.");
                out.println("Nothing was changed (--plan).");
                return result.problems() ? Main.ERROR : Main.OK;
            }
        }
        try (Report report = Report.open(diff || run.json, out)) {
            boolean changedAny = false;
            try (Runner docker = report.runner(inventory, run.withTags(List.of("docker")), ssh, List.of(playbookDir.resolve("central.yml")), spec.commandLine().getErr())) {
                report.step("Docker on " + to);
                Engine.Result result = docker.execute(Mode.APPLY);
                changedAny |= report.summary(docker.record(), to, true);
                if (result.problems()) return failed(out, "Docker could not be installed on " + to);
                if (backup != null) {
                    report.step("restore " + backup.dir().getFileName() + " on " + to);
                    try {
                        String restored = restore(backup);
                        out.println("  " + restored);
                        changedAny |= !restored.contains(NOTHING_RESTORED);
                    } catch (SshException e) {
                        return failed(out, "restoring the backup on " + to + " failed: " + e.getMessage());
                    }
                }
            }
            try (Runner stack = report.runner(inventory, run, ssh, playbooks, spec.commandLine().getErr())) {
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
            int code = VerifyCommand.untilOk(verifyWait, any -> true, () -> {
                java.io.StringWriter table = new java.io.StringWriter();
                int c = VerifyCommand.verify(inventory, ssh, run.extraVars, playbooks, within, logTimeout, Optional.of(started), run.json, null, null,
                        new PrintWriter(table));
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

    static final String NOTHING_RESTORED = "was restored here before: nothing to do";

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

        Runner runner(Options.InventoryOptions inventory, Options.RunOptions run, Options.SshOptions ssh, List<Path> playbooks, PrintWriter err) {
            return new Runner(inventory, run, ssh, playbooks, full, err, file != null);
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

    /** Uploads the archives to the new central and unpacks them into the stack's volumes, once (a marker makes a second run a no-op). */
    private String restore(Backup backup) throws SshException {
        StackFleet fleet = StackFleet.load(inventory, run.extraVars, List.of(playbookDir.resolve("central.yml")));
        try (SshConnector sshConnector = new SshConnector(ssh.settings(), ssh.user, ssh.privateKey)) {
            RoutingConnector connector = new RoutingConnector(sshConnector);
            Remote remote = connector.connect(fleet.centralHost);
            ExecResult stage = remote.exec("mktemp -d /var/tmp/rig-restore.XXXXXX", null, Duration.ofSeconds(30));
            if (stage.exitCode() != 0) throw new SshException(SshException.Kind.CHANNEL, "cannot make a staging directory: " + stage.err().strip());
            String dir = stage.out().strip();
            try {
                for (String archive : BackupCommand.ARCHIVES) remote.upload(backup.dir().resolve(archive), dir + "/" + archive);
                // Each archive is restored once, marked by the backup's digest: a rerun after a failure finishes what is left,
                // and a rerun after success (or the same backup under another name) restores nothing.
                String key = Digests.sha256(backup.sumsText()).substring(0, 16);
                String script = """
                        set -eu
                        stage=%s
                        cd "$stage" && printf '%%s\\n' %s | sha256sum -c --quiet -
                        %s
                        key=%s
                        done_any=
                        if [ ! -e "$prom/.rig-restored-$key" ]; then
                          unpack=$(mktemp -d "$prom/.rig-restore.XXXXXX")
                          tar -C "$unpack" -xzf "$stage/prometheus-snapshot.tar.gz"
                          for b in "$unpack"/%s/*; do [ -e "$b" ] && { [ -e "$prom/${b##*/}" ] || mv "$b" "$prom"/; }; done
                          rm -rf -- "$unpack"
                          # the official image runs Prometheus as nobody; a volume filled by root would not open
                          [ -n "$prom_dir" ] || chown -R 65534:65534 "$prom"
                          touch "$prom/.rig-restored-$key"; done_any=1; echo "Prometheus blocks into $prom"
                        fi
                        if [ ! -e "$graf/.rig-restored-$key" ]; then tar -C "$graf" -xzf "$stage/grafana-data.tar.gz"; touch "$graf/.rig-restored-$key"; done_any=1; echo "Grafana data into $graf"; fi
                        if [ ! -e "$caddy/.rig-restored-$key" ]; then tar -C "$caddy" -xzf "$stage/caddy-data.tar.gz"; touch "$caddy/.rig-restored-$key"; done_any=1; echo "Caddy data into $caddy"; fi
                        [ -n "$done_any" ] || echo %s
                        """.formatted(Shell.quote(dir), String.join(" ", backup.sumsText().strip().lines().map(Shell::quote).toList()),
                        fleet.centralDataDirs(true), Shell.quote(key), Shell.quote(backup.snapshot()), Shell.quote(NOTHING_RESTORED));
                ExecResult r = StackFleet.run(connector, fleet.centralHost, remote, script, Duration.ofHours(1));
                if (r.exitCode() != 0) throw new SshException(SshException.Kind.CHANNEL, "unpacking failed (" + r.exitCode() + "): " + (r.err() + r.out()).strip());
                return "backup " + backup.name() + ": " + String.join("; ", r.out().strip().lines().toList());
            } finally {
                StackFleet.run(connector, fleet.centralHost, remote, "rm -rf -- " + Shell.quote(dir), Duration.ofSeconds(60));
            }
        }
    }

    /** A backup written by rig backup central, checked against its SHA256SUMS before anything is contacted. */
    record Backup(Path dir, String name, String snapshot, String sumsText) {
        static Backup find(Path given) {
            Path dir = Files.isRegularFile(given.resolve(BackupCommand.MANIFEST)) ? given : newest(given);
            try {
                JsonNode manifest = CentralHttp.JSON.readTree(dir.resolve(BackupCommand.MANIFEST).toFile());
                String sums = Files.readString(dir.resolve(BackupCommand.SUMS));
                for (String line : sums.strip().split("\n")) {
                    String[] f = line.split("\\s+", 2);
                    if (f.length != 2 || !Digests.sha256(dir.resolve(f[1])).equals(f[0])) {
                        throw new InvalidInputException(new Source(dir.resolve(BackupCommand.SUMS).toString(), 0, 0), "does not match " + (f.length == 2 ? f[1] : line) + ": the backup is damaged");
                    }
                }
                String snapshot = manifest.path("prometheus_snapshot").asText("");
                if (!snapshot.matches("[A-Za-z0-9-]+")) throw new InvalidInputException(new Source(dir.resolve(BackupCommand.MANIFEST).toString(), 0, 0), "names no Prometheus snapshot");
                return new Backup(dir, dir.getFileName().toString(), snapshot, sums);
            } catch (IOException e) {
                throw new InvalidInputException(new Source(dir.toString(), 0, 0), "is not a readable backup of rig backup central: " + e.getMessage());
            }
        }

        private static Path newest(Path root) {
            try {
                List<Path> backups = BackupCommand.complete(root);
                if (backups.isEmpty()) throw new InvalidInputException(new Source("--from-backup " + root, 0, 0), "holds no backup made by rig backup central");
                return backups.get(backups.size() - 1);
            } catch (IOException e) {
                throw new InvalidInputException(new Source("--from-backup " + root, 0, 0), "cannot be read: " + e.getMessage());
            }
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

package dev.rig.stack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.apply.Remote;
import dev.rig.apply.RoutingConnector;
import dev.rig.core.Digests;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Shell;
import dev.rig.core.Source;
import dev.rig.core.Trees;
import dev.rig.ssh.ExecResult;
import dev.rig.ssh.SshException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Backs up the central server to the operator's machine: a Prometheus TSDB snapshot (admin API, through
 * an SSH forward to its VPC address), Grafana's data and Caddy's certificates, archived on central,
 * pulled over SFTP, checked against the sums central computed, and kept as DIR/&lt;UTC time&gt;/ in the
 * format of {@link BackupDirectory}. A backup appears only when complete (written under a temporary name,
 * then renamed); the newest keep backups are kept. Safe to schedule: each run is a new backup and
 * leaves nothing behind on central.
 */
public final class CentralBackup {
    /** What a backup run made: the backup, a line describing its archives, the older backups it removed. */
    public record Made(Path dir, String description, List<Path> removed) {}

    private final Path to;
    private final int keep;

    public CentralBackup(Path to, int keep) {
        if (keep < 1) throw new InvalidInputException(new Source("--keep " + keep, 0, 0), "keep at least 1 backup");
        this.to = to;
        this.keep = keep;
    }

    public Made run(StackFleet fleet, RoutingConnector connector) throws SshException, CentralHttp.CentralException {
        String central = fleet.centralHost.name();
        Remote remote = connector.connect(fleet.centralHost);
        String snapshot = snapshot(fleet, remote);
        Staged staged = stage(fleet, connector, remote, snapshot);
        Path done;
        try {
            done = pull(remote, staged, central, snapshot);
        } finally {
            StackFleet.run(connector, fleet.centralHost, remote, "rm -rf -- " + Shell.quote(staged.dir()), Duration.ofSeconds(60),
                    "removing the backup's staging directory " + staged.dir());
        }
        return new Made(done, describe(done), prune());
    }

    /** Asks Prometheus for a TSDB snapshot (head included) through an SSH forward to its VPC address; returns its name. */
    private static String snapshot(StackFleet fleet, Remote remote) throws SshException, CentralHttp.CentralException {
        String c = fleet.centralHost.name();
        String address = fleet.string(c, "monitoring_central_address");
        if (address.isBlank()) throw new InvalidInputException(new Source(c, 0, 0), "central has no monitoring_central_address (private_ip): Prometheus's admin API is reached there");
        InetSocketAddress local = remote.forward(address, Integer.parseInt(fleet.string(c, "monitoring_prometheus_port")));
        CentralHttp prometheus = new CentralHttp("Prometheus (" + address + " through an SSH forward via " + c + ")", "http://" + local.getHostString() + ":" + local.getPort(),
                Optional.empty(), Optional.empty(), Optional.empty());
        CentralHttp.Answer a = prometheus.post("/api/v1/admin/tsdb/snapshot", Duration.ofMinutes(10));
        if (a.status() != 200) {
            throw new CentralHttp.CentralException("Prometheus refused the snapshot (" + a.status() + "): " + CentralHttp.abbreviate(a.body())
                    + (a.status() == 404 || a.status() == 405 ? "; is it started with --web.enable-admin-api (prometheus_admin_api)?" : ""));
        }
        try {
            String name = CentralHttp.JSON.readTree(a.body()).path("data").path("name").asText("");
            if (!name.matches("[A-Za-z0-9-]+")) throw new CentralHttp.CentralException("Prometheus answered the snapshot with no usable name: " + CentralHttp.abbreviate(a.body()));
            return name;
        } catch (IOException e) {
            throw new CentralHttp.CentralException("Prometheus's snapshot answer is not JSON: " + CentralHttp.abbreviate(a.body()));
        }
    }

    /** The archives, made on central in a staging directory, with central's sha256 of each. */
    record Staged(String dir, Map<String, String> sums) {}

    private static Staged stage(StackFleet fleet, RoutingConnector connector, Remote remote, String snapshot) throws SshException {
        String c = fleet.centralHost.name();
        String project = fleet.string(c, "monitoring_central_project");
        String script = """
                set -eu
                %s
                snap=%s
                stage=
                paused=
                # Whatever happens, the snapshot (hard links into the TSDB) goes; the staging directory stays only on success.
                cleanup() { rm -rf -- "$prom/snapshots/$snap"; [ -z "$paused" ] || docker unpause "$paused" >/dev/null 2>&1 || true; }
                trap 'status=$?; cleanup; [ $status -eq 0 ] || { [ -z "$stage" ] || rm -rf -- "$stage"; }' EXIT
                [ -d "$prom/snapshots/$snap" ] || { echo "snapshot $snap is not in $prom/snapshots" >&2; exit 1; }
                stage=$(mktemp -d /var/tmp/rig-backup.XXXXXX)
                chmod 700 "$stage"
                tar -C "$prom/snapshots" -czf "$stage/prometheus-snapshot.tar.gz" "$snap"
                # Grafana's SQLite file is read with Grafana paused, so the copy is consistent.
                if command -v docker >/dev/null 2>&1; then
                  paused=$(docker ps -q --filter label=com.docker.compose.project=%s --filter label=com.docker.compose.service=grafana 2>/dev/null | head -n 1)
                  [ -z "$paused" ] || docker pause "$paused" >/dev/null
                fi
                tar -C "$graf" -czf "$stage/grafana-data.tar.gz" .
                [ -z "$paused" ] || { docker unpause "$paused" >/dev/null; paused=; }
                tar -C "$caddy" -czf "$stage/caddy-data.tar.gz" .
                # Alertmanager's silences and notification log
                tar -C "$am" -czf "$stage/alertmanager-data.tar.gz" .
                # the download runs as the login user, which may not be the user this ran as (become)
                chown -R %s "$stage"
                echo "stage=$stage"
                cd "$stage" && sha256sum -- *.tar.gz | sed 's/^/sum=/'
                """.formatted(fleet.centralDataDirs(false), Shell.quote(snapshot), Shell.quote(project), Shell.quote(connector.loginUser(fleet.centralHost)));
        ExecResult r = StackFleet.run(connector, fleet.centralHost, remote, script, Duration.ofHours(1),
                "packing central's data for the backup (Prometheus snapshot " + snapshot + ", Grafana, Caddy, Alertmanager)");
        String stage = null;
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : r.out().split("\n")) {
            if (line.startsWith("stage=")) stage = line.substring(6);
            if (line.startsWith("sum=")) {
                String[] f = line.substring(4).trim().split("\\s+\\*?", 2);
                sums.put(f[1], f[0]);
            }
        }
        if (r.exitCode() != 0) throw new SshException(SshException.Kind.CHANNEL, "archiving on central failed (" + r.exitCode() + "): " + r.err().strip());
        if (stage == null || !sums.keySet().containsAll(BackupDirectory.ARCHIVES)) throw new SshException(SshException.Kind.CHANNEL, "archiving on central said: " + r.out().strip());
        return new Staged(stage, sums);
    }

    /** Downloads into DIR/.partial-STAMP, checks every sum, writes SHA256SUMS and the manifest, renames to DIR/STAMP. */
    private Path pull(Remote remote, Staged staged, String central, String snapshot) throws SshException {
        Instant now = Instant.now();
        String name = BackupDirectory.STAMP.format(now);
        Path partial = to.resolve(".partial-" + name);
        try {
            // Backups hold Caddy's TLS and ACME private keys and Grafana's database: readable by the operator only.
            Files.createDirectories(to, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Files.createDirectory(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            StringBuilder sums = new StringBuilder();
            ObjectNode manifest = CentralHttp.JSON.createObjectNode();
            manifest.put("central", central);
            manifest.put("time", now.toString());
            manifest.put("prometheus_snapshot", snapshot);
            ArrayNode files = manifest.putArray("files");
            for (String archive : BackupDirectory.ARCHIVES) {
                Path local = partial.resolve(archive);
                long size = remote.download(staged.dir() + "/" + archive, local);
                String sum = Digests.sha256(local);
                if (!sum.equals(staged.sums().get(archive))) {
                    throw new SshException(SshException.Kind.CHANNEL, archive + " arrived with sha256 " + sum + ", central computed " + staged.sums().get(archive));
                }
                sums.append(sum).append("  ").append(archive).append('\n');
                files.addObject().put("name", archive).put("bytes", size).put("sha256", sum);
            }
            for (String archive : BackupDirectory.ARCHIVES) Files.setPosixFilePermissions(partial.resolve(archive), PosixFilePermissions.fromString("rw-------"));
            Files.writeString(partial.resolve(BackupDirectory.SUMS), sums);
            Files.writeString(partial.resolve(BackupDirectory.MANIFEST), CentralHttp.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(manifest) + "\n");
            Path done = to.resolve(name);
            Files.move(partial, done, StandardCopyOption.ATOMIC_MOVE);
            return done;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the backup in " + to + ": " + e.getMessage(), e);
        } finally {
            deleteTree(partial);
        }
    }

    /** Keeps the newest complete backups; returns those removed. */
    private List<Path> prune() {
        try {
            List<Path> backups = BackupDirectory.complete(to);
            List<Path> removed = backups.subList(0, Math.max(0, backups.size() - keep));
            removed.forEach(CentralBackup::deleteTree);
            return removed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + to + ": " + e.getMessage(), e);
        }
    }

    private static String describe(Path backup) {
        List<String> parts = new ArrayList<>();
        for (String archive : BackupDirectory.ARCHIVES) {
            try {
                parts.add(archive + " " + String.format(Locale.ROOT, "%.1f MiB", Files.size(backup.resolve(archive)) / 1048576.0));
            } catch (IOException e) {
                parts.add(archive);
            }
        }
        return String.join(", ", parts);
    }

    private static void deleteTree(Path dir) {
        try {
            Trees.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir + ": " + e.getMessage(), e);
        }
    }
}

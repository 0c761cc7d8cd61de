package dev.rig.stack;

import dev.rig.apply.Remote;
import dev.rig.apply.RoutingConnector;
import dev.rig.core.Digests;
import dev.rig.core.Shell;
import dev.rig.ssh.ExecResult;
import dev.rig.ssh.SshException;

import java.time.Duration;

/** The restore step of rig recover: a backup's archives unpacked into the new central's stack volumes, before the stack starts. */
public final class CentralRestore {
    private CentralRestore() {}

    /** Uploads the archives to the new central and unpacks them into the stack's volumes, once (a marker makes a second run a no-op). */
    /** What restore says when every archive of the backup was restored on that host before. */
    public static final String NOTHING_RESTORED = "was restored here before: nothing to do";

    public static String restore(StackFleet fleet, RoutingConnector connector, BackupDirectory backup) throws SshException {
        Remote remote = connector.connect(fleet.centralHost);
        // As the login user: the archives arrive over its SFTP.
        ExecResult stage = remote.exec(dev.rig.apply.RemoteCommands.script("mktemp -d /var/tmp/rig-restore.XXXXXX", null, null)
                .doing("making a staging directory for the backup"), Duration.ofSeconds(30));
        if (stage.exitCode() != 0) throw new SshException(SshException.Kind.CHANNEL, "cannot make a staging directory: " + stage.err().strip());
        String dir = stage.out().strip();
        try {
            for (String archive : BackupDirectory.ARCHIVES) remote.upload(backup.dir().resolve(archive), dir + "/" + archive);
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
                    if [ ! -e "$am/.rig-restored-$key" ]; then
                      tar -C "$am" -xzf "$stage/alertmanager-data.tar.gz"
                      # the official image runs Alertmanager as nobody
                      [ -n "$am_dir" ] || chown -R 65534:65534 "$am"
                      touch "$am/.rig-restored-$key"; done_any=1; echo "Alertmanager data into $am"
                    fi
                    [ -n "$done_any" ] || echo %s
                    """.formatted(Shell.quote(dir), String.join(" ", backup.sumsText().strip().lines().map(Shell::quote).toList()),
                    fleet.centralDataDirs(true), Shell.quote(key), Shell.quote(backup.snapshot()), Shell.quote(NOTHING_RESTORED));
            ExecResult r = StackFleet.run(connector, fleet.centralHost, remote, script, Duration.ofHours(1),
                    "unpacking backup " + backup.name() + " into central's volumes");
            if (r.exitCode() != 0) throw new SshException(SshException.Kind.CHANNEL, "unpacking failed (" + r.exitCode() + "): " + (r.err() + r.out()).strip());
            return "backup " + backup.name() + ": " + String.join("; ", r.out().strip().lines().toList());
        } finally {
            StackFleet.run(connector, fleet.centralHost, remote, "rm -rf -- " + Shell.quote(dir), Duration.ofSeconds(60),
                    "removing the restore's staging directory " + dir);
        }
    }
}

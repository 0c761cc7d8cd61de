package dev.rig.docker;

import dev.rig.lab.LabFleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A real Docker engine (Debian's dockerd 20.10) of one lab host, running inside that host's mount
 * namespace: the host gets a private /run, so the docker CLI's default socket (/run/docker.sock) and
 * docker's exec-root are its own, and its images and containers live in a data-root of its own.
 * No iptables rules and no docker0 bridge: test stacks use the host network and listen on the host's
 * own 127.0.0.x address, so no traffic goes to a private range.
 *
 * <p>Its containers are put under a cgroup named after the host, so that containers a crashed run left
 * behind are found by that cgroup's PIDs (never by name) and killed at the next start.
 */
final class DockerEngine implements AutoCloseable {
    private static final Duration START_BOUND = Duration.ofSeconds(60);
    private static final Duration STOP_BOUND = Duration.ofSeconds(30);

    private final LabFleet fleet;
    private final String host;
    private final Path log;
    private final String cgroupParent;
    private final Process dockerd;

    private DockerEngine(LabFleet fleet, String host, Path log, String cgroupParent, Process dockerd) {
        this.fleet = fleet;
        this.host = host;
        this.log = log;
        this.cgroupParent = cgroupParent;
        this.dockerd = dockerd;
    }

    /** Starts dockerd in the host's namespaces with its data under dir and waits until it answers. */
    static DockerEngine start(LabFleet fleet, String host, Path dir) {
        String cgroupParent = "rig-test-docker-" + host;
        killLeftovers(cgroupParent);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        // /run/sshd must exist again for sshd's privilege separation once /run is private.
        fleet.exec(host, "[ -d /run/docker-engine-private ] || { mount -t tmpfs -o mode=0755 tmpfs /run"
                + " && mkdir -m 0755 /run/sshd /run/docker-engine-private && mkdir -m 1777 /run/lock; }");
        Path log = dir.resolve("dockerd.log");
        Process dockerd = fleet.spawn(host, List.of("dockerd", "--data-root", dir.resolve("data").toString(),
                "--exec-root", "/run/docker", "-H", "unix:///run/docker.sock", "--pidfile", "/run/docker.pid",
                "--iptables=false", "--bridge=none", "--cgroup-parent", "/" + cgroupParent,
                "--shutdown-timeout", "2"), log);
        DockerEngine engine = new DockerEngine(fleet, host, log, cgroupParent, dockerd);
        try {
            engine.awaitReady();
        } catch (RuntimeException e) {
            engine.close();
            throw e;
        }
        return engine;
    }

    String host() {
        return host;
    }

    /** Runs a shell command as root on the engine's host (its docker CLI talks to this engine); stdout. */
    String sh(String command) {
        return fleet.exec(host, command);
    }

    /** Makes a small real image from the machine's static busybox (no registry here): sh, sleep, httpd... */
    void importBusybox(String tag) {
        sh("set -e; d=$(mktemp -d); mkdir -p \"$d/bin\" \"$d/www\" \"$d/tmp\"; cp /bin/busybox \"$d/bin/\";"
                + " for c in sh sleep httpd cat echo ls env; do ln -s busybox \"$d/bin/$c\"; done;"
                + " tar -C \"$d\" -c . | docker import -c 'CMD [\"sh\"]' - " + tag + " >/dev/null; rm -rf \"$d\"");
    }

    /** Ids of the running and stopped containers of a compose project, by service. */
    String containers(String project) {
        return sh("docker ps -a --filter label=com.docker.compose.project=" + project
                + " --format '{{.Label \"com.docker.compose.service\"}} {{.ID}} {{.State}}' | sort");
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_BOUND.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            if (!dockerd.isAlive()) throw new IllegalStateException("dockerd on " + host + " exited with " + dockerd.exitValue() + "\n" + tail());
            try {
                sh("docker version --format '{{.Server.Version}}' >/dev/null");
                return;
            } catch (IllegalStateException e) {
                last = e.getMessage();
            }
            sleep(200);
        }
        throw new IllegalStateException("dockerd on " + host + " did not answer within " + START_BOUND.toSeconds() + " s: " + last + "\n" + tail());
    }

    /** Kills the containers (quickly: they are test stacks), then stops dockerd by its PID. */
    @Override
    public void close() {
        try {
            if (dockerd.isAlive()) sh("ids=$(docker ps -q); [ -z \"$ids\" ] || docker kill $ids >/dev/null 2>&1; true");
        } catch (RuntimeException e) {
            // the daemon may be wedged; stopping it below is what matters
        }
        dockerd.destroy();
        try {
            if (!dockerd.waitFor(STOP_BOUND.toSeconds(), TimeUnit.SECONDS)) {
                dockerd.destroyForcibly();
                dockerd.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        killLeftovers(cgroupParent);
    }

    String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return "--- " + log + ":\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 25), lines.size()));
        } catch (IOException e) {
            return "(no log at " + log + ")";
        }
    }

    /** SIGKILLs every process in the containers' cgroup (cgroup v1's pids hierarchy, or v2's unified one). */
    static void killLeftovers(String cgroupParent) {
        for (Path root : List.of(Path.of("/sys/fs/cgroup/pids", cgroupParent), Path.of("/sys/fs/cgroup", cgroupParent))) {
            if (!Files.isDirectory(root)) continue;
            List<Long> pids = new ArrayList<>();
            collectPids(root, pids);
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            if (!pids.isEmpty()) System.err.println("killed processes left in cgroup " + root + ": " + pids);
        }
    }

    private static void collectPids(Path dir, List<Long> out) {
        Path procs = dir.resolve("cgroup.procs");
        try {
            if (Files.exists(procs)) {
                out.addAll(Files.readAllLines(procs).stream().filter(l -> !l.isBlank()).map(Long::parseLong).collect(Collectors.toList()));
            }
            try (DirectoryStream<Path> children = Files.newDirectoryStream(dir, Files::isDirectory)) {
                for (Path child : children) collectPids(child, out);
            }
        } catch (IOException e) {
            // a container's cgroup vanished while we looked: nothing left to kill there
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

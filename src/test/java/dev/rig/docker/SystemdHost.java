package dev.rig.docker;

import dev.rig.core.Shell;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * A real Debian 12 host with systemd as PID 1: a debootstrapped root filesystem imported into a
 * {@link DockerEngine} and run as a plain (unprivileged) container on the host network, its sshd
 * listening on one 127.0.0.x address with a host key and an authorized client key made for this run.
 *
 * <p>The root filesystem takes debootstrap about two minutes, so it is built once per machine into
 * {@link #CACHE} (named by the build script's checksum, so a changed script builds anew; a file lock
 * keeps two test runs from building it at once) and reused by every later run.
 */
final class SystemdHost implements AutoCloseable {
    static final Path CACHE = Path.of(System.getProperty("rig.test.cache", "/var/cache/rig-test"));
    private static final String IMAGE = "rig-test/debian-systemd:12";
    private static final String CONTAINER = "rig-systemd-host";
    private static final Duration BUILD_BOUND = Duration.ofMinutes(15);
    private static final Duration BOOT_BOUND = Duration.ofSeconds(90);

    private final DockerEngine engine;
    private final String address;
    private final Path clientKey;
    private final Path knownHosts;

    private SystemdHost(DockerEngine engine, String address, Path clientKey, Path knownHosts) {
        this.engine = engine;
        this.address = address;
        this.clientKey = clientKey;
        this.knownHosts = knownHosts;
    }

    /** Boots the container on engine's host with sshd on address:22; files for this run go under dir. */
    static SystemdHost start(DockerEngine engine, String address, Path dir) throws IOException {
        Path rootfs = cachedRootfs();
        Files.createDirectories(dir);
        engine.sh("docker image inspect " + IMAGE + " >/dev/null 2>&1"
                + " || docker import -c 'CMD [\"/lib/systemd/systemd\"]' " + rootfs + " " + IMAGE + " >/dev/null");
        Path stage = dir.resolve("overlay");
        Path hostKey = stage.resolve("etc/ssh/ssh_host_ed25519_key");
        Path clientKey = dir.resolve("client_ed25519");
        Files.createDirectories(hostKey.getParent().resolve("sshd_config.d"));
        Files.createDirectories(stage.resolve("root/.ssh"));
        keygen(hostKey);
        keygen(clientKey);
        // Drop-ins come first in Debian's sshd_config, and sshd keeps the first value it reads.
        Files.writeString(stage.resolve("etc/ssh/sshd_config.d/rig-test.conf"), "ListenAddress " + address + ":22\n"
                + "PermitRootLogin prohibit-password\nPasswordAuthentication no\nUsePAM no\n");
        Files.copy(Path.of(clientKey + ".pub"), stage.resolve("root/.ssh/authorized_keys"));
        Files.setPosixFilePermissions(stage.resolve("root/.ssh"), PosixFilePermissions.fromString("rwx------"));
        Files.setPosixFilePermissions(stage.resolve("root/.ssh/authorized_keys"), PosixFilePermissions.fromString("rw-------"));
        engine.sh("docker rm -f " + CONTAINER + " >/dev/null 2>&1; "
                + "docker create --name " + CONTAINER + " --network host --tmpfs /run --tmpfs /run/lock"
                + " -v /sys/fs/cgroup:/sys/fs/cgroup:ro " + IMAGE + " >/dev/null"
                + " && docker cp " + stage + "/. " + CONTAINER + ":/ && docker start " + CONTAINER + " >/dev/null");
        String[] pub = Files.readString(Path.of(hostKey + ".pub")).strip().split("\\s+");
        Path knownHosts = dir.resolve("known_hosts");
        Files.writeString(knownHosts, address + " " + pub[0] + " " + pub[1] + "\n");
        SystemdHost host = new SystemdHost(engine, address, clientKey, knownHosts);
        try {
            host.awaitBoot();
        } catch (RuntimeException e) {
            host.close();
            throw e;
        }
        return host;
    }

    String address() {
        return address;
    }

    Path clientKey() {
        return clientKey;
    }

    Path knownHosts() {
        return knownHosts;
    }

    /** Runs a shell command as root inside the container (not through rig); its stdout. */
    String sh(String command) {
        return engine.sh("docker exec " + CONTAINER + " sh -c " + Shell.quote(command));
    }

    /** An inventory with this one host under the name given. */
    Path writeInventory(Path file, String name) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, "all:\n  hosts:\n    " + name + ":\n      ansible_host: " + address + "\n      ansible_user: root\n"
                + "      ansible_ssh_private_key_file: \"" + clientKey + "\"\n");
        return file;
    }

    /** Waits until systemd says the system is up (running, or degraded with a unit that cannot work in a container) and sshd accepts. */
    private void awaitBoot() {
        long deadline = System.nanoTime() + BOOT_BOUND.toNanos();
        String state = "";
        while (System.nanoTime() < deadline) {
            state = engine.sh("docker exec " + CONTAINER + " systemctl is-system-running 2>&1 || true").strip();
            if ((state.equals("running") || state.equals("degraded")) && sshListening()) return;
            DockerEngine.sleep(300);
        }
        String failed = engine.sh("docker exec " + CONTAINER + " systemctl --failed --no-legend 2>&1 || true");
        throw new IllegalStateException("the systemd host did not boot within " + BOOT_BOUND.toSeconds() + " s: state '" + state
                + "', ssh on " + address + ":22 " + (sshListening() ? "up" : "down") + "; failed units:\n" + failed);
    }

    private boolean sshListening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, 22), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        engine.sh("docker rm -f " + CONTAINER + " >/dev/null 2>&1; true");
    }

    /** The debootstrapped root filesystem as a tarball, built once per machine (and per build script). */
    @SuppressWarnings("try") // the lock is held for the try block's duration, never read
    static Path cachedRootfs() throws IOException {
        Path script = resource("/docker/build-systemd-rootfs.sh");
        String version = sha256(Files.readAllBytes(script)).substring(0, 12);
        Path tarball = CACHE.resolve("debian12-systemd-" + version + ".tar");
        Files.createDirectories(CACHE);
        try (FileChannel lockFile = FileChannel.open(CACHE.resolve("debian12-systemd.lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileLock ignored = lockFile.lock()) {
            if (Files.exists(tarball)) return tarball;
            Path log = CACHE.resolve("debian12-systemd-build.log");
            Process build = new ProcessBuilder("sh", script.toString(), tarball.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!build.waitFor(BUILD_BOUND.toSeconds(), TimeUnit.SECONDS)) {
                build.destroyForcibly();
                throw new IllegalStateException("building the Debian root filesystem took over " + BUILD_BOUND.toMinutes() + " min; see " + log);
            }
            if (build.exitValue() != 0 || !Files.exists(tarball)) {
                throw new IllegalStateException("building the Debian root filesystem failed (exit " + build.exitValue() + "):\n"
                        + Files.readString(log, StandardCharsets.UTF_8));
            }
            return tarball;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the Debian root filesystem", e);
        }
    }

    static Path resource(String name) {
        try {
            return Path.of(SystemdHost.class.getResource(name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("test resource " + name + " is missing", e);
        }
    }

    private static void keygen(Path key) {
        try {
            Process p = new ProcessBuilder("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "rig-test", "-f", key.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IllegalStateException("ssh-keygen failed: " + out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

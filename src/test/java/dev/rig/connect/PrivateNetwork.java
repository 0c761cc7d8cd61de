package dev.rig.connect;

import dev.rig.ssh.TestKeys;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Real OpenSSH servers in a network namespace of their own, with its own loopback: nothing outside can
 * reach them, except through the entry bastion. That one listens on the test's own loopback; each
 * connection to it starts `sshd -i` (sshd as inetd runs it) inside the private network, so the bastion
 * stands with one foot in each network, as a real one stands in the DMZ.
 *
 * <p>All hosts authorize one client key for root and log at DEBUG1, which shows the direct-tcpip
 * (ProxyJump) requests they serve. The namespace is the first host's; {@link #close} stops every process in
 * it (all started here) and the entry relay. Addresses are 127.0.0.x inside the namespace: no traffic
 * leaves loopback.
 */
final class PrivateNetwork implements AutoCloseable {
    private static final String SSHD = "/usr/sbin/sshd";
    private static final long START_BOUND_MILLIS = 10_000;

    private final Path dir;
    private final Path clientKey;
    private final Path authorizedKeys;
    private final Map<String, Path> hostKeys = new LinkedHashMap<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final List<Process> daemons = new ArrayList<>();
    private final List<Process> entrySessions = new ArrayList<>();
    private long namespacePid;
    private String namespaceId;
    private ServerSocket entryListener;

    PrivateNetwork(Path dir) throws Exception {
        this.dir = Files.createDirectories(dir);
        Files.createDirectories(Path.of("/run/sshd"));
        clientKey = TestKeys.generate(dir.resolve("client_ed25519"), "ed25519");
        authorizedKeys = Files.copy(TestKeys.publicKey(clientKey), dir.resolve("authorized_keys"));
    }

    /** The key authorized for root on every host. */
    Path clientKey() {
        return clientKey;
    }

    /** A known_hosts file with every host's key under its address. */
    Path writeKnownHosts(Path file) throws IOException {
        StringBuilder lines = new StringBuilder();
        for (Map.Entry<String, Path> host : hostKeys.entrySet()) {
            String[] key = Files.readString(TestKeys.publicKey(host.getValue())).split(" ");
            lines.append(addresses.get(host.getKey())).append(' ').append(key[0]).append(' ').append(key[1]).append('\n');
        }
        return Files.writeString(file, lines);
    }

    /** The host's sshd log. */
    Path log(String name) {
        return dir.resolve(name + ".log");
    }

    /** An sshd inside the private network (the first one creates it), listening on address:22 there only. */
    void startInside(String name, String address) throws Exception {
        Path config = configure(name, address);
        List<String> sshd = List.of(SSHD, "-D", "-E", log(name).toString(), "-f", config.toString());
        List<String> argv = new ArrayList<>(List.of("setsid"));
        if (namespacePid == 0) {
            argv.addAll(List.of("unshare", "--net", "sh", "-c", "ip link set lo up && exec \"$@\"", "sh"));
        } else {
            argv.addAll(List.of("nsenter", "--net=/proc/" + namespacePid + "/ns/net"));
        }
        argv.addAll(sshd);
        Process process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".console").toFile()))
                .start();
        daemons.add(process);
        awaitPidFile(name, process);
        if (namespacePid == 0) {
            namespacePid = process.pid();
            namespaceId = Files.readSymbolicLink(Path.of("/proc", Long.toString(namespacePid), "ns", "net")).toString();
        }
    }

    /**
     * The entry bastion: listens on address:22 of the test's own network; each connection is served by a
     * fresh `sshd -i` inside the private network, its stdin and stdout piped to the socket.
     */
    void startEntry(String name, String address) throws Exception {
        if (namespacePid == 0) throw new IllegalStateException("start a host inside the network first");
        Path config = configure(name, address);
        entryListener = new ServerSocket();
        entryListener.bind(new InetSocketAddress(address, 22));
        Thread acceptor = new Thread(() -> {
            while (!entryListener.isClosed()) {
                try {
                    serveEntry(entryListener.accept(), name, config);
                } catch (IOException e) {
                    return; // closed
                }
            }
        }, "entry-bastion-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    @Override
    public void close() throws IOException {
        if (entryListener != null) entryListener.close();
        synchronized (entrySessions) {
            entrySessions.forEach(Process::destroyForcibly);
        }
        daemons.forEach(Process::destroy);
        for (Process daemon : daemons) daemon.onExit().completeOnTimeout(daemon, 2, TimeUnit.SECONDS).join();
        killWhatIsLeftInTheNamespace();
    }

    private void serveEntry(Socket socket, String name, Path config) throws IOException {
        Process sshd = new ProcessBuilder("nsenter", "--net=/proc/" + namespacePid + "/ns/net", SSHD, "-i",
                "-E", log(name).toString(), "-f", config.toString())
                .redirectError(ProcessBuilder.Redirect.appendTo(dir.resolve(name + ".console").toFile()))
                .start();
        synchronized (entrySessions) {
            entrySessions.add(sshd);
        }
        dev.rig.lab.NetworkRelay.pump(socket.getInputStream(), sshd.getOutputStream(), socket, sshd, "entry-bastion-pump");
        dev.rig.lab.NetworkRelay.pump(sshd.getInputStream(), socket.getOutputStream(), socket, sshd, "entry-bastion-pump");
    }

    private Path configure(String name, String address) throws Exception {
        Path hostKey = TestKeys.generate(dir.resolve(name + "_host_ed25519"), "ed25519");
        hostKeys.put(name, hostKey);
        addresses.put(name, address);
        Path config = dir.resolve(name + ".sshd_config");
        Files.writeString(config, "ListenAddress " + address + ":22\n"
                + "HostKey " + hostKey + "\n"
                + "PidFile " + dir.resolve(name + ".pid") + "\n"
                + "AuthorizedKeysFile " + authorizedKeys + "\n"
                + "PermitRootLogin prohibit-password\n"
                + "PasswordAuthentication no\n"
                + "KbdInteractiveAuthentication no\n"
                + "UsePAM no\n"
                + "StrictModes no\n"
                + "LogLevel DEBUG1\n");
        return config;
    }

    /** sshd writes its PID file once it listens. */
    private void awaitPidFile(String name, Process process) throws Exception {
        Path pidFile = dir.resolve(name + ".pid");
        long deadline = System.currentTimeMillis() + START_BOUND_MILLIS;
        while (!Files.exists(pidFile) || Files.readString(pidFile).isBlank()) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("sshd " + name + " did not start: " + Files.readString(dir.resolve(name + ".console"))
                        + (Files.exists(log(name)) ? Files.readString(log(name)) : ""));
            }
            Thread.sleep(10);
        }
    }

    /** sshd's session processes live on after the daemon: end every process in the namespace, all of them ours. */
    private void killWhatIsLeftInTheNamespace() throws IOException {
        if (namespaceId == null) return;
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
            for (Path process : processes) {
                try {
                    if (namespaceId.equals(Files.readSymbolicLink(process.resolve("ns/net")).toString())) {
                        ProcessHandle.of(Long.parseLong(process.getFileName().toString())).ifPresent(ProcessHandle::destroyForcibly);
                    }
                } catch (IOException | UncheckedIOException e) {
                    // gone meanwhile, or not ours to read
                }
            }
        }
    }
}

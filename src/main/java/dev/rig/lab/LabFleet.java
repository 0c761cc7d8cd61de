package dev.rig.lab;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A fleet of real OpenSSH servers on loopback, for `rig lab` and for tests: one sshd per host on
 * 127.0.0.N:22, each in its own mount and UTS namespaces with private tmpfs on /srv, /opt and /root
 * (a clean root home: no shell start-up files from the machine's own /root) and the host's name as
 * hostname.
 *
 * <p>Each host has an ed25519 host key, which known_hosts lists, and an ECDSA one which it does not, as
 * a stock Debian server has several: a client must pick the key type it knows, as OpenSSH does.
 * One ed25519 client key, authorized through a fleet-owned AuthorizedKeysFile, logs in as root on all.
 *
 * <p>Layout of dir: client_ed25519(.pub), authorized_keys, known_hosts, fleet.properties (PIDs, for
 * {@link #stopFromState}), and per host NAME/: host keys, sshd_config, sshd.pid, sshd.log (LogLevel
 * VERBOSE, one "Connection from" line per connection and one "Starting session" line per channel),
 * console.log (what sshd and its start-up printed).
 *
 * <p>Processes are only ever found and stopped by PID or by namespace, never by name: other fleets may
 * run on the same machine. Any thread may use a fleet.
 */
public final class LabFleet implements AutoCloseable {
    public static final List<String> DEFAULT_NAMES = List.of("lab1", "lab2", "lab3");
    public static final int DEFAULT_FIRST_OCTET = 11;
    /** The /24 that hosts listen in unless told otherwise: 127.0.0.N. */
    public static final String DEFAULT_NETWORK = "127.0.0";

    private static final int SSH_PORT = 22;
    private static final String SSHD = "/usr/sbin/sshd";
    private static final Path PRIVILEGE_SEPARATION_DIR = Path.of("/run/sshd");
    private static final Duration STARTUP_BOUND = Duration.ofSeconds(5);
    private static final Duration STOP_GRACE = Duration.ofSeconds(2);
    private static final Duration COMMAND_BOUND = Duration.ofSeconds(60);
    private static final Pattern HOST_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final Pattern GROUP_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern LOOPBACK_NETWORK = Pattern.compile("127\\.(\\d{1,3})\\.(\\d{1,3})");

    /**
     * Runs inside the fresh namespaces: mounts the host's private filesystems, names it, then becomes
     * the sshd given as arguments (exec all the way down, so the JVM's child PID is sshd's PID).
     */
    private static final String BOOT_SCRIPT = "mount -t tmpfs -o mode=0755 tmpfs /srv"
            + " && mount -t tmpfs -o mode=0755 tmpfs /opt"
            + " && mount -t tmpfs -o mode=0700 tmpfs /root"
            // Each host has its own /run/lock, where rig keeps its per-host apply lock.
            + " && mkdir -p /run/lock && mount -t tmpfs -o mode=1777 tmpfs /run/lock"
            + " && hostname \"$1\" && shift && exec \"$@\"";

    private final Path dir;
    private final Path clientKey;
    private final Path knownHosts;
    private final Path authorizedKeys;
    private final Map<String, HostSlot> slots = new LinkedHashMap<>();
    private final Thread shutdownHook;
    private final boolean ownNetworks;
    private boolean closed;

    private LabFleet(Path dir, boolean detached, boolean ownNetworks) {
        this.dir = dir;
        this.ownNetworks = ownNetworks;
        this.clientKey = dir.resolve("client_ed25519");
        this.knownHosts = dir.resolve("known_hosts");
        this.authorizedKeys = dir.resolve("authorized_keys");
        this.shutdownHook = detached ? null : new Thread(this::close, "lab-fleet-shutdown");
    }

    /** Starts a fleet tied to this JVM: a shutdown hook stops it should the JVM end without {@link #close}. */
    public static LabFleet start(Path dir, List<String> names, int firstOctet) {
        return start(dir, names, firstOctet, false);
    }

    /**
     * Starts one sshd per name on 127.0.0.(firstOctet + i):22 and waits until each listens.
     * Detached, the sshd processes outlive this JVM (their output goes to files, they run in sessions
     * of their own, no shutdown hook is registered); stop them with {@link #stopFromState}.
     */
    public static LabFleet start(Path dir, List<String> names, int firstOctet, boolean detached) {
        return start(dir, names, DEFAULT_NETWORK, firstOctet, detached);
    }

    /**
     * Starts one sshd per name on NETWORK.(firstOctet + i):22, where network is the first three octets of
     * a /24 inside 127.0.0.0/8 ("127.0.1" for 127.0.1.x): more hosts than 127.0.0.x has room for, e.g. for
     * benchmarks on a few hundred hosts. Otherwise as {@link #start(Path, List, int, boolean)}.
     */
    public static LabFleet start(Path dir, List<String> names, String network, int firstOctet, boolean detached) {
        return start(dir, names, network, firstOctet, detached, false);
    }

    /**
     * As {@link #start(Path, List, int)}, but each host also gets a network namespace of its own (its own
     * loopback, no other interface), reached on 127.0.0.(firstOctet + i):22 through a relay in this JVM:
     * for tests whose commands change per-network kernel settings (net.* sysctls), which must never reach
     * the machine's. The hosts cannot reach servers on the machine's loopback.
     */
    public static LabFleet startInOwnNetworks(Path dir, List<String> names, int firstOctet) {
        return start(dir, names, DEFAULT_NETWORK, firstOctet, false, true);
    }

    /** As {@link #startInOwnNetworks(Path, List, int)}, on NETWORK.(firstOctet + i):22 (see {@link #start(Path, List, String, int, boolean)}). */
    public static LabFleet startInOwnNetworks(Path dir, List<String> names, String network, int firstOctet) {
        return start(dir, names, network, firstOctet, false, true);
    }

    private static LabFleet start(Path dir, List<String> names, String network, int firstOctet, boolean detached, boolean ownNetworks) {
        checkNetwork(network);
        checkNames(names, network, firstOctet);
        Path root = dir.toAbsolutePath().normalize();
        refuseIfRunning(root);
        LabFleet fleet = new LabFleet(root, detached, ownNetworks);
        try {
            fleet.boot(names, network, firstOctet);
        } catch (RuntimeException e) {
            try {
                fleet.close();
            } catch (RuntimeException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        if (fleet.shutdownHook != null) Runtime.getRuntime().addShutdownHook(fleet.shutdownHook);
        return fleet;
    }

    /** lab1..lab3 on 127.0.0.11-13, tied to this JVM. */
    public static LabFleet startDefault(Path dir) {
        return startDefault(dir, false);
    }

    /** lab1..lab3 on 127.0.0.11-13; detached for `rig lab up`. */
    public static LabFleet startDefault(Path dir, boolean detached) {
        return start(dir, DEFAULT_NAMES, DEFAULT_FIRST_OCTET, detached);
    }

    /**
     * Stops the fleet whose state file is in dir, from any process (`rig lab down`): each recorded sshd
     * that still runs with our config, then everything left in its namespaces. Hosts already gone are skipped.
     */
    public static void stopFromState(Path dir) {
        Path root = dir.toAbsolutePath().normalize();
        List<String> failures = new ArrayList<>();
        for (FleetState.Entry host : FleetState.read(root).hosts()) {
            if (!isOurSshd(host)) continue;
            try (HostNamespace namespace = HostNamespace.of(host.pid())) {
                // Checked again now that the namespace is held: the PID could have been reused meanwhile.
                if (isOurSshd(host)) stopProcesses(host.pid(), namespace);
            } catch (RuntimeException e) {
                failures.add(host.name() + ": " + e.getMessage());
            }
        }
        if (!failures.isEmpty()) throw new IllegalStateException("could not stop every lab host: " + failures);
        FleetState.delete(root);
    }

    public synchronized List<LabHost> hosts() {
        return slots.values().stream().map(slot -> slot.host).collect(Collectors.toUnmodifiableList());
    }

    public synchronized LabHost host(String name) {
        return slot(name).host;
    }

    /** The unencrypted ed25519 private key authorized for root on every host. */
    public Path clientKey() {
        return clientKey;
    }

    /** OpenSSH known_hosts with every host's ed25519 key, as written at start (never updated afterwards). */
    public Path knownHosts() {
        return knownHosts;
    }

    /** The host's sshd log (LogLevel VERBOSE), e.g. for counting connections and sessions. */
    public Path sshdLog(String name) {
        return slot(name).log();
    }

    /** Also authorizes the public key in that file (OpenSSH format) for root on every host, at once. */
    public synchronized void authorize(Path publicKeyFile) {
        try {
            String key = Files.readString(publicKeyFile, StandardCharsets.UTF_8).strip();
            Files.writeString(authorizedKeys, key + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot authorize " + publicKeyFile, e);
        }
    }

    /**
     * Stops the host as if it went down: its sshd by PID (SIGTERM, SIGKILL after 2 s), then every
     * process left in its namespaces, so open connections drop too. Its files under /srv, /opt and
     * /root stay, and {@link #exec} still works. Does nothing when the host is already stopped.
     */
    public synchronized void stop(String name) {
        HostSlot slot = slot(name);
        if (slot.sshd == null) return;
        stopProcesses(slot.sshd.pid(), slot.namespace);
        slot.sshd = null;
        slot.host = slot.describe(0);
        writeState();
    }

    /** Starts the host's sshd again (stopping it first if it runs), in the same namespaces: /srv etc. keep their content. */
    public synchronized void restart(String name) {
        stop(name);
        startAgain(slot(name));
    }

    /** Gives the host new host keys and restarts it; known_hosts keeps the old key (for "host key changed" tests). */
    public synchronized void rotateHostKey(String name) {
        stop(name);
        generateHostKeys(slot(name));
        startAgain(slot(name));
    }

    /**
     * Runs a shell command as root in the host's namespaces (its /srv, /opt, /root and hostname) and
     * returns its stdout; throws with stderr when it exits non-zero. Works while the host is stopped.
     * Not synchronized, so that commands on several hosts can run at once: the namespaces never change.
     */
    public String exec(String name, String shellCommand) {
        List<String> argv = new ArrayList<>(List.of("nsenter"));
        argv.addAll(slot(name).namespace.nsenterOptions());
        argv.addAll(List.of("sh", "-c", shellCommand));
        return Commands.run(argv, COMMAND_BOUND);
    }

    /**
     * Starts a long-running program as root in the host's namespaces — a daemon the host needs, such as
     * a dockerd — with stdin from /dev/null and its output appended to log. The returned process is the
     * program itself (nsenter execs it), so the caller stops it by that PID; {@link #stop} and
     * {@link #close} also kill it, as they kill everything left in the host's namespaces.
     */
    public Process spawn(String name, List<String> argv, Path log) {
        List<String> command = new ArrayList<>(List.of("setsid", "nsenter"));
        command.addAll(slot(name).namespace.nsenterOptions());
        command.addAll(argv);
        try {
            return new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + argv.get(0) + " on " + name, e);
        }
    }

    /**
     * Writes an Ansible YAML inventory of all hosts with their connection variables; groups (in the
     * map's order) become children of all. Returns file.
     */
    public synchronized Path writeInventory(Path file, Map<String, List<String>> groups) {
        StringBuilder yaml = new StringBuilder("# Written by rig's lab fleet in ").append(dir).append('\n');
        yaml.append("all:\n  hosts:\n");
        for (HostSlot slot : slots.values()) {
            yaml.append("    ").append(slot.name).append(":\n")
                    .append("      ansible_host: ").append(slot.address).append('\n')
                    .append("      ansible_port: ").append(SSH_PORT).append('\n')
                    .append("      ansible_user: root\n")
                    .append("      ansible_ssh_private_key_file: ").append(yamlString(clientKey.toString())).append('\n');
        }
        if (!groups.isEmpty()) yaml.append("  children:\n");
        groups.forEach((group, members) -> {
            if (!GROUP_NAME.matcher(group).matches()) throw new IllegalArgumentException("not a usable group name: " + group);
            yaml.append("    ").append(group).append(":\n      hosts:\n");
            for (String member : members) {
                slot(member); // throws for a host the fleet does not have
                yaml.append("        ").append(member).append(":\n");
            }
        });
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) Files.createDirectories(parent);
            Files.writeString(file, yaml, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        return file;
    }

    /** Stops every host and releases its namespaces; safe to call more than once. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        List<String> failures = new ArrayList<>();
        for (HostSlot slot : slots.values()) {
            try {
                // Either may be missing when start-up failed half way.
                if (slot.sshd != null) LocalProcesses.terminate(slot.sshd.pid(), STOP_GRACE);
                if (slot.relay != null) slot.relay.close();
                if (slot.namespace != null) slot.namespace.killMembers(STOP_GRACE);
            } catch (RuntimeException e) {
                failures.add(slot.name + ": " + e.getMessage());
            } finally {
                if (slot.namespace != null) slot.namespace.close();
            }
        }
        FleetState.delete(dir);
        unregisterShutdownHook();
        if (!failures.isEmpty()) throw new IllegalStateException("could not stop every lab host: " + failures);
    }

    private void boot(List<String> names, String network, int firstOctet) {
        try {
            Files.createDirectories(dir);
            Files.createDirectories(PRIVILEGE_SEPARATION_DIR);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir + " or " + PRIVILEGE_SEPARATION_DIR, e);
        }
        generateKey(clientKey, "ed25519", "rig-lab-client");
        copy(publicKey(clientKey), authorizedKeys);
        for (int i = 0; i < names.size(); i++) {
            HostSlot slot = new HostSlot(names.get(i), address(network, firstOctet, i), dir.resolve(names.get(i)));
            slots.put(slot.name, slot);
            generateHostKeys(slot);
            writeSshdConfig(slot);
        }
        // All start at once, then each is awaited: a fleet of many hosts boots in the time of one.
        slots.values().forEach(this::launch);
        slots.values().forEach(this::awaitListening);
        if (ownNetworks) slots.values().forEach(this::startRelay);
        writeKnownHosts();
        writeState();
    }

    private void startAgain(HostSlot slot) {
        launch(slot);
        awaitListening(slot);
        writeState();
    }

    /** Starts the slot's sshd: in fresh namespaces the first time, in its held ones afterwards. */
    private void launch(HostSlot slot) {
        List<String> sshd = List.of(SSHD, "-D", "-E", slot.log().toString(), "-f", slot.config().toString());
        // setsid: a session of its own, so a terminal's Ctrl-C or hang-up reaches the JVM (whose hook stops us) and not sshd.
        List<String> argv = new ArrayList<>(List.of("setsid"));
        if (slot.namespace == null && ownNetworks) {
            argv.addAll(List.of("unshare", "--mount", "--uts", "--net", "--propagation", "private", "sh", "-c",
                    "ip link set lo up && " + BOOT_SCRIPT, "sh", slot.name));
        } else if (slot.namespace == null) {
            argv.addAll(List.of("unshare", "--mount", "--uts", "--propagation", "private", "sh", "-c", BOOT_SCRIPT, "sh", slot.name));
        } else {
            argv.add("nsenter");
            argv.addAll(slot.namespace.nsenterOptions());
        }
        argv.addAll(sshd);
        try {
            Files.deleteIfExists(slot.pidFile());
            slot.sshd = new ProcessBuilder(argv)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(slot.console().toFile()))
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start sshd for " + slot.name, e);
        }
    }

    /**
     * Waits for the sshd to write its PID file, which OpenSSH does only once its listening socket is
     * bound. Not probing with a connection keeps sshd.log's connection count exact for benchmarks.
     */
    private void awaitListening(HostSlot slot) {
        Process sshd = slot.sshd;
        long deadline = System.nanoTime() + STARTUP_BOUND.toNanos();
        while (!Long.toString(sshd.pid()).equals(readPidFile(slot))) {
            if (!sshd.isAlive()) {
                throw startupFailure(slot, "exited with status " + sshd.exitValue() + " while starting");
            }
            if (System.nanoTime() > deadline) {
                sshd.destroyForcibly();
                throw startupFailure(slot, "did not start listening within " + STARTUP_BOUND.toSeconds() + " s");
            }
            LocalProcesses.sleep(LocalProcesses.POLL);
        }
        if (slot.namespace == null) slot.namespace = HostNamespace.of(sshd.pid());
        slot.host = slot.describe(sshd.pid());
    }

    /** The host's sshd listens inside its own network; connections from the lab's reach it through sshd -i. */
    private void startRelay(HostSlot slot) {
        slot.relay = NetworkRelay.start(slot.name, slot.address, SSH_PORT, () -> {
            List<String> argv = new ArrayList<>(List.of("nsenter"));
            argv.addAll(slot.namespace.nsenterOptions());
            argv.addAll(List.of(SSHD, "-i", "-E", slot.log().toString(), "-f", slot.config().toString()));
            return argv;
        }, () -> isUp(slot), slot.console().toFile());
    }

    private synchronized boolean isUp(HostSlot slot) {
        return slot.sshd != null && slot.sshd.isAlive();
    }

    private IllegalStateException startupFailure(HostSlot slot, String what) {
        return new IllegalStateException("sshd for " + slot.name + " (" + slot.address + ":" + SSH_PORT + ") " + what
                + "\n--- " + slot.console() + ":\n" + tail(slot.console())
                + "\n--- " + slot.log() + ":\n" + tail(slot.log()));
    }

    private static void stopProcesses(long sshdPid, HostNamespace namespace) {
        LocalProcesses.terminate(sshdPid, STOP_GRACE);
        namespace.killMembers(STOP_GRACE);
    }

    private void generateHostKeys(HostSlot slot) {
        try {
            Files.createDirectories(slot.home);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + slot.home, e);
        }
        generateKey(slot.hostKey(), "ed25519", slot.name);
        generateKey(slot.secondHostKey(), "ecdsa", slot.name);
    }

    private void writeSshdConfig(HostSlot slot) {
        String config = "# Written by rig's lab fleet for host " + slot.name + "\n"
                + "ListenAddress " + slot.address + ":" + SSH_PORT + "\n"
                + "HostKey " + quoted(slot.hostKey()) + "\n"
                + "HostKey " + quoted(slot.secondHostKey()) + "\n"
                + "PidFile " + quoted(slot.pidFile()) + "\n"
                + "AuthorizedKeysFile " + quoted(authorizedKeys) + "\n"
                + "PermitRootLogin prohibit-password\n"
                + "PasswordAuthentication no\n"
                + "KbdInteractiveAuthentication no\n"
                + "UsePAM no\n"
                // The lab's files live in a temporary directory whose modes sshd's checks would refuse.
                + "StrictModes no\n"
                + "LogLevel VERBOSE\n"
                + "Subsystem sftp /usr/lib/openssh/sftp-server\n";
        write(slot.config(), config);
    }

    private void writeKnownHosts() {
        StringBuilder lines = new StringBuilder();
        for (HostSlot slot : slots.values()) {
            String[] fields = read(publicKey(slot.hostKey())).strip().split("\\s+");
            lines.append(slot.address).append(' ').append(fields[0]).append(' ').append(fields[1]).append('\n');
        }
        write(knownHosts, lines.toString());
    }

    private void writeState() {
        List<FleetState.Entry> entries = slots.values().stream()
                .map(slot -> new FleetState.Entry(slot.name, slot.address, SSH_PORT, slot.host == null ? 0 : slot.host.pid(), slot.config()))
                .collect(Collectors.toList());
        new FleetState(entries).write(dir);
    }

    private void unregisterShutdownHook() {
        if (shutdownHook == null || Thread.currentThread() == shutdownHook) return;
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException e) {
            // The JVM is already shutting down; the hook is about to find the fleet closed.
        }
    }

    private HostSlot slot(String name) {
        HostSlot slot = slots.get(name);
        if (slot == null) throw new IllegalArgumentException("no lab host named " + name + "; hosts: " + slots.keySet());
        return slot;
    }

    private static boolean isOurSshd(FleetState.Entry host) {
        return host.pid() > 0 && LocalProcesses.isRunning(host.pid())
                && LocalProcesses.commandLine(host.pid()).map(line -> line.contains(host.config().toString())).orElse(false);
    }

    private static void refuseIfRunning(Path dir) {
        List<String> running = FleetState.read(dir).hosts().stream()
                .filter(LabFleet::isOurSshd)
                .map(host -> host.name() + " (pid " + host.pid() + ")")
                .collect(Collectors.toList());
        if (!running.isEmpty()) {
            throw new IllegalStateException("a lab fleet in " + dir + " is still running: " + running
                    + "; stop it first (rig lab down, or LabFleet.stopFromState)");
        }
    }

    private static void checkNetwork(String network) {
        Matcher m = network == null ? null : LOOPBACK_NETWORK.matcher(network);
        if (m == null || !m.matches() || Integer.parseInt(m.group(1)) > 255 || Integer.parseInt(m.group(2)) > 255) {
            throw new IllegalArgumentException("not a /24 inside 127.0.0.0/8 (the first three octets, e.g. 127.0.1): " + network);
        }
    }

    private static void checkNames(List<String> names, String network, int firstOctet) {
        if (names.isEmpty()) throw new IllegalArgumentException("a lab fleet needs at least one host");
        if (new LinkedHashSet<>(names).size() != names.size()) throw new IllegalArgumentException("host names repeat: " + names);
        for (String name : names) {
            if (!HOST_NAME.matcher(name).matches()) throw new IllegalArgumentException("not a usable host name: " + name);
        }
        // 127.0.0.1 is left alone: a real sshd or other service may listen there.
        int lowest = DEFAULT_NETWORK.equals(network) ? 2 : 1;
        if (firstOctet < lowest || firstOctet > 254) {
            throw new IllegalArgumentException("the first host " + network + "." + firstOctet + " is not in " + network + "." + lowest + "-254");
        }
        String last = address(network, firstOctet, names.size() - 1);
        if (Integer.parseInt(last.split("\\.")[2]) > 255) {
            throw new IllegalArgumentException(names.size() + " hosts from " + network + "." + firstOctet + " do not fit in 127.0.0.0/16");
        }
    }

    /**
     * The address of host i of a fleet whose first host is network.firstOctet: on in that /24 up to .254,
     * then on in the /24s after it, .1 to .254 each (hundreds of hosts: 127.0.10.1 to 127.0.13.238 for 1,000).
     */
    public static String address(String network, int firstOctet, int i) {
        String[] octets = network.split("\\.");
        int third = Integer.parseInt(octets[2]);
        int n = firstOctet + i;
        if (n > 254) {
            int beyond = n - 255;
            third += 1 + beyond / 254;
            n = 1 + beyond % 254;
        }
        return octets[0] + "." + octets[1] + "." + third + "." + n;
    }

    private static void generateKey(Path key, String type, String comment) {
        try {
            // ssh-keygen would ask before overwriting; this is a fresh key by intent.
            Files.deleteIfExists(key);
            Files.deleteIfExists(publicKey(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot replace " + key, e);
        }
        Commands.run(List.of("ssh-keygen", "-q", "-t", type, "-N", "", "-C", comment, "-f", key.toString()), COMMAND_BOUND);
    }

    private static Path publicKey(Path privateKey) {
        return privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    }

    /** sshd_config's quoting, so that a lab directory may contain spaces. */
    private static String quoted(Path path) {
        return "\"" + path + "\"";
    }

    private static String yamlString(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String tail(Path file) {
        if (!Files.exists(file)) return "(empty)";
        List<String> lines = read(file).lines().collect(Collectors.toList());
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    private static String readPidFile(HostSlot slot) {
        try {
            return Files.readString(slot.pidFile(), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            return null; // not written yet
        }
    }

    private static void write(Path file, String content) {
        try {
            Files.writeString(file, content, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void copy(Path from, Path to) {
        write(to, read(from));
    }

    /** One host: its files, its namespaces once first started, and its sshd while it runs. */
    private static final class HostSlot {
        final String name;
        final String address;
        final Path home;
        volatile HostNamespace namespace; // read by exec() without the lock
        Process sshd;
        LabHost host;
        NetworkRelay relay; // only for a host with a network of its own

        HostSlot(String name, String address, Path home) {
            this.name = name;
            this.address = address;
            this.home = home;
        }

        LabHost describe(long pid) {
            return new LabHost(name, address, SSH_PORT, pid, hostKey());
        }

        Path hostKey() {
            return home.resolve("ssh_host_ed25519_key");
        }

        Path secondHostKey() {
            return home.resolve("ssh_host_ecdsa_key");
        }

        Path config() {
            return home.resolve("sshd_config");
        }

        Path pidFile() {
            return home.resolve("sshd.pid");
        }

        Path log() {
            return home.resolve("sshd.log");
        }

        Path console() {
            return home.resolve("console.log");
        }
    }
}

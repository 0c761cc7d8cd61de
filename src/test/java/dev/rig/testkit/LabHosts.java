package dev.rig.testkit;

import dev.rig.lab.LabFleet;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A lab fleet of real sshd hosts for one test class, on addresses nobody else uses, with its inventory
 * and known_hosts written:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final LabHosts lab = LabHosts.named("web1", "web2").group("web", "web1", "web2");
 * ...
 * Rig r = lab.rig("apply", "--yes", playbook);
 * String address = lab.address("web1");
 * </pre>
 *
 * The hosts get consecutive addresses in {@value #NETWORK}.0/24, away from the 127.0.0.x addresses
 * the tests with fixed addresses use. A block is reserved with a file lock per address (held until the
 * fleet stops, released by the kernel if the JVM dies) in a directory of this network namespace, and
 * only where no sshd answers on port 22: classes one after another, the same class twice, or two JVMs
 * at once in one namespace never get the same address. Tests ask for addresses ({@link #address}),
 * never write them down.
 */
public final class LabHosts implements BeforeAllCallback, AfterAllCallback {
    public static final String NETWORK = "127.0.2";
    private static final int FIRST = 10;
    private static final int LAST = 254;
    /** Where the next search starts: not handing out an address this JVM just released keeps logs and known_hosts of runs apart. */
    private static int nextOctet = FIRST;

    private final List<String> names;
    private final Map<String, List<String>> groups = new LinkedHashMap<>();
    private int spares;
    private boolean ownNetworks;
    private Path dir;
    private Reservation reservation;
    private LabFleet fleet;
    private Path inventory;
    private Path knownHosts;

    private LabHosts(List<String> names) {
        this.names = List.copyOf(names);
    }

    public static LabHosts named(String... names) {
        return new LabHosts(Arrays.asList(names));
    }

    public static LabHosts named(List<String> names) {
        return new LabHosts(names);
    }

    /** Adds a group (a child of all) to the inventory, in the order given. */
    public LabHosts group(String name, String... members) {
        groups.put(name, List.of(members));
        return this;
    }

    /**
     * Also reserves count addresses after the hosts' where no sshd runs, for the test's own listeners on
     * port 22 (a bastion relay, a server that never answers): {@link #spareAddress}.
     */
    public LabHosts withSpareAddresses(int count) {
        spares = count;
        return this;
    }

    /**
     * Gives each host a network namespace of its own, reached on its address through a relay
     * ({@link LabFleet#startInOwnNetworks}): for tests that change per-network kernel settings. Such hosts
     * cannot reach servers on the machine's loopback.
     */
    public LabHosts inOwnNetworks() {
        ownNetworks = true;
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("rig-" + context.getRequiredTestClass().getSimpleName() + "-");
        reservation = reserve(names.size() + spares);
        fleet = ownNetworks
                ? LabFleet.startInOwnNetworks(dir.resolve("fleet"), names, NETWORK, reservation.firstOctet())
                : LabFleet.start(dir.resolve("fleet"), names, NETWORK, reservation.firstOctet(), false);
        inventory = dir.resolve("inventory");
        fleet.writeInventory(inventory.resolve("hosts.yml"), groups);
        knownHosts = dir.resolve("known_hosts");
        Files.copy(fleet.knownHosts(), knownHosts);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        try {
            if (fleet != null) fleet.close();
        } finally {
            if (reservation != null) reservation.release();
            deleteTree(dir);
        }
    }

    /** size consecutive addresses of {@value #NETWORK}.0/24, locked for this JVM, where no sshd answers. */
    static synchronized Reservation reserve(int size) {
        if (size < 1 || size > LAST - FIRST + 1) throw new IllegalArgumentException("cannot reserve " + size + " addresses");
        Path locks = lockDirectory();
        // Two rounds: the first from where this JVM left off, the second (after wrapping) over released blocks too.
        for (int tried = 0; tried <= 2 * (LAST - FIRST + 1); tried++) {
            if (nextOctet + size - 1 > LAST) nextOctet = FIRST;
            int first = nextOctet;
            nextOctet += size;
            Reservation r = Reservation.tryLock(locks, first, size);
            if (r == null) continue;
            boolean busy = false;
            for (int i = first; i < first + size && !busy; i++) busy = answers(NETWORK + "." + i);
            if (!busy) return r;
            r.release();
        }
        throw new IllegalStateException("no " + size + " free consecutive addresses left in " + NETWORK + ".0/24 (locks in " + locks + ")");
    }

    /** One directory per network namespace: runs in other namespaces (scripts/netns-run) have loopbacks of their own. */
    private static Path lockDirectory() {
        String namespace;
        try {
            namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString().replaceAll("[^0-9]", "");
        } catch (IOException | UnsupportedOperationException e) {
            namespace = "unknown";
        }
        Path locks = Path.of(System.getProperty("java.io.tmpdir"), "rig-lab-addresses", "net-" + namespace);
        try {
            return Files.createDirectories(locks);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + locks, e);
        }
    }

    private static boolean answers(String address) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, 22), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The address locks of one block; released when its fleet stops. */
    record Reservation(int firstOctet, List<FileChannel> channels) {
        static Reservation tryLock(Path locks, int first, int size) {
            List<FileChannel> held = new ArrayList<>();
            Reservation r = new Reservation(first, held);
            try {
                for (int i = first; i < first + size; i++) {
                    FileChannel channel = FileChannel.open(locks.resolve(NETWORK + "." + i + ".lock"),
                            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    FileLock lock;
                    try {
                        lock = channel.tryLock();
                    } catch (OverlappingFileLockException e) {
                        lock = null; // this JVM holds it already
                    }
                    if (lock == null) {
                        channel.close();
                        r.release();
                        return null;
                    }
                    held.add(channel);
                }
                return r;
            } catch (IOException e) {
                r.release();
                throw new UncheckedIOException("cannot lock addresses in " + locks, e);
            }
        }

        void release() {
            for (FileChannel channel : channels) {
                try {
                    channel.close(); // closing the channel releases its lock
                } catch (IOException ignored) {
                    // nothing left to release
                }
            }
            channels.clear();
        }
    }

    /** rm, not a Java walk: Docker data-roots under a test's directory hold device nodes and root-only modes; --one-file-system never leaves the tree. */
    public static void deleteTree(Path dir) {
        if (dir == null) return;
        try {
            Process rm = new ProcessBuilder("rm", "-rf", "--one-file-system", "--", dir.toString()).inheritIO().start();
            if (!rm.waitFor(120, TimeUnit.SECONDS)) {
                rm.destroyForcibly();
                throw new IllegalStateException("removing " + dir + " took over 120 s");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public LabFleet fleet() {
        return fleet;
    }

    /** The address the fleet gave that host. */
    public String address(String host) {
        return fleet.host(host).address();
    }

    /** Spare address i (from 0) of {@link #withSpareAddresses}: reserved for this class, nobody listens there but the test. */
    public String spareAddress(int i) {
        if (i < 0 || i >= spares) throw new IllegalArgumentException("spare address " + i + " of " + spares);
        return NETWORK + "." + (reservation.firstOctet() + names.size() + i);
    }

    /** The scratch directory of this class's fleet, removed after the class: put playbooks and other files here. */
    public Path dir() {
        return dir;
    }

    /** The inventory directory: hosts.yml; add group_vars/ and host_vars/ as needed. */
    public Path inventory() {
        return inventory;
    }

    /** A copy of the fleet's known_hosts, which tests may change. */
    public Path knownHosts() {
        return knownHosts;
    }

    /** Writes a file under the inventory directory (group_vars/all.yml, ...). */
    public Path writeInventoryFile(String relative, String content) {
        try {
            Path file = inventory.resolve(relative);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** rig COMMAND -i INVENTORY --known-hosts KNOWN_HOSTS MORE..., in this JVM. */
    public Rig rig(String command, String... more) {
        return Rig.run(inventory, knownHosts, command, more);
    }

    /** A shell command on one host (as root, in its namespaces); its stdout. */
    public String exec(String host, String shellCommand) {
        return fleet.exec(host, shellCommand);
    }
}

package dev.rig.testkit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The kit's address reservation: what keeps fleets of classes, JVMs and repeated runs apart. */
@Tag("integration")
class LabHostsTest {
    @RegisterExtension
    static final LabHosts lab = LabHosts.named("kit1", "kit2");

    @Test
    void theFleetIsUpOnItsReservedAddressesWithItsInventory() throws Exception {
        assertEquals("kit1\n", lab.exec("kit1", "hostname"));
        String first = lab.address("kit1");
        assertTrue(first.startsWith(LabHosts.NETWORK + "."), first);
        int octet = Integer.parseInt(first.substring(first.lastIndexOf('.') + 1));
        assertEquals(LabHosts.NETWORK + "." + (octet + 1), lab.address("kit2"), "a block is consecutive");
        String hosts = Files.readString(lab.inventory().resolve("hosts.yml"));
        assertTrue(hosts.contains(first) && hosts.contains(lab.address("kit2")), hosts);
        // the fleet's own addresses are taken while it runs: no reservation gets them
        LabHosts.Reservation next = LabHosts.reserve(2);
        try {
            assertFalse(next.firstOctet() <= octet + 1 && octet <= next.firstOctet() + 1, "overlaps the running fleet: " + next.firstOctet());
        } finally {
            next.release();
        }
    }

    @Test
    void reservationsInOneJvmNeverOverlap() {
        List<LabHosts.Reservation> held = new ArrayList<>();
        try {
            Set<Integer> octets = new HashSet<>();
            for (int i = 0; i < 5; i++) {
                LabHosts.Reservation r = LabHosts.reserve(3);
                held.add(r);
                for (int o = r.firstOctet(); o < r.firstOctet() + 3; o++) assertTrue(octets.add(o), "handed out twice: " + o);
            }
        } finally {
            held.forEach(LabHosts.Reservation::release);
        }
    }

    @Test
    void anAddressLockedByAnotherProcessIsSkipped() throws Exception {
        // Find the block this JVM would hand out next, then let another process lock its first address.
        LabHosts.Reservation probe = LabHosts.reserve(1);
        int taken = probe.firstOctet() + 1;
        probe.release();
        Path lockFile = lockDirectory().resolve(LabHosts.NETWORK + "." + taken + ".lock");
        // a JVM of its own: Java's locks are POSIX record locks, which flock(1) would not see
        String java = ProcessHandle.current().info().command().orElse("java");
        Process holder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), LockHolder.class.getName(), lockFile.toString())
                .redirectErrorStream(true).start();
        try {
            assertEquals("locked", new String(holder.getInputStream().readNBytes(6)), "the other JVM could not take " + lockFile);
            LabHosts.Reservation r = LabHosts.reserve(1);
            try {
                assertTrue(r.firstOctet() != taken, "got the address another process holds: " + taken);
            } finally {
                r.release();
            }
        } finally {
            holder.destroy();
            holder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void anAddressWhereSomethingAnswersOnPort22IsSkipped() throws Exception {
        LabHosts.Reservation probe = LabHosts.reserve(1);
        int busy = probe.firstOctet() + 1;
        probe.release();
        try (ServerSocket stranger = new ServerSocket()) {
            stranger.bind(new InetSocketAddress(LabHosts.NETWORK + "." + busy, 22)); // someone else's sshd, as far as the kit can tell
            LabHosts.Reservation r = LabHosts.reserve(1);
            try {
                assertTrue(r.firstOctet() != busy, "got an address where something listens: " + busy);
            } finally {
                r.release();
            }
        }
    }

    /** Holds an exclusive lock on the file ARGS[0] the way the kit takes one, until killed. */
    public static final class LockHolder {
        public static void main(String[] args) throws Exception {
            try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                 FileLock lock = channel.tryLock()) {
                System.out.print(lock == null ? "busy  " : "locked");
                System.out.flush();
                Thread.sleep(30_000);
            }
        }
    }

    private static Path lockDirectory() throws Exception {
        String namespace = Files.readSymbolicLink(Path.of("/proc/self/ns/net")).toString().replaceAll("[^0-9]", "");
        return Path.of(System.getProperty("java.io.tmpdir"), "rig-lab-addresses", "net-" + namespace);
    }
}

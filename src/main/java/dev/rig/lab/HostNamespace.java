package dev.rig.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A held reference to one lab host's mount and UTS namespaces (and its network namespace, when it has
 * one of its own), taken from its sshd.
 *
 * <p>Holding the namespace files open keeps both namespaces alive after every process in them has
 * died, which gives the lab three things: a restarted sshd can re-enter them (its /srv, /opt and /root
 * survive), commands can be run in them while the sshd is down, and the namespace's inode number cannot
 * be handed to another fleet's host while we still sweep it for processes to kill (the kernel reuses
 * those numbers at once).
 */
final class HostNamespace implements AutoCloseable {
    private static final Path PROC = Path.of("/proc");

    private final FileChannel mount;
    private final FileChannel uts;
    private final FileChannel net; // null: the host shares the lab's network
    private final String mountId;
    private final List<String> nsenterOptions;

    private HostNamespace(FileChannel mount, FileChannel uts, FileChannel net, String mountId, List<String> nsenterOptions) {
        this.mount = mount;
        this.uts = uts;
        this.net = net;
        this.mountId = mountId;
        this.nsenterOptions = nsenterOptions;
    }

    /** Takes hold of the namespaces process pid lives in; refuses the JVM's own, which would mean unshare did nothing. */
    static HostNamespace of(long pid) {
        Path nsDir = PROC.resolve(Long.toString(pid)).resolve("ns");
        FileChannel mount = null;
        FileChannel uts = null;
        FileChannel net = null;
        boolean held = false;
        try {
            String mountId = link(nsDir.resolve("mnt"));
            String utsId = link(nsDir.resolve("uts"));
            String netId = link(nsDir.resolve("net"));
            if (mountId.equals(link(Path.of("/proc/self/ns/mnt")))) {
                throw new IllegalStateException("process " + pid + " runs in the lab's own mount namespace, not a private one");
            }
            mount = FileChannel.open(nsDir.resolve("mnt"));
            uts = FileChannel.open(nsDir.resolve("uts"));
            boolean ownNetwork = !netId.equals(link(Path.of("/proc/self/ns/net")));
            if (ownNetwork) net = FileChannel.open(nsDir.resolve("net"));
            // Found by the ids read before opening: should pid have died in between, this fails instead of holding a stranger's.
            List<String> options = new ArrayList<>(List.of("--mount=" + openedAs(mountId), "--uts=" + openedAs(utsId)));
            if (ownNetwork) options.add("--net=" + openedAs(netId));
            HostNamespace namespace = new HostNamespace(mount, uts, net, mountId, List.copyOf(options));
            held = true;
            return namespace;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the namespaces of process " + pid, e);
        } finally {
            if (!held) {
                closeQuietly(mount);
                closeQuietly(uts);
                closeQuietly(net);
            }
        }
    }

    /** nsenter options that enter these namespaces (paths to the descriptors this JVM holds). */
    List<String> nsenterOptions() {
        return nsenterOptions;
    }

    /** Processes (not yet exited) that live in this mount namespace. */
    List<Long> members() {
        List<Long> pids = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
            for (Path entry : entries) {
                if (mountId.equals(linkOrNull(entry.resolve("ns/mnt")))) {
                    long pid = Long.parseLong(entry.getFileName().toString());
                    if (LocalProcesses.isRunning(pid)) pids.add(pid);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list processes", e);
        }
        pids.remove(Long.valueOf(ProcessHandle.current().pid())); // never kill ourselves, whatever /proc says
        return pids;
    }

    /** SIGKILLs every process in the namespace, sweeping again for ones forked meanwhile, until none is left. */
    void killMembers(Duration bound) {
        long deadline = System.nanoTime() + bound.toNanos();
        List<Long> left = members();
        while (!left.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("processes " + left + " survived SIGKILL for " + bound.toSeconds() + " s");
            }
            left.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            LocalProcesses.sleep(LocalProcesses.POLL);
            left = members();
        }
    }

    @Override
    public void close() {
        closeQuietly(mount);
        closeQuietly(uts);
        closeQuietly(net);
    }

    /** The /proc path under which this JVM holds the namespace file named by id, e.g. "mnt:[4026532177]". */
    private static String openedAs(String id) throws IOException {
        long self = ProcessHandle.current().pid();
        try (DirectoryStream<Path> descriptors = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
            for (Path descriptor : descriptors) {
                if (id.equals(linkOrNull(descriptor))) {
                    return "/proc/" + self + "/fd/" + descriptor.getFileName();
                }
            }
        }
        throw new IllegalStateException("opened namespace " + id + " but found no descriptor for it");
    }

    private static String link(Path path) throws IOException {
        return Files.readSymbolicLink(path).toString();
    }

    private static String linkOrNull(Path path) {
        try {
            return link(path);
        } catch (IOException | RuntimeException e) {
            return null; // the process exited, or is not ours to inspect
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) return;
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}

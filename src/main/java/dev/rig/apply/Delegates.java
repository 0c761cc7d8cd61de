package dev.rig.apply;

import dev.rig.core.Source;
import dev.rig.inventory.Host;
import dev.rig.inventory.Inventory;
import dev.rig.playbook.PlaybookLoader;
import dev.rig.ssh.SshException;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The hosts tasks are delegated to in one run ({@code delegate_to}): which host a name means, its
 * connection (the same one the host's own plays use: one per host for the run, opened once even
 * when several hosts delegate to it at the same moment), its host lock in an apply, and a turn at a
 * time for the tasks delegated to it, so that two hosts' read-modify-write of one file on it never
 * interleave.
 */
public final class Delegates {
    private final Engine.Context run;
    private final Inventory inventory;
    private final Duration lockTimeout;
    private final Supplier<String> lockOwner;
    private final Map<String, Remote> connections = new ConcurrentHashMap<>();
    private final Map<String, SshException> unreachable = new ConcurrentHashMap<>();
    private final Map<String, String> lockRefused = new ConcurrentHashMap<>();
    private final Map<String, ReentrantLock> turns = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> changes = new ConcurrentHashMap<>();
    private final LocalRemote local = new LocalRemote();

    Delegates(Engine.Context run, Inventory inventory, Duration lockTimeout, Supplier<String> lockOwner) {
        this.run = run;
        this.inventory = inventory;
        this.lockTimeout = lockTimeout;
        this.lockOwner = lockOwner;
    }

    /** A delegated task's rendered {@code delegate_to} names no host rig can reach: the task fails with this. */
    static final class Refused extends RuntimeException {
        Refused(String message) {
            super(message);
        }
    }

    /**
     * The host a delegate_to names: an inventory host, else localhost (or 127.0.0.1, ::1) as the
     * operator's machine with group all's variables, as Ansible's implicit localhost. Any other name
     * is refused: Ansible would connect to it as an address with no inventory variables, which rig does
     * not do (add the host to the inventory).
     */
    public static Optional<Host> resolve(Inventory inventory, String name) {
        Optional<Host> host = inventory.host(name);
        if (host.isPresent()) return host;
        if (PlaybookLoader.LOCALHOST_NAMES.contains(name)) return Optional.of(Engine.implicitLocalhost(inventory));
        return Optional.empty();
    }

    /** Why a delegate_to name cannot be used, for errors at load and at run time. */
    public static String notInInventory(String name) {
        return "delegate_to '" + name + "' names no host in the inventory: rig delegates only to inventory hosts"
                + " and localhost (Ansible would connect to it as an address; add it to the inventory with its ansible_host)";
    }

    Host resolve(String name, Source source) {
        return resolve(inventory, name).orElseThrow(() -> new Refused(source + ": " + notInInventory(name)));
    }

    /** The implicit localhost (a localhost name the inventory does not have): the operator's machine, never locked, as before delegation to hosts. */
    private boolean implicitLocal(Host delegate) {
        return inventory.host(delegate.name()).isEmpty();
    }

    /** The delegate's connection: the run's one for that host, opened on first use; a delegate found unreachable stays so for the run. */
    Remote connect(Host delegate) throws SshException {
        if (implicitLocal(delegate)) return local;
        Remote r = connections.get(delegate.name());
        if (r != null) return r;
        synchronized (guard(delegate.name())) {
            r = connections.get(delegate.name());
            if (r != null) return r;
            SshException earlier = unreachable.get(delegate.name());
            if (earlier != null) throw earlier;
            try {
                r = run.connector.connect(delegate);
            } catch (SshException e) {
                unreachable.put(delegate.name(), e);
                throw e;
            }
            connections.put(delegate.name(), r);
            return r;
        }
    }

    /**
     * In an apply (or a plan keeping locks), takes the delegate's host lock for the rest of the run unless this run holds it
     * already (its own play took it, or an earlier delegation); another run's lock refuses the task,
     * and every later task delegated to that host, naming the holder.
     */
    void lock(Host delegate, Remote remote) {
        if (!run.takesLocks || implicitLocal(delegate)) return;
        String name = delegate.name();
        synchronized (run.lockGuard(name)) {
            if (run.holdsLock(name)) return;
            String refused = lockRefused.get(name);
            if (refused != null) throw new Refused(refused);
            String marker = "rig-locked-" + run.nonce();
            try {
                run.holdLock(name, remote.hold(HostLock.script(lockOwner.get(), run.nonce(), name, lockTimeout, marker), marker,
                        lockTimeout.plus(run.commandTimeout)));
            } catch (SshException e) {
                String said = String.valueOf(e.getMessage()).strip();
                if (said.startsWith(HostLock.SAME_RUN)) {
                    run.sameMachineAs(name, said.substring(HostLock.SAME_RUN.length()).strip());
                    return;
                }
                String message = "cannot take the host lock of " + name + " (delegate_to): " + e.getMessage();
                lockRefused.put(name, message);
                throw new Refused(message);
            }
        }
    }

    /** One delegated task at a time on a machine: held from its probe to its last command. */
    ReentrantLock turn(Host delegate) {
        return turns.computeIfAbsent(run.machineOf(delegate.name()), k -> new ReentrantLock());
    }

    /** A delegated task changed the host: that host's own run reads its state again rather than trust answers read before. */
    void changed(String host) {
        changes.computeIfAbsent(host, k -> new AtomicInteger()).incrementAndGet();
    }

    /** How many delegated changes the host has had so far (see {@link #changed}). */
    int changes(String host) {
        AtomicInteger n = changes.get(host);
        return n == null ? 0 : n.get();
    }

    private final Map<String, Object> guards = new ConcurrentHashMap<>();

    private Object guard(String name) {
        return guards.computeIfAbsent(name, k -> new Object());
    }
}

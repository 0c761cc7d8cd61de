package dev.rig.apply;

import dev.rig.core.Secrets;
import dev.rig.inventory.Group;
import dev.rig.inventory.Host;
import dev.rig.inventory.Inventory;
import dev.rig.modules.Modules;
import dev.rig.playbook.Play;
import dev.rig.playbook.Playbook;
import dev.rig.playbook.Task;
import dev.rig.ssh.SshException;
import dev.rig.template.Templates;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ExecutionException;

/**
 * Runs playbooks over the inventory. Each play's hosts run in parallel (up to {@code forks}),
 * each host working through the play's tasks on its own connection; {@code serial} splits the
 * hosts into batches and {@code max_fail_percentage} stops the play after a bad batch.
 */
public final class Engine {
    /** {@code lockTimeout}: how long apply waits for another run's lock on a host. */
    public record Options(Mode mode, String limit, Set<String> tags, Set<String> skipTags, Map<String, Object> extraVars,
                          int forks, Duration commandTimeout, Duration lockTimeout) {}

    /** {@code changes}: some host's state differs (commands that always run do not count). */
    public record Result(List<HostRecap> recaps, boolean changes, boolean problems) {}

    /** As in Ansible: a play for 'localhost' that the inventory does not name runs on the operator's machine. */
    public static final Host IMPLICIT_LOCALHOST = new Host("localhost",
            Map.of("ansible_connection", "local", "inventory_hostname", "localhost", "group_names", List.of()), List.of());

    private final Inventory inventory;
    private final List<Playbook> playbooks;
    private final Context ctx;
    private final Options options;
    private String startedAt;
    /** Set: the run takes the hosts' locks even in a plan, and leaves them held when it ends. */
    private HeldLocks keptLocks;

    public Engine(Inventory inventory, List<Playbook> playbooks, Modules modules, Templates templates, Connector connector,
                  Secrets secrets, EventSink sink, Options options) {
        this.inventory = inventory;
        this.playbooks = playbooks;
        this.options = options;
        this.ctx = new Context(options.mode(), modules, templates, connector, secrets, sink, options.extraVars(),
                options.tags(), options.skipTags(), options.commandTimeout(), magicVars(inventory));
        ctx.delegates = new Delegates(ctx, inventory, options.lockTimeout(), () -> HostLock.owner(startedAt));
        ctx.takesLocks = options.mode() == Mode.APPLY;
    }

    /**
     * Takes each host's lock into locks and keeps it held after the run, in a plan as in an apply: the plan
     * that checks a reviewed plan then reads every host under the lock the apply goes on holding.
     */
    public Engine keepingLocks(HeldLocks locks) {
        keptLocks = locks;
        ctx.takesLocks = true;
        ctx.locks = locks.locks;
        ctx.sameMachine = locks.sameMachine;
        return this;
    }

    /** Shared, read-mostly state of one run that every host thread uses. */
    static final class Context {
        final Mode mode;
        final Modules modules;
        final Templates templates;
        final Connector connector;
        final Secrets secrets;
        final EventSink sink;
        final Map<String, Object> extraVars;
        final Set<String> tags;
        final Set<String> skipTags;
        final Duration commandTimeout;
        final Map<String, Object> magicVars;
        private final String nonce;
        private final Map<String, HostState> states = new ConcurrentHashMap<>();
        private Map<String, AutoCloseable> locks = new ConcurrentHashMap<>();
        /** Inventory names found to be one machine (this run already held its lock under another name): name → the holder's name. */
        private Map<String, String> sameMachine = new ConcurrentHashMap<>();
        /** One per machine: the tasks of its inventory names never run at the same time. */
        private final Map<String, java.util.concurrent.locks.ReentrantLock> machineLocks = new ConcurrentHashMap<>();
        /** The hosts tasks are delegated to: their connections, locks and turns. */
        Delegates delegates;
        /** The run takes host locks (an apply, or a plan keeping them for the apply that follows): its hosts' and its delegates'. */
        boolean takesLocks;
        /** One per host name: its lock is taken once, whether by its own play or by a task delegated to it. */
        private final Map<String, Object> lockGuards = new ConcurrentHashMap<>();

        Object lockGuard(String host) {
            return lockGuards.computeIfAbsent(host, k -> new Object());
        }

        boolean holdsLock(String host) {
            return locks.containsKey(host);
        }

        void holdLock(String host, AutoCloseable lock) {
            locks.put(host, lock);
        }

        /** The machine an inventory name is (the name that holds its lock for this run). */
        String machineOf(String host) {
            return sameMachine.getOrDefault(host, host);
        }

        /** host turned out to be the machine holder already holds the lock of: share it, and take turns with that name. */
        void sameMachineAs(String host, String holder) {
            sameMachine.put(host, sameMachine.getOrDefault(holder, holder));
            locks.put(host, () -> { });
            sink.emit(new Event.Warning(host + " is the same machine as " + holder
                    + ": this run holds its lock once, for both names, and runs their tasks one name at a time"));
        }

        Context(Mode mode, Modules modules, Templates templates, Connector connector, Secrets secrets, EventSink sink,
                Map<String, Object> extraVars, Set<String> tags, Set<String> skipTags, Duration commandTimeout,
                Map<String, Object> magicVars) {
            this.mode = mode;
            this.modules = modules;
            this.templates = templates;
            this.connector = connector;
            this.secrets = secrets;
            this.sink = sink;
            this.extraVars = extraVars;
            this.tags = tags;
            this.skipTags = skipTags;
            this.commandTimeout = commandTimeout;
            this.magicVars = magicVars;
            byte[] b = new byte[8];
            new SecureRandom().nextBytes(b);
            this.nonce = HexFormat.of().formatHex(b);
        }

        /** A per-run random token for output frames and sudo prompts. */
        String nonce() {
            return nonce;
        }

        boolean selectedByTags(Task t) {
            return new dev.rig.playbook.TagSelection(tags, skipTags).selects(t.tags());
        }

        /** One per task with throttle, shared by the hosts: at most that many run the task at once. */
        private final Map<Task, java.util.concurrent.Semaphore> throttles = java.util.Collections.synchronizedMap(new java.util.IdentityHashMap<>());

        java.util.concurrent.Semaphore throttle(Task t) {
            int n = t.control().throttle();
            return n <= 0 ? null : throttles.computeIfAbsent(t, k -> new java.util.concurrent.Semaphore(n, true));
        }

        /** Plays a meta end_play was reached in: their later serial batches do not start (Ansible's iterator.end_play); by identity, as one playbook imported twice makes equal plays. */
        final Set<Play> playsEnded = java.util.Collections.synchronizedSet(java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>()));

        /** The lockstep of each host's current batch, for plays with run_once or any_errors_fatal (absent otherwise: no cost). */
        private final Map<String, BatchLockstep> lockstep = new ConcurrentHashMap<>();

        BatchLockstep lockstep(String host) {
            return lockstep.get(host);
        }

        HostState state(String host) {
            return states.computeIfAbsent(host, HostState::new);
        }

        void unreachable(HostState state, String message) {
            synchronized (state) {
                if (state.dead) return;
                state.count(Status.UNREACHABLE, false);
                state.fail("unreachable: " + message);
            }
            sink.emit(new Event.HostUnreachable(state.host, message));
        }
    }

    public Result run() {
        long start = System.nanoTime();
        startedAt = java.time.Instant.now().toString();
        List<String> order = new ArrayList<>();
        int forks = Math.max(1, options.forks());
        ExecutorService pool = Executors.newFixedThreadPool(forks, r -> {
            Thread t = new Thread(r, "rig-host");
            t.setDaemon(true);
            return t;
        });
        try {
            for (Playbook pb : playbooks) {
                for (Play play : pb.plays()) {
                    // any_errors_fatal ends the playbook, as Ansible's break_play does
                    if (!runPlay(play, pool, order)) break;
                }
            }
        } finally {
            pool.shutdownNow();
            if (keptLocks == null) ctx.locks.values().forEach(Engine::release);
        }
        List<HostRecap> recaps = order.stream().map(h -> ctx.state(h).recap()).toList();
        boolean changes = recaps.stream().anyMatch(r -> r.converging() > 0);
        boolean problems = recaps.stream().anyMatch(HostRecap::hasProblem);
        ctx.sink.emit(new Event.RunFinished(options.mode(), recaps, (System.nanoTime() - start) / 1_000_000));
        return new Result(recaps, changes, problems);
    }

    /** As in Ansible, --limit leaves the implicit localhost out unless it names it ("-l central,localhost"). */
    public static boolean limitNamesLocalhost(String limit) {
        for (String part : limit.split("[,:]")) {
            if (part.strip().equals(IMPLICIT_LOCALHOST.name())) return true;
        }
        return false;
    }

    /** As in Ansible, the implicit localhost is in no group but takes the variables of group 'all'. */
    static Host implicitLocalhost(Inventory inventory) {
        Group all = inventory.groups().get(Inventory.ALL);
        if (all == null || all.vars().isEmpty()) return IMPLICIT_LOCALHOST;
        Map<String, Object> vars = new LinkedHashMap<>(all.vars());
        vars.putAll(IMPLICIT_LOCALHOST.vars());
        return new Host(IMPLICIT_LOCALHOST.name(), vars, IMPLICIT_LOCALHOST.groups());
    }

    /** The hosts a play targets, narrowed by --limit; hosts that failed earlier in the run are left out. */
    public static List<Host> hostsFor(Inventory inventory, String pattern, String limit) {
        List<Host> hosts = inventory.select(pattern);
        if (hosts.isEmpty() && IMPLICIT_LOCALHOST.name().equals(pattern)) {
            return limit == null || limit.isBlank() || limitNamesLocalhost(limit) ? List.of(implicitLocalhost(inventory)) : List.of();
        }
        if (limit != null && !limit.isBlank()) {
            Set<String> allowed = Set.copyOf(inventory.select(limit).stream().map(Host::name).toList());
            hosts = hosts.stream().filter(h -> allowed.contains(h.name())).toList();
        }
        return hosts;
    }

    /** False when any_errors_fatal ended the play: the playbook's later plays do not run. */
    private boolean runPlay(Play play, ExecutorService pool, List<String> order) {
        List<Host> hosts = hostsFor(inventory, play.hosts(), options.limit());
        for (Host h : hosts) {
            if (!order.contains(h.name())) order.add(h.name());
        }
        hosts = hosts.stream().filter(h -> !ctx.state(h.name()).dead).toList();
        ctx.sink.emit(new Event.PlayStarted(play.displayName(), hosts.stream().map(Host::name).toList()));
        if (hosts.isEmpty()) {
            ctx.sink.emit(new Event.Warning("play '" + play.displayName() + "': no hosts matched '" + play.hosts() + "'"
                    + (options.limit() != null ? " with limit '" + options.limit() + "'" : "")));
            return true;
        }
        boolean lockstep = usesLockstep(play);
        for (List<Host> batch : batches(hosts, play.serial())) {
            BatchLockstep batchLockstep = lockstep ? new BatchLockstep(batch.stream().map(Host::name).toList()) : null;
            for (Host h : batch) {
                if (batchLockstep != null) ctx.lockstep.put(h.name(), batchLockstep);
                else ctx.lockstep.remove(h.name());
            }
            List<Future<?>> running = new ArrayList<>();
            for (Host h : batch) running.add(pool.submit(() -> runHost(play, h)));
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                } catch (ExecutionException e) {
                    throw new IllegalStateException("host thread failed", e.getCause());
                }
            }
            if (ctx.playsEnded.contains(play)) return true;
            if (batchLockstep != null && batchLockstep.fatal() != null) {
                ctx.sink.emit(new Event.Warning("play '" + play.displayName() + "' stopped for every host (any_errors_fatal): "
                        + batchLockstep.fatal()));
                return false;
            }
            if (tooManyFailed(play, batch)) {
                ctx.sink.emit(new Event.Warning("play '" + play.displayName() + "' stopped: more than "
                        + (play.maxFailPercentage() == null ? 0 : play.maxFailPercentage()) + "% of a batch failed"));
                return true;
            }
        }
        return true;
    }

    /** Whether some task or handler of the play runs in step with the others of its batch (run_once, any_errors_fatal). */
    static boolean usesLockstep(Play play) {
        return play.tasks().stream().anyMatch(t -> t.control().lockstep().coordinated())
                || play.handlers().stream().anyMatch(t -> t.control().lockstep().coordinated());
    }

    /** Ansible's rule: a batch where every host failed ends the play; max_fail_percentage makes it stricter. */
    private boolean tooManyFailed(Play play, List<Host> batch) {
        long failed = batch.stream().filter(h -> ctx.state(h.name()).dead).count();
        if (play.maxFailPercentage() == null) return failed == batch.size();
        return failed * 100.0 / batch.size() > play.maxFailPercentage();
    }

    static List<List<Host>> batches(List<Host> hosts, Object serial) {
        if (serial == null) return List.of(hosts);
        int size;
        if (serial instanceof Integer i) {
            size = i;
        } else {
            int pct = Integer.parseInt(String.valueOf(serial).replace("%", ""));
            size = Math.max(1, (int) Math.floor(hosts.size() * pct / 100.0));
        }
        List<List<Host>> out = new ArrayList<>();
        for (int i = 0; i < hosts.size(); i += size) out.add(hosts.subList(i, Math.min(hosts.size(), i + size)));
        return out;
    }

    private void runHost(Play play, Host host) {
        try {
            runHostPlay(play, host);
        } finally {
            BatchLockstep lockstep = ctx.lockstep(host.name());
            if (lockstep != null) lockstep.left(host.name());
            ctx.sink.emit(new Event.HostFinished(play.displayName(), host.name(), ctx.state(host.name()).dead));
        }
    }

    private void runHostPlay(Play play, Host host) {
        HostState state = ctx.state(host.name());
        if (state.dead) return;
        Remote remote;
        try {
            remote = options.mode() == Mode.RENDER ? OFFLINE : runsLocally(play, host) ? new LocalRemote() : ctx.connector.connect(host);
        } catch (SshException e) {
            ctx.unreachable(state, e.getMessage());
            return;
        }
        HostRun hostRun = new HostRun(ctx, play, host, state, remote);
        // connection: local changes the operator's machine, not the host: the host's lock is not the one to take.
        if (ctx.takesLocks && !runsLocally(play, host)) {
            synchronized (ctx.lockGuard(host.name())) { // a task delegated to this host may be taking its lock right now
                if (!ctx.locks.containsKey(host.name()) && !lock(play, host, state, remote, hostRun)) return;
            }
        }
        var machine = ctx.machineLocks.computeIfAbsent(ctx.sameMachine.getOrDefault(host.name(), host.name()), k -> new java.util.concurrent.locks.ReentrantLock());
        BatchLockstep lockstep = ctx.lockstep(host.name());
        if (!machine.tryLock()) {
            // Another name of this machine runs its play first: the batch must not wait for this one meanwhile.
            if (lockstep != null) lockstep.waitsForMachine(host.name(), true);
            machine.lock();
            if (lockstep != null) lockstep.waitsForMachine(host.name(), false);
        }
        try {
            hostRun.run();
        } finally {
            machine.unlock();
        }
    }

    /** A play's connection: local runs on this machine, unless the host's own ansible_connection says otherwise (variables win over keywords, as in Ansible). */
    static boolean runsLocally(Play play, Host host) {
        return play.connectionLocal() && !host.vars().containsKey("ansible_connection");
    }

    /** A render's "connection": it never contacts the host, so any use of it is a bug. */
    private static final Remote OFFLINE = new Remote() {
        @Override
        public dev.rig.ssh.ExecResult exec(String command, byte[] stdin, Duration timeout) {
            throw new IllegalStateException("rig render contacts no host");
        }

        @Override
        public AutoCloseable hold(String command, String readyMarker, Duration timeout) {
            throw new IllegalStateException("rig render contacts no host");
        }

        @Override
        public int channelsOpened() {
            return 0;
        }

        @Override
        public void close() {
        }
    };

    /**
     * Takes the host's lock for the rest of the run; a host someone else holds fails with who it is. The
     * play's first probe batch is read in the lock's own channel, once the lock is taken: a run that
     * finds nothing to change costs the host one connection and one channel.
     */
    private boolean lock(Play play, Host host, HostState state, Remote remote, HostRun hostRun) {
        String marker = "rig-locked-" + ctx.nonce();
        Duration wait = options.lockTimeout().plus(options.commandTimeout());
        try {
            HostRun.Opening opening = hostRun.opening();
            if (opening != null) {
                String done = "rig-probed-" + ctx.nonce();
                String command = HostLock.scriptReading(HostLock.owner(startedAt), ctx.nonce(), host.name(), options.lockTimeout(),
                        opening.become() == null ? null : opening.become().user(), done);
                byte[] input = (opening.script() + HostLock.answerTrailer(done)).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                Remote.Held held = remote.holdAnswering(command, input, done, wait);
                if (held != null) {
                    ctx.locks.put(host.name(), held.handle());
                    hostRun.preload(opening, ProbeBatch.parse(held.out(), ctx.nonce()));
                    return true;
                }
            }
            ctx.locks.put(host.name(), remote.hold(HostLock.script(HostLock.owner(startedAt), ctx.nonce(), host.name(), options.lockTimeout(), marker), marker, wait));
            return true;
        } catch (SshException e) {
            String said = String.valueOf(e.getMessage()).strip();
            if (said.startsWith(HostLock.SAME_RUN)) {
                // Another inventory name of this run holds this machine's lock: share it, and take turns with that name.
                ctx.sameMachineAs(host.name(), said.substring(HostLock.SAME_RUN.length()).strip());
                return true;
            }
            String message = e.kind() == SshException.Kind.UNREACHABLE ? e.getMessage() : "cannot take the host lock: " + e.getMessage();
            state.count(Status.FAILED, false);
            state.fail(message);
            ctx.sink.emit(new Event.TaskDone(host.name(), play.displayName(), "lock the host", null, Status.FAILED,
                    dev.rig.plan.Action.NOOP, message, List.of(), List.of(), false, false));
            return false;
        }
    }

    private static void release(AutoCloseable lock) {
        try {
            lock.close();
        } catch (Exception e) {
            // The connection closing releases it on the host all the same.
        }
    }

    /**
     * A host's variables for commands that read settings without running tasks (verify): the defaults of
     * every role the playbooks use (a setting of a role the host does not run is still its default), the
     * inventory, the vars and role vars of the plays that target the host, extra vars; the precedence of
     * a task's variables, later plays winning among equals.
     */
    public static Map<String, Object> hostVars(Inventory inventory, List<Playbook> playbooks, Host host, Map<String, Object> extraVars) {
        Map<String, Object> defaults = new java.util.HashMap<>();
        Map<String, Object> playVars = new java.util.HashMap<>();
        Map<String, Object> roleVars = new java.util.HashMap<>();
        for (Playbook pb : playbooks) {
            for (Play p : pb.plays()) {
                defaults.putAll(p.roleDefaults());
                if (hostsFor(inventory, p.hosts(), null).stream().anyMatch(h -> h.name().equals(host.name()))) {
                    playVars.putAll(p.vars());
                    roleVars.putAll(p.roleVars());
                }
            }
        }
        return HostRun.layered(defaults, host, magicVars(inventory), playVars, roleVars, Map.of(), Map.of(), extraVars);
    }

    private static Map<String, Object> magicVars(Inventory inventory) {
        Map<String, Object> groups = new LinkedHashMap<>();
        for (String g : inventory.groups().keySet()) {
            groups.put(g, inventory.select(g).stream().map(Host::name).toList());
        }
        Map<String, Object> hostvars = new LinkedHashMap<>();
        for (Host h : inventory.hosts()) hostvars.put(h.name(), h.vars());
        return Map.of("groups", groups, "hostvars", hostvars);
    }
}

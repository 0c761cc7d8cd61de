package dev.rig.apply;

import dev.rig.core.Secrets;
import dev.rig.facts.HostFacts;
import dev.rig.facts.PathFact;
import dev.rig.facts.Probe;
import dev.rig.inventory.Host;
import dev.rig.modules.Args;
import dev.rig.modules.FileProducer;
import dev.rig.modules.LocalFactModule;
import dev.rig.modules.Module;
import dev.rig.modules.ModuleContext;
import dev.rig.modules.Modules;
import dev.rig.modules.Outcome;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.HostCommand;
import dev.rig.plan.LocalEffect;
import dev.rig.plan.RenderedFile;
import dev.rig.playbook.Block;
import dev.rig.playbook.Include;
import dev.rig.playbook.Play;
import dev.rig.playbook.Step;
import dev.rig.playbook.Task;
import dev.rig.ssh.ExecResult;
import dev.rig.ssh.SshException;
import dev.rig.template.KnownAfterApplyException;
import dev.rig.template.TemplateError;
import dev.rig.template.Templates;
import dev.rig.template.UnknownValue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One play on one host: tasks in order, loops, conditions, probes (batched), changes, register,
 * notify, then the notified handlers. A failed task stops this host only.
 */
final class HostRun {
    private static final int MAX_BATCH = 400;

    private final Engine.Context run;
    private final Play play;
    private final Host host;
    private final HostState state;
    private Remote remote;
    /** An unreachable host that a task's ignore_unreachable kept in the play: the next command connects again, as Ansible's next task does. */
    private boolean connectionLost;
    /** The last task's host was unreachable, and the task said to ignore it (still a fatal error under any_errors_fatal, as in Ansible). */
    private boolean unreachableIgnored;
    private final ProbeCache probeCache = new ProbeCache();
    private final Set<String> notified = new LinkedHashSet<>();

    HostRun(Engine.Context run, Play play, Host host, HostState state, Remote remote) {
        this.run = run;
        this.play = play;
        this.host = host;
        this.state = state;
        this.remote = remote;
    }

    private boolean prepared;

    /** The play's selected tasks, in order, and the secrets of its variables; once, before anything reads them. */
    private void prepare() {
        if (prepared) return;
        prepared = true;
        List<Task> tasks = play.tasks().stream().filter(run::selectedByTags).toList();
        for (int i = 0; i < tasks.size(); i++) position.put(tasks.get(i), i);
        flat = tasks;
        collectSecrets();
    }

    /** The probe batch the play starts with, for the host lock's channel to read (see Engine.lock). */
    record Opening(List<PendingProbe> batch, String script, RemoteCommands.Become become) {}

    /**
     * What the play's first probe would read in one batch (the facts, or the first task's probe, and
     * the probes after it that are known now); null when there is none, or when its sudo needs a
     * password (that dialogue needs a channel of its own).
     */
    Opening opening() {
        prepare();
        if (run.mode != Mode.APPLY) return null;
        List<PendingProbe> batch;
        try {
            if (play.gatherFacts()) {
                batch = batchFor(new PendingProbe(HostFacts.PROBE.script(), become(null), null, false), lookahead(flat));
            } else {
                List<PendingProbe> all = lookahead(flat);
                if (all.isEmpty()) return null;
                batch = batchFor(all.get(0), all.subList(1, all.size()));
            }
        } catch (RuntimeException e) {
            return null; // the task reports it when it runs
        }
        RemoteCommands.Become become = batch.get(0).become();
        if (become != null && become.password() != null) return null;
        return new Opening(batch, batchScript(batch), become);
    }

    /** The outputs of an opening batch, read in the lock's channel: the play's first probes find them. */
    void preload(Opening opening, Map<Integer, ProbeBatch.Output> outputs) {
        for (int i = 0; i < opening.batch().size(); i++) {
            ProbeBatch.Output o = outputs.get(i);
            if (o != null) cache(opening.batch().get(i), o);
        }
    }

    void run() {
        prepare();
        List<Task> tasks = flat;
        if (play.gatherFacts() && !gatherFacts(tasks)) return;
        if (!runSteps(play.steps()) || ended) return;
        List<Task> handlers = play.handlers().stream()
                .filter(h -> notified.contains(h.name()) || h.listen().stream().anyMatch(notified::contains))
                .toList();
        runList(handlers, true);
    }

    /**
     * Reads the host's facts in the same round trip as the probes of the play's tasks that do not
     * depend on them (the facts probe leads the batch); false when the host failed.
     */
    private boolean gatherFacts(List<Task> tasks) {
        if (run.mode == Mode.RENDER) {
            UnknownValue unknown = new UnknownValue("the facts of " + host.name() + " (rig render contacts no host)");
            state.gathered.put("ansible_facts", unknown);
            HostFacts.NAMES.forEach(n -> state.gathered.put("ansible_" + n, unknown));
            return true;
        }
        try {
            ProbeBatch.Output out = probeOutput(new PendingProbe(HostFacts.PROBE.script(), become(null), null, false), () -> lookahead(tasks));
            if (out.exitCode() != 0) {
                state.count(Status.FAILED, false);
                state.fail("gathering facts: " + clean(out.text(), become(null)));
                run.sink.emit(new Event.TaskDone(host.name(), play.displayName(), "Gathering Facts", null, Status.FAILED,
                        Action.NOOP, "could not read the host's facts: " + clean(out.text(), become(null)), List.of(), List.of(), false, false));
                return false;
            }
            state.gathered.clear();
            state.gathered.putAll(HostFacts.asVariables(HostFacts.parse(out.text())));
            return true;
        } catch (SshException e) {
            unreachable(e.getMessage());
            return false;
        }
    }

    /** The play's selected tasks in order, and where each is: the probes of the ones after a task are read with it. */
    private final Map<Task, Integer> position = new java.util.IdentityHashMap<>();
    private List<Task> flat = List.of();
    private Task failedTask;
    private Map<String, Object> failedResult = Map.of();

    /** meta: end_host or end_play was reached: the play is over for this host, which is not failed. */
    private boolean ended;

    /** include_vars: the variables read at load join the host's when the task's conditions hold; false when the host failed. */
    private boolean includeVars(Task task) {
        Map<String, Object> vars = vars(task, null);
        try {
            if (!blockConditionsHold(task, vars) || task.when() != null && !run.templates.test(task.when(), task.whenSource(), vars)) {
                report(task, null, Status.SKIPPED, Change.none("condition is false"), "skipped: when is false", false, false, List.of());
                return true;
            }
        } catch (KnownAfterApplyException e) {
            report(task, null, Status.KNOWN_AFTER_APPLY, Change.none(e.getMessage()), e.getMessage(), false, false, List.of());
            return true;
        } catch (RuntimeException e) {
            return fail(task, null, e.getMessage(), false);
        }
        Map<String, Object> values = stringKeys((Map<?, ?>) task.args().get("values"));
        Object name = task.args().get("name");
        if (name != null) state.included.put(String.valueOf(name), values);
        else state.included.putAll(values);
        report(task, null, Status.OK, Change.none("included vars"), "included vars from " + task.args().get("file"), false, false, List.of());
        return true;
    }

    /** meta's actions; false when the host failed (a handler flushed here failed it, or its condition could not be read). */
    private boolean meta(Task task) {
        String action = String.valueOf(task.args().get("action"));
        Map<String, Object> vars = vars(task, null);
        try {
            if (!blockConditionsHold(task, vars) || task.when() != null && !run.templates.test(task.when(), task.whenSource(), vars)) return true;
        } catch (RuntimeException e) {
            return fail(task, null, e.getMessage(), false);
        }
        switch (action) {
            case "flush_handlers" -> {
                List<Task> handlers = play.handlers().stream()
                        .filter(h -> notified.contains(h.name()) || h.listen().stream().anyMatch(notified::contains)).toList();
                notified.clear();
                return runList(handlers, true);
            }
            case "end_host", "end_play" -> {
                ended = true;
                if (action.equals("end_play")) run.playsEnded.add(play); // the whole play ends, not this batch only
                run.sink.emit(new Event.TaskDone(host.name(), play.displayName(), task.displayName(), null, Status.OK, Action.NOOP,
                        "meta " + action + ": the play ends here for this host", List.of(), List.of(), false, false));
                return true;
            }
            default -> {
                return true; // noop
            }
        }
    }

    /** Walks a tree of steps; false when the host failed and must stop. */
    private boolean runSteps(List<Step> steps) {
        for (Step step : steps) {
            if (state.dead) return false;
            if (ended) return true;
            if (step instanceof Task task) {
                Integer at = position.get(task);
                if (at == null) continue; // not selected by tags
                if (task.module().equals("meta")) {
                    if (!meta(task)) return false;
                    continue;
                }
                if (task.module().equals("include_vars")) {
                    if (!includeVars(task)) return false;
                    continue;
                }
                if (!runTask(task, false, () -> lookahead(flat.subList(at + 1, flat.size())))) return false;
            } else if (step instanceof Block block && !runBlock(block)) {
                return false;
            } else if (step instanceof Include include && !runInclude(include)) {
                return false;
            }
        }
        return !state.dead;
    }

    /**
     * Ansible's block: when a task fails the host, rescue runs with ansible_failed_task and
     * ansible_failed_result, and a rescue that succeeds leaves the host not failed; always runs
     * either way. An unreachable host is not rescued (nor is it in Ansible).
     */
    private boolean runBlock(Block block) {
        int unreachableBefore = state.recap().unreachable();
        boolean ok = runSteps(block.block());
        boolean reachable = state.recap().unreachable() == unreachableBefore;
        if (!ok && reachable && !block.rescue().isEmpty()) {
            state.resume();
            state.rescued();
            Map<String, Object> failed = new LinkedHashMap<>();
            // Ansible's ansible_failed_task.name is the task's own name, without the "role : " prefix the output shows
            failed.put("name", failedTask == null ? "" : failedTask.name() != null && !failedTask.name().isBlank() ? failedTask.name() : failedTask.module());
            failed.put("action", failedTask == null ? "" : failedTask.module());
            state.facts.put("ansible_failed_task", failed);
            state.facts.put("ansible_failed_result", failedResult);
            ok = runSteps(block.rescue());
        }
        if (reachable && !block.always().isEmpty()) {
            String failure = state.resume();
            boolean alwaysOk = runSteps(block.always());
            if (!ok && alwaysOk && failure != null) state.fail(failure);
            ok = ok && alwaysOk;
        }
        return ok && !state.dead;
    }

    /** The loop items of the dynamic includes being walked, innermost last: their tasks' variables, at task-vars level. */
    private final java.util.ArrayDeque<Map<String, Object>> includeLayers = new java.util.ArrayDeque<>();

    /**
     * Ansible's include_tasks: selected by its own tags; per item of its loop, its when (and its
     * blocks') decides whether its tasks run, with the item as a variable. Each inclusion is reported,
     * so a saved plan whose includes now run otherwise no longer matches.
     */
    private boolean runInclude(Include include) {
        Task task = include.task();
        if (!run.selectedByTags(task)) return true;
        String file = String.valueOf(task.args().get("file"));
        List<Object> items = null;
        if (task.loop() != null) {
            try {
                Object loop = run.templates.renderValue(task.loop(), task.source(), vars(task, null));
                if (loop instanceof UnknownValue u) {
                    report(task, null, Status.KNOWN_AFTER_APPLY, Change.none("loop " + u), "loop over " + u, false, false, List.of());
                    return true;
                }
                items = loopItems(loop);
                if (items == null) return fail(task, null, "loop must be a list or a map, got " + describe(loop), false);
            } catch (KnownAfterApplyException e) {
                report(task, null, Status.KNOWN_AFTER_APPLY, Change.none(e.getMessage()), e.getMessage(), false, false, List.of());
                return true;
            } catch (RuntimeException e) {
                return fail(task, null, e.getMessage(), false);
            }
        }
        int n = items == null ? 1 : items.size();
        for (int i = 0; i < n; i++) {
            Item item = items == null ? null : item(task, items, i);
            Map<String, Object> vars = vars(task, item);
            String label = item == null ? null : label(task, item.value(), vars);
            try {
                if (!blockConditionsHold(task, vars) || task.when() != null && !run.templates.test(task.when(), task.whenSource(), vars)) {
                    report(task, label, Status.SKIPPED, Change.none("condition is false"), "skipped: when is false", false, false, List.of());
                    continue;
                }
            } catch (KnownAfterApplyException e) {
                report(task, label, Status.KNOWN_AFTER_APPLY, Change.none(e.getMessage()), e.getMessage(), false, false, List.of());
                continue;
            } catch (RuntimeException e) {
                return fail(task, label, e.getMessage(), false);
            }
            report(task, label, Status.OK, Change.none("included " + file), "included: " + file, false, false, List.of());
            Map<String, Object> layer = new HashMap<>();
            if (item != null) {
                layer.put(item.name(), item.value());
                layer.putAll(item.extra());
            }
            includeLayers.addLast(layer);
            try {
                if (!runSteps(include.steps())) return false;
            } finally {
                includeLayers.removeLast();
            }
            if (ended) return true;
        }
        return !state.dead;
    }

    /** Runs tasks in order; false when the host failed and must stop. */
    private boolean runList(List<Task> tasks, boolean handlers) {
        for (int i = 0; i < tasks.size(); i++) {
            if (state.dead) return false;
            Task task = tasks.get(i);
            int next = i + 1;
            boolean ok = runTask(task, handlers, () -> lookahead(tasks.subList(next, tasks.size())));
            if (!ok) return false;
        }
        return true;
    }

    private interface Lookahead {
        List<PendingProbe> probes();
    }

    /** A probe to batch: reads and inline as in {@link Probe} (inline only when no environment is exported before it). */
    record PendingProbe(String script, RemoteCommands.Become become, Set<String> reads, boolean inline, PathFact.Query path) {
        PendingProbe(String script, RemoteCommands.Become become, Set<String> reads, boolean inline) {
            this(script, become, reads, inline, null);
        }

        static PendingProbe of(Probe probe, String script, RemoteCommands.Become become) {
            boolean asIs = probe.inline() && script.equals(probe.script());
            return new PendingProbe(script, become, probe.reads(), asIs, asIs ? probe.path() : null);
        }
    }

    /**
     * One task; with run_once or any_errors_fatal in step with the other hosts of the batch
     * ({@link BatchLockstep}): after it, the play may be over for this host (ended, not failed).
     */
    private boolean runTask(Task task, boolean handler, Lookahead lookahead) {
        Task.Lockstep lockstep = task.control().lockstep();
        BatchLockstep batch = lockstep.coordinated() ? run.lockstep(host.name()) : null;
        if (batch == null) return runThrottled(task, handler, lookahead);
        unreachableIgnored = false;
        boolean ok = lockstep.runOnce() ? runOnce(batch, task, handler, lookahead) : runThrottled(task, handler, lookahead);
        String failure = unreachableIgnored ? task.displayName() + ": unreachable" : !ok && state.dead && !lockstep.rescued() ? state.recap().failure() : null;
        if (batch.passed(host.name(), lockstep.anyErrorsFatal() || lockstep.runOnce() ? failure : null)) ended = true;
        return ok;
    }

    /** run_once: the task runs here when it is this host's turn, else this host takes the result of the host that ran it. */
    private boolean runOnce(BatchLockstep batch, Task task, boolean handler, Lookahead lookahead) {
        BatchLockstep.Turn turn = batch.reach(host.name(), task);
        if (!turn.runsHere()) {
            turn.shared().facts().forEach(state.facts::put);
            if (turn.shared().failure() == null) return true;
            state.fail(task.displayName() + ": failed on " + turn.shared().ranOn() + " (run_once)");
            return false;
        }
        Map<String, Object> before;
        synchronized (state.facts) {
            before = new HashMap<>(state.facts);
        }
        int unreachableBefore = state.recap().unreachable();
        boolean ok = false;
        try {
            ok = runThrottled(task, handler, lookahead);
        } finally {
            Map<String, Object> set = new LinkedHashMap<>();
            synchronized (state.facts) {
                // By identity: register and set_fact put new values, even when equal to the old ones.
                state.facts.forEach((k, v) -> {
                    if (!before.containsKey(k) || before.get(k) != v) set.put(k, v);
                });
            }
            boolean failed = !ok && state.dead && state.recap().unreachable() == unreachableBefore;
            batch.ran(host.name(), task, new BatchLockstep.Shared(set, failed ? state.recap().failure() : null, host.name()));
        }
        return ok;
    }

    /** One task, with its loop, waiting for its turn when the task has a throttle; false when the host failed. */
    private boolean runThrottled(Task task, boolean handler, Lookahead lookahead) {
        java.util.concurrent.Semaphore throttle = run.throttle(task);
        if (throttle == null) return runTaskNow(task, handler, lookahead);
        throttle.acquireUninterruptibly();
        try {
            return runTaskNow(task, handler, lookahead);
        } finally {
            throttle.release();
        }
    }

    private boolean runTaskNow(Task task, boolean handler, Lookahead lookahead) {
        Map<String, Object> baseVars = vars(task, null);
        collectSecrets(task.vars(), baseVars);
        List<Object> items;
        if (task.loop() != null) {
            Object loop;
            try {
                loop = run.templates.renderValue(task.loop(), task.source(), baseVars);
            } catch (KnownAfterApplyException e) {
                report(task, null, Status.KNOWN_AFTER_APPLY, Change.none(e.getMessage()), e.getMessage(), handler, false, List.of());
                registerUnknown(task);
                return true;
            } catch (TemplateError e) {
                return fail(task, null, e.getMessage(), handler);
            }
            if (loop instanceof UnknownValue u) {
                report(task, null, Status.KNOWN_AFTER_APPLY, Change.none("loop " + u), "loop over " + u, handler, false, List.of());
                registerUnknown(task);
                return true;
            }
            items = loopItems(loop);
            if (items == null) return fail(task, null, "loop must be a list or a map, got " + describe(loop), handler);
        } else {
            items = null;
        }
        if (items == null) {
            ItemResult r = attempts(task, null, handler, lookahead);
            if (task.register() != null) state.facts.put(task.register(), r.registered);
            return !r.hostFailed;
        }
        List<Object> results = new ArrayList<>();
        boolean anyChanged = false, anyFailed = false, allSkipped = true, unknown = false;
        for (int i = 0; i < items.size(); i++) {
            if (i > 0 && task.control().pause() > 0 && run.mode == Mode.APPLY) pause(task.control().pause());
            ItemResult r = attempts(task, item(task, items, i), handler, lookahead);
            results.add(r.registered);
            if (r.registered instanceof UnknownValue) unknown = true;
            anyChanged |= r.status == Status.CHANGED;
            anyFailed |= r.status == Status.FAILED;
            allSkipped &= r.status == Status.SKIPPED;
            if (r.hostFailed) break;
        }
        if (task.register() != null) {
            if (unknown) {
                registerUnknown(task);
            } else {
                Map<String, Object> reg = new LinkedHashMap<>();
                reg.put("results", results);
                reg.put("changed", anyChanged);
                reg.put("failed", anyFailed);
                reg.put("skipped", allSkipped);
                state.facts.put(task.register(), reg);
            }
        }
        return !state.dead;
    }

    private record ItemResult(Status status, Object registered, boolean hostFailed) {}

    /** A loop's items: a list as it is; a map as {key, value} items (rig's way to loop over a dict, and with_dict's). */
    static List<Object> loopItems(Object loop) {
        if (loop instanceof List<?> l) return new ArrayList<>(l);
        if (loop instanceof Map<?, ?> m) {
            List<Object> out = new ArrayList<>();
            m.forEach((k, v) -> {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("key", k);
                entry.put("value", v);
                out.add(entry);
            });
            return out;
        }
        return null;
    }

    /** Item i of a loop, with loop_control's index_var and, when extended, ansible_loop (Ansible's keys). */
    private static Item item(Task task, List<Object> items, int i) {
        Map<String, Object> extra = new LinkedHashMap<>();
        if (task.control().indexVar() != null) extra.put(task.control().indexVar(), i);
        if (task.control().extended()) {
            Map<String, Object> loop = new LinkedHashMap<>();
            int n = items.size();
            loop.put("allitems", items);
            loop.put("index", i + 1);
            loop.put("index0", i);
            loop.put("revindex", n - i);
            loop.put("revindex0", n - i - 1);
            loop.put("first", i == 0);
            loop.put("last", i == n - 1);
            loop.put("length", n);
            if (i > 0) loop.put("previtem", items.get(i - 1));
            if (i < n - 1) loop.put("nextitem", items.get(i + 1));
            extra.put("ansible_loop", loop);
        }
        return new Item(task.loopVar(), items.get(i), extra);
    }

    private static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
    }

    private static void pause(int seconds) {
        try {
            Thread.sleep(seconds * 1000L);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * until/retries/delay as Ansible's TaskExecutor: up to retries + 1 attempts, delay seconds apart,
     * until the condition holds on the task's result (a failed attempt is retried too); then failed.
     * Only an apply repeats: a plan reads the state once.
     */
    private ItemResult attempts(Task task, Item item, boolean handler, Lookahead lookahead) {
        Task.Control c = task.control();
        if (c.until() == null || run.mode != Mode.APPLY) return runItem(task, item, handler, lookahead);
        int attempts = c.retries() <= 0 ? 1 : c.retries() + 1;
        ItemResult r = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            if (attempt > 1) {
                pause(Math.max(0, c.delay()));
                probeCache.clear();
            }
            r = runItem(task, item, handler, lookahead);
            if (r.status == Status.UNREACHABLE || r.status == Status.SKIPPED) return r;
            Map<String, Object> reg = r.registered instanceof Map<?, ?> m ? new LinkedHashMap<>(stringKeys(m)) : new LinkedHashMap<>();
            reg.put("attempts", attempt);
            boolean done;
            try {
                done = run.templates.test(c.until(), task.source(), withRegistered(task, vars(task, item), reg));
            } catch (RuntimeException e) {
                done = false;
            }
            if (done) return new ItemResult(r.status, reg, r.hostFailed);
            if (r.hostFailed) {
                state.resume(); // an attempt that failed is retried, as in Ansible
                state.rescued();
            }
        }
        return failed(task, item == null ? null : String.valueOf(item.value()), "until is still false after " + attempts + " attempts", handler,
                r.registered instanceof Map<?, ?> m ? stringKeys(m) : Map.of());
    }

    private ItemResult runItem(Task task, Item item, boolean handler, Lookahead lookahead) {
        Map<String, Object> vars = vars(task, item);
        String label = item != null ? label(task, item.value(), vars) : null;
        try {
            if (!blockConditionsHold(task, vars) || task.when() != null && !run.templates.test(task.when(), task.whenSource(), vars)) {
                report(task, label, Status.SKIPPED, Change.none("condition is false"), "skipped: when is false", handler, false, List.of());
                return new ItemResult(Status.SKIPPED, Map.of("changed", false, "skipped", true, "failed", false), false);
            }
            Module module = run.modules.get(task.module());
            Args args = new Args(renderArgs(task, vars));
            ModuleContext ctx = new ModuleContext(host.name(), vars, run.templates, task.fileDirs(), task.templateDirs(),
                    task.source(), task.noLog(), new HashMap<>());
            if (run.mode == Mode.RENDER) return render(task, label, module, args, ctx, handler);
            if (task.control().delegateTo() == null || module.offline()) return probeAndChange(task, label, module, args, ctx, vars, become(task, host), handler, lookahead, null);
            Host delegate = delegateOf(task, vars);
            shownDelegate = delegate.name();
            Remote on = run.delegates.connect(delegate);
            run.delegates.lock(delegate, on);
            var turn = run.delegates.turn(delegate);
            turn.lock(); // two hosts' tasks on one delegate take turns: their reads and writes never interleave
            try {
                return probeAndChange(task, label, module, args, ctx, vars, become(task, delegate), handler, lookahead, new Delegated(delegate, on));
            } finally {
                turn.unlock();
            }
        } catch (KnownAfterApplyException e) {
            report(task, label, Status.KNOWN_AFTER_APPLY, Change.none(e.getMessage()), e.getMessage(), handler, false, List.of());
            return new ItemResult(Status.KNOWN_AFTER_APPLY, new UnknownValue("task '" + task.displayName() + "'"), false);
        } catch (TemplateError | Args.ArgumentException | Delegates.Refused e) {
            return failed(task, label, e.getMessage(), handler);
        } catch (SshException e) {
            // A delegate that cannot be reached fails the host whose task it is, as in Ansible ("web1 -> db1 | UNREACHABLE").
            String message = shownDelegate == null ? e.getMessage() : "task '" + task.displayName() + "' delegated to " + shownDelegate + ": " + e.getMessage();
            if (task.control().lockstep().ignoreUnreachable()) return unreachableIgnored(task, label, message, handler, shownDelegate == null);
            unreachable(message);
            return new ItemResult(Status.UNREACHABLE, Map.of("failed", true, "unreachable", true), true);
        } catch (RuntimeException e) {
            return failed(task, label, "internal error: " + e, handler);
        } finally {
            shownDelegate = null;
        }
    }

    /** The host a task is delegated to, its delegate_to rendered with the task's (and item's) variables, as Ansible does. */
    private Host delegateOf(Task task, Map<String, Object> vars) {
        Task.Delegation d = task.control().delegateTo();
        Object name = run.templates.renderValue(d.to(), d.source(), vars);
        if (name instanceof UnknownValue u) throw new KnownAfterApplyException("delegate_to " + u);
        String to = String.valueOf(name).strip();
        if (to.isEmpty()) throw new Delegates.Refused("delegate_to at " + d.source() + " is empty for this host");
        return run.delegates.resolve(to, d.source());
    }

    /** A delegated task's delegate and its connection. */
    private record Delegated(Host host, Remote remote) {}

    /** The delegate of the item being run, for its output lines ([web1 -> db1]); null when the task is not delegated. */
    private String shownDelegate;

    /** The task's probe (read on the delegate when delegated, never batched with the host's), the module's plan, then its change. */
    private ItemResult probeAndChange(Task task, String label, Module module, Args args, ModuleContext ctx, Map<String, Object> vars,
                                      RemoteCommands.Become become, boolean handler, Lookahead lookahead, Delegated delegated) throws SshException {
        {
            Probe probe = module.probe(args, ctx);
            String probeText = null;
            if (probe != null) {
                PendingProbe wanted = PendingProbe.of(probe, withEnvironment(task, vars, probe.script()), become);
                ProbeBatch.Output out = delegated != null ? delegateProbe(delegated, wanted) : probeOutput(wanted, lookahead);
                if (out.exitCode() != 0) {
                    String whose = delegated == null ? "the host's" : delegated.host().name() + "'s";
                    return failed(task, label, "could not read " + whose + " state: " + clean(out.text(), become), handler);
                }
                probeText = out.text();
            }
            Outcome outcome = module instanceof LocalFactModule<?> local ? LocalFactModule.readAndPlan(local, args, ctx)
                    : module.plan(args, probeText, ctx);
            outcome.facts().forEach(state.facts::put);
            showDebug(task, module, outcome);
            if (outcome.failed()) return failed(task, label, outcome.message(), handler, outcome.result());
            Change change = outcome.change();
            if (!change.changes()) {
                Map<String, Object> reg = registered(outcome, false, null);
                Status status = evaluateChangedWhen(task, vars, reg, false) ? Status.CHANGED : Status.OK;
                if (failedWhen(task, vars, reg)) return failed(task, label, "failed_when is true", handler, reg);
                report(task, label, status, change, outcome.message(), handler, false, List.of());
                if (status == Status.CHANGED) notified.addAll(task.notifies());
                return new ItemResult(status, reg, false);
            }
            if (run.mode == Mode.PLAN || Boolean.TRUE.equals(task.control().checkMode())) return planned(task, label, change, outcome, handler);
            return applyChange(task, label, change, outcome, vars, become, handler, delegated);
        }
    }

    /**
     * A task in a render: files it would write are emitted, pure tasks (set_fact, assert, debug) run
     * as usual, and whatever needs the host is skipped, its result unknown to later tasks.
     */
    private ItemResult render(Task task, String label, Module module, Args args, ModuleContext ctx, boolean handler) {
        UnknownValue unknown = new UnknownValue("task '" + task.displayName() + "'");
        if (module instanceof FileProducer producer) {
            List<RenderedFile> files = producer.files(args, ctx);
            files.forEach(f -> run.sink.emit(new Event.FileRendered(host.name(), f)));
            report(task, label, Status.OK, Change.none("rendered"), "rendered " + files.size() + " file" + (files.size() == 1 ? "" : "s"),
                    handler, false, List.of());
            return new ItemResult(Status.OK, unknown, false);
        }
        if (module.offline()) {
            Outcome outcome = module.plan(args, null, ctx);
            outcome.facts().forEach(state.facts::put);
            showDebug(task, module, outcome);
            if (outcome.failed()) return failed(task, label, outcome.message(), handler, outcome.result());
            if (!outcome.change().changes()) {
                report(task, label, Status.OK, outcome.change(), outcome.message(), handler, false, List.of());
                return new ItemResult(Status.OK, registered(outcome, false, null), false);
            }
        }
        module.hostFacts().forEach(f -> state.facts.put(f, unknown));
        report(task, label, Status.SKIPPED, Change.none("needs the host"), "not rendered: needs the host", handler, false, List.of());
        return new ItemResult(Status.SKIPPED, unknown, false);
    }

    private ItemResult planned(Task task, String label, Change change, Outcome outcome, boolean handler) {
        boolean decidedAtApply = change.action() == Action.RUN && task.changedWhen() != null;
        Status status = decidedAtApply ? Status.KNOWN_AFTER_APPLY : Status.CHANGED;
        String message = decidedAtApply ? outcome.message() + " (runs at apply; changed_when decides)" : outcome.message();
        report(task, label, status, change, message, handler, false, describe(change));
        if (status == Status.CHANGED) notified.addAll(task.notifies());
        return new ItemResult(status, new UnknownValue("task '" + task.displayName() + "'"), false);
    }

    private ItemResult applyChange(Task task, String label, Change change, Outcome outcome, Map<String, Object> vars,
                                   RemoteCommands.Become become, boolean handler, Delegated delegated) throws SshException {
        ExecResult last = null;
        // The host is about to change: answers read ahead that it may make stale go (all of them, unless the change says what it touches).
        if (delegated == null) probeCache.touched(touches(change));
        else if (!change.commands().isEmpty()) run.delegates.changed(delegated.host().name()); // its own run reads it again
        for (HostCommand cmd : change.commands()) {
            RemoteCommands.Invocation inv = RemoteCommands.scriptReading(withEnvironment(task, vars, cmd.script()), cmd.input(), become)
                    .doing(cmd.writes() != null ? "writing " + cmd.writes() : "running task '" + task.displayName() + "'");
            last = (delegated != null ? delegated.remote() : remote()).exec(inv, run.commandTimeout);
            if (last.exitCode() != 0 && task.failedWhen() == null) {
                Map<String, Object> reg = registered(outcome, true, last);
                reg.put("failed", true);
                String err = clean(last.err().isBlank() ? last.out() : last.err(), become);
                return failed(task, label, cmd.description() + ": exit " + last.exitCode() + (err.isBlank() ? "" : ": " + err.strip()),
                        handler, reg);
            }
        }
        StringBuilder effectOutput = new StringBuilder();
        for (LocalEffect effect : change.effects()) {
            try {
                String out = effect.run();
                if (out != null) effectOutput.append(out);
            } catch (Exception e) {
                Map<String, Object> reg = registered(outcome, true, last);
                return failed(task, label, effect.description() + ": " + e.getMessage(), handler, reg);
            }
        }
        if (!change.effects().isEmpty() && last == null) last = new ExecResult(0,
                effectOutput.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8), new byte[0]);
        Map<String, Object> reg = registered(outcome, true, last);
        boolean changed = task.changedWhen() == null || evaluateChangedWhen(task, vars, reg, true);
        reg.put("changed", changed);
        if (failedWhen(task, vars, reg)) return failed(task, label, "failed_when is true", handler, reg);
        Status status = changed ? Status.CHANGED : Status.OK;
        report(task, label, status, change, outcome.message(), handler, false, describe(change));
        if (changed) notified.addAll(task.notifies());
        return new ItemResult(status, reg, false);
    }

    private Map<String, Object> registered(Outcome outcome, boolean changed, ExecResult last) {
        Map<String, Object> reg = new LinkedHashMap<>(outcome.result());
        reg.put("changed", changed);
        reg.put("failed", false);
        reg.put("skipped", false);
        reg.put("msg", outcome.message() == null ? "" : outcome.message());
        if (last != null) {
            // command and shell say whether trailing newlines go (Ansible's strip_empty_ends, default true: all of them).
            Object ends = outcome.result().get("strip_empty_ends");
            String out = ends == null ? strip(last.out()) : Boolean.TRUE.equals(ends) ? last.out().replaceAll("[\r\n]+$", "") : last.out();
            String err = ends == null ? strip(last.err()) : Boolean.TRUE.equals(ends) ? last.err().replaceAll("[\r\n]+$", "") : last.err();
            reg.put("rc", last.exitCode());
            reg.put("stdout", out);
            reg.put("stderr", err);
            reg.put("stdout_lines", out.isEmpty() ? List.of() : List.of(out.split("\n", -1)));
            reg.put("stderr_lines", err.isEmpty() ? List.of() : List.of(err.split("\n", -1)));
        }
        return reg;
    }

    private boolean evaluateChangedWhen(Task task, Map<String, Object> vars, Map<String, Object> reg, boolean fallback) {
        if (task.changedWhen() == null) return fallback;
        return run.templates.test(task.changedWhen(), task.source(), withRegistered(task, vars, reg));
    }

    private boolean failedWhen(Task task, Map<String, Object> vars, Map<String, Object> reg) {
        if (task.failedWhen() == null) return false;
        return run.templates.test(task.failedWhen(), task.source(), withRegistered(task, vars, reg));
    }

    /** changed_when and failed_when see the task's own result under its register name, as in Ansible. */
    private static Map<String, Object> withRegistered(Task task, Map<String, Object> vars, Map<String, Object> reg) {
        Map<String, Object> v = new HashMap<>(vars);
        if (task.register() != null) v.put(task.register(), reg);
        v.putIfAbsent("result", reg);
        return v;
    }

    private ItemResult failed(Task task, String label, String message, boolean handler) {
        return failed(task, label, message, handler, Map.of());
    }

    /** The whens of the blocks around a task, outermost first: all must hold, as in Ansible. */
    private boolean blockConditionsHold(Task task, Map<String, Object> vars) {
        for (Task.Condition c : task.blockConditions()) {
            if (!run.templates.test(c.expression(), c.source(), vars)) return false;
        }
        return true;
    }

    private ItemResult failed(Task task, String label, String message, boolean handler, Map<String, Object> result) {
        report(task, label, Status.FAILED, Change.none(message), message, handler, task.ignoreErrors(), List.of());
        Map<String, Object> reg = new LinkedHashMap<>(result);
        reg.put("failed", true);
        reg.put("msg", message);
        reg.putIfAbsent("changed", false);
        if (!task.ignoreErrors()) {
            failedTask = task;
            failedResult = reg;
        }
        if (!task.ignoreErrors()) state.fail(task.displayName() + ": " + (task.noLog() ? "(output hidden by no_log)" : message));
        return new ItemResult(Status.FAILED, reg, !task.ignoreErrors());
    }

    private boolean fail(Task task, String label, String message, boolean handler) {
        return !failed(task, label, message, handler).hostFailed;
    }

    private void unreachable(String message) {
        run.unreachable(state, message);
    }

    /**
     * ignore_unreachable: the task is reported unreachable and counted ignored, and the host stays in
     * the play; what was read ahead may be stale, and the next command connects again.
     */
    private ItemResult unreachableIgnored(Task task, String label, String message, boolean handler, boolean ownConnection) {
        report(task, label, Status.UNREACHABLE, Change.none(message), "unreachable (ignored): " + message, handler, true, List.of());
        probeCache.clear();
        if (ownConnection) connectionLost = true; // a delegate's lost connection is not the host's
        unreachableIgnored = true;
        Map<String, Object> reg = new LinkedHashMap<>();
        reg.put("unreachable", true);
        reg.put("changed", false);
        reg.put("msg", message);
        return new ItemResult(Status.UNREACHABLE, reg, false);
    }

    /** The host's connection, opened again after an unreachable host a task ignored. */
    private Remote remote() throws SshException {
        if (connectionLost) {
            remote = run.connector.reconnect(host);
            connectionLost = false;
        }
        return remote;
    }

    private void registerUnknown(Task task) {
        if (task.register() != null) state.facts.put(task.register(), new UnknownValue("task '" + task.displayName() + "'"));
    }

    // ---- probes: one batch per round trip, refilled when the host changed ----

    /** Delegated changes of this host seen so far: one more means answers read ahead may be stale. */
    private int delegatedChangesSeen;

    private ProbeBatch.Output probeOutput(PendingProbe wanted, Lookahead lookahead) throws SshException {
        int delegatedChanges = run.delegates.changes(host.name());
        if (delegatedChanges != delegatedChangesSeen) {
            delegatedChangesSeen = delegatedChanges;
            probeCache.clear();
        }
        ProbeBatch.Output cached = probeCache.take(cacheKey(wanted));
        if (cached != null) return cached;
        List<PendingProbe> batch = batchFor(wanted, lookahead.probes());
        String nonce = run.nonce();
        RemoteCommands.Invocation inv = RemoteCommands.script(batchScript(batch), null, wanted.become())
                .doing("reading the host's state");
        ExecResult result = remote().exec(inv, run.commandTimeout);
        Map<Integer, ProbeBatch.Output> outputs = ProbeBatch.parse(result.out(), nonce);
        for (int i = 1; i < batch.size(); i++) {
            ProbeBatch.Output o = outputs.get(i);
            if (o != null) cache(batch.get(i), o);
        }
        ProbeBatch.Output mine = outputs.get(0);
        if (mine == null) {
            String err = clean(result.err(), wanted.become());
            return new ProbeBatch.Output(err.isBlank() ? "probe produced no output (exit " + result.exitCode() + ")" : err, 255);
        }
        return mine;
    }

    /** A delegated task's probe, read on the delegate on its own: never batched with, nor cached as, the host's. */
    private ProbeBatch.Output delegateProbe(Delegated delegated, PendingProbe wanted) throws SshException {
        List<PendingProbe> one = List.of(wanted);
        RemoteCommands.Invocation inv = RemoteCommands.script(batchScript(one), null, wanted.become())
                .doing("reading " + delegated.host().name() + "'s state");
        ExecResult result = delegated.remote().exec(inv, run.commandTimeout);
        ProbeBatch.Output mine = ProbeBatch.parse(result.out(), run.nonce()).get(0);
        if (mine == null) {
            String err = clean(result.err(), wanted.become());
            return new ProbeBatch.Output(err.isBlank() ? "probe produced no output (exit " + result.exitCode() + ")" : err, 255);
        }
        return mine;
    }

    /** wanted first, then the probes to come that run as the same user, each once, up to MAX_BATCH. */
    private static List<PendingProbe> batchFor(PendingProbe wanted, List<PendingProbe> ahead) {
        List<PendingProbe> batch = new ArrayList<>();
        batch.add(wanted);
        Set<String> seen = new LinkedHashSet<>(List.of(cacheKey(wanted)));
        for (PendingProbe p : ahead) {
            if (batch.size() >= MAX_BATCH) break;
            if (java.util.Objects.equals(p.become(), wanted.become()) && seen.add(cacheKey(p))) batch.add(p);
        }
        return batch;
    }

    private String batchScript(List<PendingProbe> batch) {
        return ProbeBatch.scriptOfParts(batch.stream().map(p -> new ProbeBatch.Part(p.script(), p.inline(), p.path())).toList(), run.nonce());
    }

    private void cache(PendingProbe p, ProbeBatch.Output output) {
        probeCache.put(cacheKey(p), p.reads(), output);
    }

    /**
     * What a change touches on the host, null when it does not say: what its module declares, else the
     * files its uploads replace when every command is such an upload; nothing for API calls alone.
     */
    static Change.Touched touches(Change change) {
        if (change.touched() != null) return change.touched();
        Set<String> out = new LinkedHashSet<>();
        for (HostCommand c : change.commands()) {
            if (c.writes() == null) return null;
            out.add(c.writes());
        }
        return new Change.Touched(out, Set.of());
    }

    private static String cacheKey(PendingProbe p) {
        return (p.become() == null ? "" : p.become().user()) + "\0" + p.script();
    }

    /** Probes of the tasks still to come whose inputs are known now; anything uncertain is left out. */
    private List<PendingProbe> lookahead(List<Task> rest) {
        List<PendingProbe> out = new ArrayList<>();
        for (Task t : rest) {
            if (out.size() >= MAX_BATCH) break;
            try {
                Map<String, Object> vars = vars(t, null);
                List<Object> items = new ArrayList<>();
                if (t.loop() != null) {
                    Object loop = run.templates.renderValue(t.loop(), t.source(), vars);
                    List<Object> l = loopItems(loop);
                    if (l == null) continue;
                    items.addAll(l);
                } else {
                    items.add(null);
                }
                if (t.control().delegateTo() != null) continue; // read on its delegate when it runs
                Module module = run.modules.get(t.module());
                for (int i = 0; i < items.size(); i++) {
                    Map<String, Object> v = t.loop() == null ? vars : vars(t, item(t, items, i));
                    if (!blockConditionsHold(t, v) || t.when() != null && !run.templates.test(t.when(), t.whenSource(), v)) continue;
                    ModuleContext ctx = new ModuleContext(host.name(), v, run.templates, t.fileDirs(), t.templateDirs(),
                            t.source(), t.noLog(), new HashMap<>());
                    Probe p = module.probe(new Args(renderArgs(t, v)), ctx);
                    if (p != null) out.add(PendingProbe.of(p, withEnvironment(t, v, p.script()), become(t, host)));
                }
            } catch (RuntimeException e) {
                // Not knowable yet (a register, a later set_fact, an error reported when the task runs).
            }
        }
        return out;
    }

    // ---- variables ----

    private record Item(String name, Object value, Map<String, Object> extra) {}

    /** The task's environment (play, block, task) exported before a script, rendered for this host. */
    private String withEnvironment(Task task, Map<String, Object> vars, String script) {
        Map<String, Object> env = task.control().environment();
        if (env.isEmpty()) return script;
        StringBuilder s = new StringBuilder();
        for (Map.Entry<String, Object> e : env.entrySet()) {
            if (!e.getKey().matches("[A-Za-z_][A-Za-z0-9_]*")) throw new Args.ArgumentException("environment variable name '" + e.getKey() + "' is not valid");
            Object value = run.templates.renderValue(e.getValue(), task.source(), vars);
            s.append("export ").append(e.getKey()).append('=').append(dev.rig.core.Shell.quote(String.valueOf(value))).append('\n');
        }
        return s.append(script).toString();
    }

    /**
     * Precedence, lowest first: role defaults (the task's own role's on top), inventory (group_vars all < parent < child <
     * host_vars), play vars and vars_files, role vars, task vars, facts set during the run
     * (set_fact, register), extra vars (-e).
     */
    private Map<String, Object> vars(Task task, Item item) {
        Map<String, Object> v = layered(onTop(play.roleDefaults(), task == null ? null : task.roleVars().defaults()), host, run.magicVars,
                state.gathered, play.vars(), onTop(play.roleVars(), task == null ? null : task.roleVars().vars()),
                taskVars(task), withIncluded(state.facts), run.extraVars);
        v.put("ansible_check_mode", run.mode != Mode.APPLY || task != null && Boolean.TRUE.equals(task.control().checkMode()));
        if (item != null) {
            v.put(item.name(), item.value());
            v.putAll(item.extra());
        }
        return v;
    }

    /** set_fact and register over include_vars, as Ansible's precedence has them. */
    private Map<String, Object> withIncluded(Map<String, Object> facts) {
        if (state.included.isEmpty()) return facts;
        Map<String, Object> v = new HashMap<>(state.included);
        v.putAll(facts);
        return v;
    }

    /** A task's vars, over the loop items of the includes it is walked in. */
    private Map<String, Object> taskVars(Task task) {
        Map<String, Object> own = task != null ? task.vars() : Map.of();
        if (includeLayers.isEmpty()) return own;
        Map<String, Object> v = new HashMap<>();
        includeLayers.forEach(v::putAll);
        v.putAll(own);
        return v;
    }

    /** Every role's exported variables, with the running task's own role above them (Ansible's VariableManager). */
    private static Map<String, Object> onTop(Map<String, Object> play, Map<String, Object> own) {
        if (own == null || own.isEmpty()) return play;
        Map<String, Object> v = new HashMap<>(play);
        v.putAll(own);
        return v;
    }

    /** The precedence above as one merge, for a task here and for commands that read settings (Engine.hostVars). */
    static Map<String, Object> layered(Map<String, Object> roleDefaults, Host host, Map<String, Object> magicVars, Map<String, Object> playVars,
                                       Map<String, Object> roleVars, Map<String, Object> taskVars, Map<String, Object> facts, Map<String, Object> extraVars) {
        return layered(roleDefaults, host, magicVars, Map.of(), playVars, roleVars, taskVars, facts, extraVars);
    }

    /** {@code gathered}: the host's gathered facts, above the inventory and below the play, as in Ansible. */
    static Map<String, Object> layered(Map<String, Object> roleDefaults, Host host, Map<String, Object> magicVars, Map<String, Object> gathered,
                                       Map<String, Object> playVars, Map<String, Object> roleVars, Map<String, Object> taskVars,
                                       Map<String, Object> facts, Map<String, Object> extraVars) {
        Map<String, Object> v = new HashMap<>(roleDefaults);
        v.putAll(host.vars());
        v.putAll(magicVars);
        v.put("inventory_hostname", host.name());
        v.putAll(gathered);
        v.putAll(playVars);
        v.putAll(roleVars);
        v.putAll(taskVars);
        v.putAll(facts);
        v.putAll(extraVars);
        return v;
    }

    private Map<String, Object> renderArgs(Task task, Map<String, Object> vars) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> a : task.args().entrySet()) {
            boolean raw = task.module().equals("assert") && a.getKey().equals("that");
            out.put(a.getKey(), raw ? a.getValue() : run.templates.renderValue(a.getValue(), task.argSource(a.getKey()), vars));
        }
        return out;
    }

    private String label(Task task, Object item, Map<String, Object> vars) {
        if (task.loopLabel() != null) {
            try {
                return String.valueOf(run.templates.renderValue(task.loopLabel(), task.source(), vars));
            } catch (RuntimeException e) {
                return task.loopLabel();
            }
        }
        return String.valueOf(item);
    }

    /** The task's become, or the play's when {@code task} is null. */
    private RemoteCommands.Become become(Task task) {
        return become(task, host);
    }

    /**
     * The task's become on {@code on}: the host, or the delegate, whose own become variables, login user
     * and become password count when the task and play say nothing, as Ansible reads a delegated task's
     * connection variables from the delegate.
     */
    private RemoteCommands.Become become(Task task, Host on) {
        Boolean taskBecome = task == null ? null : task.become();
        String taskUser = task == null ? null : task.becomeUser();
        boolean become = taskBecome != null ? taskBecome : play.become() != null ? play.become() : on.become();
        if (!become) return null;
        String user = taskUser != null ? taskUser : play.becomeUser() != null ? play.becomeUser() : on.becomeUser();
        return RemoteCommands.Become.asUser(user, run.connector.loginUser(on), on, run.nonce());
    }

    /** Host and play variables with secret names: their values are masked in every output of the run. */
    private void collectSecrets() {
        Map<String, Object> playVars = vars(null, null);
        collectSecrets(playVars, playVars);
        host.becomePassword().ifPresent(run.secrets::add);
    }

    /** Registers the values of the secret-named entries of {@code candidates}, rendered with {@code vars}. */
    private void collectSecrets(Map<String, Object> candidates, Map<String, Object> vars) {
        for (Map.Entry<String, Object> e : candidates.entrySet()) {
            if (!run.secrets.isSecret(e.getKey())) continue;
            Object val = e.getValue();
            if (val instanceof String s && Templates.isTemplated(s)) {
                try {
                    val = run.templates.renderValue(s, play.source(), vars);
                } catch (RuntimeException ignored) {
                    continue;
                }
            }
            if (val instanceof String || val instanceof Number) run.secrets.add(String.valueOf(val));
        }
    }

    // ---- reporting ----

    /** A debug task's message is shown (as Ansible shows it), unless the task is no_log. */
    private void showDebug(Task task, Module module, Outcome outcome) {
        if (module instanceof dev.rig.modules.DebugModule && !task.noLog() && outcome.message() != null && !outcome.failed()) {
            run.sink.emit(new Event.Message(host.name(), task.displayName(), outcome.message()));
        }
    }

    private void report(Task task, String label, Status status, Change change, String message, boolean handler,
                        boolean ignored, List<String> commands) {
        state.count(status, ignored, change.action());
        boolean hide = task.noLog();
        run.sink.emit(new Event.TaskDone(host.name(), play.displayName(), task.displayName(), hide && label != null ? "(item hidden by no_log)" : label,
                status, change.action(), hide ? "(output hidden by no_log)" : message, hide ? List.of() : change.diffs(),
                hide ? List.of() : commands, ignored, handler, change.scriptDigests(), shownDelegate));
    }

    private static List<String> describe(Change change) {
        List<String> out = new ArrayList<>(change.commands().stream().map(HostCommand::description).toList());
        change.effects().forEach(e -> out.add(e.description()));
        return out;
    }

    private static String clean(String text, RemoteCommands.Become become) {
        return RemoteCommands.explainFailure(text == null ? "" : text.strip(), become);
    }

    private static String strip(String s) {
        return s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
    }

    private static String describe(Object v) {
        return v == null ? "null" : v.getClass().getSimpleName() + " '" + v + "'";
    }
}

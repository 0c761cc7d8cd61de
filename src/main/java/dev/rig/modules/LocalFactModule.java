package dev.rig.modules;

import dev.rig.facts.LocalFact;
import dev.rig.facts.Probe;

/**
 * A module whose current state lives behind an API on the operator's machine (hosts: localhost), not
 * on a host: {@link #localFact} checks the arguments and names what to read, the engine reads it
 * ({@link #readAndPlan}), and {@link #plan(Args, Object, ModuleContext)} turns desired-vs-fact into
 * request values, with no I/O of its own. The writes are the plan's {@code LocalEffect}s, run only by apply.
 */
public interface LocalFactModule<F> extends Module {
    /**
     * What to read for this task, not yet read. Arguments that are refused whatever the current state
     * is (a firewall beyond the API's limits) throw here, so that not a single request is sent.
     *
     * @throws IllegalArgumentException naming what is wrong; the task fails with its message
     */
    LocalFact<F> localFact(Args args, ModuleContext ctx);

    /** Desired vs the fact read by {@link #localFact}: pure. */
    Outcome plan(Args args, F fact, ModuleContext ctx);

    /** Nothing to probe on a host: the state is read on the operator's machine. */
    @Override
    default Probe probe(Args args, ModuleContext ctx) {
        return null;
    }

    /** The engine plans such a module through {@link #readAndPlan}; a probe's text means nothing to it. */
    @Override
    default Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        throw new IllegalStateException("module " + name() + " reads its state on the operator's machine: plan it with readAndPlan");
    }

    /** The engine's steps for one task: check the arguments, read the fact, plan. A refusal or a failed read fails the task. */
    static <F> Outcome readAndPlan(LocalFactModule<F> module, Args args, ModuleContext ctx) {
        LocalFact<F> fact;
        try {
            fact = module.localFact(args, ctx);
        } catch (IllegalArgumentException e) {
            return Outcome.fail(e.getMessage());
        }
        F current;
        try {
            current = fact.read();
        } catch (LocalFact.Unreadable e) {
            return Outcome.fail(e.getMessage());
        }
        return module.plan(args, current, ctx);
    }
}

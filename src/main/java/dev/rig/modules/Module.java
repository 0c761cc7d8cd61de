package dev.rig.modules;

import dev.rig.facts.Probe;
import dev.rig.playbook.ModuleSpec;

/**
 * A module works in two steps: {@link #probe} names the read-only host state it needs (the engine
 * batches the probes of many tasks into one round trip), then {@link #plan} compares desired
 * with current and yields the commands that converge the host. No commands means "ok".
 * Modules never touch SSH; their output is plain data, tested as values.
 */
public interface Module extends ModuleSpec {
    /** The read-only probe this task needs, or null when it needs nothing from the host. */
    Probe probe(Args args, ModuleContext ctx);

    /** Desired vs current. {@code probeOutput} is the probe's stdout, or null when there was no probe. */
    Outcome plan(Args args, String probeOutput, ModuleContext ctx);

    /** True when plan() needs nothing but the arguments (no host, no API): set_fact, assert, debug; a render runs these. */
    default boolean offline() {
        return false;
    }

    /** Facts the module sets from what it reads on the host, so that a run that cannot read them (render) knows they are unknown. */
    default java.util.Set<String> hostFacts() {
        return java.util.Set.of();
    }
}

package dev.rig.facts;

import java.util.Set;

/**
 * A read-only shell snippet whose stdout a fact parser understands. Probes never change a
 * host; the engine batches the probes of many tasks into one SSH round trip.
 *
 * <p>{@code reads}: the absolute paths whose state the output depends on, so that an answer read
 * ahead stays good until a change touches one of them; null when unknown (any change makes it
 * stale). {@code inline}: the snippet may run in the batch's own shell rather than a subshell of
 * its own: it never calls exit, cd or export, reads no stdin, and sets only rig_-prefixed variables.
 * {@code path}: set when the probe is {@link PathFact}'s, so a batch of many can share one stat and
 * one sha256sum (see {@link PathFact#batched}); null otherwise.
 */
public record Probe(String script, Set<String> reads, boolean inline, PathFact.Query path) {
    public Probe {
        if (script == null || script.isBlank()) throw new IllegalArgumentException("empty probe");
        reads = reads == null ? null : Set.copyOf(reads);
    }

    public Probe(String script, Set<String> reads, boolean inline) {
        this(script, reads, inline, null);
    }

    public Probe(String script) {
        this(script, null, false);
    }
}

package dev.rig.facts;

/**
 * A read-only shell snippet whose stdout a fact parser understands. Probes never change a
 * host; the engine batches the probes of many tasks into one SSH round trip.
 */
public record Probe(String script) {
    public Probe {
        if (script == null || script.isBlank()) throw new IllegalArgumentException("empty probe");
    }
}

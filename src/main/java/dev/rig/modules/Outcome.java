package dev.rig.modules;

import dev.rig.plan.Change;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a module decided: the change (possibly none), a message for people, whether the task
 * failed, facts to set on the host (set_fact) and extra fields for {@code register}.
 */
public record Outcome(Change change, String message, boolean failed, Map<String, Object> facts, Map<String, Object> result) {
    public Outcome {
        // not Map.copyOf: set_fact may set a variable to null, and facts keep the playbook's order
        facts = facts == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        result = result == null ? Map.of() : new LinkedHashMap<>(result);
    }

    public static Outcome of(Change change) {
        return new Outcome(change, change.summary(), false, null, null);
    }

    public static Outcome ok(String message) {
        return new Outcome(Change.none(message), message, false, null, null);
    }

    public static Outcome fail(String message) {
        return new Outcome(Change.none(message), message, true, null, null);
    }

    public Outcome withResult(Map<String, Object> more) {
        Map<String, Object> r = new LinkedHashMap<>(result);
        r.putAll(more);
        return new Outcome(change, message, failed, facts, r);
    }

    public Outcome withFacts(Map<String, Object> newFacts) {
        return new Outcome(change, message, failed, newFacts, result);
    }
}

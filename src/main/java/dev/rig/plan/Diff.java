package dev.rig.plan;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Before and after of one resource, as data. {@code beforeText}/{@code afterText} hold file
 * content when it is text and known (null otherwise); attributes hold state, mode, owner...
 * Only the reporter turns this into a unified diff.
 */
public record Diff(String resource, Map<String, String> before, Map<String, String> after,
                   String beforeText, String afterText) {
    public Diff {
        before = before == null ? Map.of() : new LinkedHashMap<>(before);
        after = after == null ? Map.of() : new LinkedHashMap<>(after);
    }

    public static Diff attributes(String resource, Map<String, String> before, Map<String, String> after) {
        return new Diff(resource, before, after, null, null);
    }

    public boolean hasText() {
        return beforeText != null || afterText != null;
    }
}

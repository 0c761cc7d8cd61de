package dev.rig.report;

import dev.rig.apply.Event;
import dev.rig.plan.Diff;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** A task's diffs as plain text lines (no colour): attribute changes, then a unified diff of content. */
final class DiffText {
    private DiffText() {}

    static List<String> lines(Diff d) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> a : d.after().entrySet()) {
            String before = d.before().get(a.getKey());
            if (Objects.equals(before, a.getValue())) continue;
            if (a.getKey().equals("sha256") && d.hasText()) continue;
            out.add(a.getKey() + ": " + (before == null ? "" : before + " → ") + a.getValue());
        }
        for (Map.Entry<String, String> b : d.before().entrySet()) {
            if (!d.after().containsKey(b.getKey())) out.add(b.getKey() + ": " + b.getValue() + " → (none)");
        }
        if (d.hasText()) out.addAll(UnifiedDiff.render(d.beforeText(), d.afterText(), d.resource()));
        return out;
    }

    static String render(Event.TaskDone t) {
        List<String> out = new ArrayList<>();
        if (t.message() != null) out.add(t.message());
        for (Diff d : t.diffs()) out.addAll(lines(d));
        return String.join("\n", out);
    }
}

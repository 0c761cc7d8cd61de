package dev.rig.report;

import dev.rig.apply.Event;
import dev.rig.apply.HostRecap;
import dev.rig.apply.Status;
import dev.rig.core.Secrets;
import dev.rig.plan.Action;
import dev.rig.plan.Diff;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * A drift check's findings — each host, each task that would change, each field that differs —
 * rendered for schedulers: JUnit XML for CI servers and a Prometheus textfile-collector file.
 * Commands that run every time (no state to compare) are not drift.
 */
public final class Drift {
    public enum HostStatus { IN_SYNC, DRIFTED, UNREACHABLE, FAILED }

    private final RunRecord record;
    private final Secrets secrets;

    public Drift(RunRecord record, Secrets secrets) {
        this.record = record;
        this.secrets = secrets;
    }

    public static boolean isDrift(Event.TaskDone t) {
        return t.status() == Status.CHANGED && t.action() != Action.RUN;
    }

    public HostStatus status(HostRecap r) {
        if (r.unreachable() > 0) return HostStatus.UNREACHABLE;
        if (r.failed() > 0) return HostStatus.FAILED;
        return record.tasks(r.host()).stream().anyMatch(Drift::isDrift) ? HostStatus.DRIFTED : HostStatus.IN_SYNC;
    }

    public boolean anyDrift() {
        return record.recaps().stream().anyMatch(r -> status(r) == HostStatus.DRIFTED);
    }

    public boolean anyError() {
        return record.recaps().stream().anyMatch(HostRecap::hasProblem);
    }

    /** One line per drifted host × task × field, for the end of the human report. */
    public List<String> summaryLines() {
        List<String> out = new ArrayList<>();
        for (HostRecap r : record.recaps()) {
            for (Event.TaskDone t : record.tasks(r.host())) {
                if (!isDrift(t)) continue;
                String where = r.host() + " · " + t.task() + (t.item() != null ? " (item=" + t.item() + ")" : "");
                List<String> fields = fields(t);
                out.add(secrets.redact(where + " · " + (fields.isEmpty() ? t.message() : String.join(", ", fields))));
            }
        }
        return out;
    }

    private static List<String> fields(Event.TaskDone t) {
        List<String> out = new ArrayList<>();
        for (Diff d : t.diffs()) {
            for (Map.Entry<String, String> a : d.after().entrySet()) {
                if (Objects.equals(d.before().get(a.getKey()), a.getValue())) continue;
                out.add(d.resource() + " " + (a.getKey().equals("sha256") ? "content" : a.getKey()));
            }
            if (d.hasText() && !Objects.equals(d.beforeText(), d.afterText()) && !d.after().containsKey("sha256")) {
                out.add(d.resource() + " content");
            }
        }
        return out;
    }

    /** JUnit XML: one testcase per host × task; drift is a failure with the diff, unreachable an error. */
    public String junit() {
        StringBuilder cases = new StringBuilder();
        int tests = 0, failures = 0, errors = 0;
        for (HostRecap r : record.recaps()) {
            String unreachable = record.unreachableMessage(r.host());
            if (unreachable != null) {
                tests++;
                errors++;
                cases.append("    <testcase classname=\"").append(xml(r.host())).append("\" name=\"connect\" time=\"0\">\n")
                        .append("      <error message=\"unreachable\" type=\"unreachable\">").append(xml(unreachable)).append("</error>\n")
                        .append("    </testcase>\n");
            }
            for (Event.TaskDone t : record.tasks(r.host())) {
                tests++;
                String name = t.play() + " : " + t.task() + (t.item() != null ? " (item=" + t.item() + ")" : "");
                cases.append("    <testcase classname=\"").append(xml(r.host())).append("\" name=\"").append(xml(name)).append("\" time=\"0\">\n");
                if (isDrift(t)) {
                    failures++;
                    cases.append("      <failure message=\"").append(xml(firstLine(t.message()))).append("\" type=\"drift\">")
                            .append(xml(DiffText.render(t))).append("</failure>\n");
                } else if (t.status() == Status.FAILED && !t.ignored()) {
                    errors++;
                    cases.append("      <error message=\"").append(xml(firstLine(t.message()))).append("\" type=\"failed\">")
                            .append(xml(t.message())).append("</error>\n");
                } else if (t.status() == Status.SKIPPED) {
                    cases.append("      <skipped/>\n");
                }
                cases.append("    </testcase>\n");
            }
        }
        return secrets.redact("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"rig drift\" tests=\"" + tests
                + "\" failures=\"" + failures + "\" errors=\"" + errors + "\" time=\"" + String.format(Locale.ROOT, "%.3f", record.elapsedMillis() / 1000.0)
                + "\">\n" + cases + "  </testsuite>\n</testsuites>\n");
    }

    /** Prometheus text exposition for node-exporter's textfile collector. */
    public String metrics(long nowMillis) {
        StringBuilder m = new StringBuilder();
        m.append("# HELP rig_drift_changes Changes rig would make to converge the host, per task (0 = in sync).\n");
        m.append("# TYPE rig_drift_changes gauge\n");
        for (HostRecap r : record.recaps()) {
            for (Event.TaskDone t : record.tasks(r.host())) {
                if (t.status() == Status.SKIPPED || t.action() == Action.RUN && t.status() == Status.CHANGED) continue;
                m.append("rig_drift_changes{host=\"").append(label(r.host())).append("\",play=\"").append(label(t.play()))
                        .append("\",task=\"").append(label(t.task() + (t.item() != null ? " (item=" + t.item() + ")" : "")))
                        .append("\"} ").append(isDrift(t) ? 1 : 0).append('\n');
            }
        }
        m.append("# HELP rig_drift_hosts Hosts by drift status.\n# TYPE rig_drift_hosts gauge\n");
        for (HostStatus s : HostStatus.values()) {
            long n = record.recaps().stream().filter(r -> status(r) == s).count();
            m.append("rig_drift_hosts{status=\"").append(s.name().toLowerCase(Locale.ROOT)).append("\"} ").append(n).append('\n');
        }
        m.append("# HELP rig_drift_last_run_timestamp_seconds When the drift check finished.\n# TYPE rig_drift_last_run_timestamp_seconds gauge\n");
        m.append("rig_drift_last_run_timestamp_seconds ").append(String.format(Locale.ROOT, "%.3f", nowMillis / 1000.0)).append('\n');
        m.append("# HELP rig_drift_duration_seconds How long the drift check took.\n# TYPE rig_drift_duration_seconds gauge\n");
        m.append("rig_drift_duration_seconds ").append(String.format(Locale.ROOT, "%.3f", record.elapsedMillis() / 1000.0)).append('\n');
        return secrets.redact(m.toString());
    }

    /** Writes atomically: a temp file in the same directory, then a rename, so a reader never sees half a file. */
    public static void writeAtomically(Path file, String content) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                Files.writeString(tmp, content, StandardCharsets.UTF_8);
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    static String label(String v) {
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String xml(String s) {
        if (s == null) return "";
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> {
                    if (c < 0x20 && c != '\n' && c != '\t' && c != '\r') b.append('?'); else b.append(c);
                }
            }
        }
        return b.toString();
    }

    private static String firstLine(String s) {
        if (s == null) return "";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}

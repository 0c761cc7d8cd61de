package dev.rig.stack;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.core.Secrets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The checks as a host × signal table, JSON lines, JUnit XML and Prometheus textfile metrics; every output through one redaction. */
public final class VerifyReport {
    private final List<Check> checks;
    private final Secrets secrets;
    private final long elapsedMillis;

    public VerifyReport(List<Check> checks, Secrets secrets, long elapsedMillis) {
        this.checks = List.copyOf(checks);
        this.secrets = secrets;
        this.elapsedMillis = elapsedMillis;
    }

    public List<Check> checks() {
        return checks;
    }

    /** 0 every signal ok, 1 rig could not tell for some, 2 data does not flow for some. */
    public int exitCode() {
        if (checks.stream().anyMatch(c -> c.health() == Health.ERROR || c.health() == Health.UNKNOWN)) return 1;
        return checks.stream().allMatch(c -> c.health() == Health.OK) ? 0 : 2;
    }

    public String table() {
        Map<String, Map<String, Check>> rows = new LinkedHashMap<>();
        Set<String> signals = new LinkedHashSet<>();
        for (Check c : checks) {
            rows.computeIfAbsent(c.host(), h -> new LinkedHashMap<>()).put(c.signal(), c);
            signals.add(c.signal());
        }
        int hostWidth = Math.max(4, rows.keySet().stream().mapToInt(String::length).max().orElse(4));
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-" + hostWidth + "s", "HOST"));
        for (String s : signals) out.append("  ").append(String.format(Locale.ROOT, "%-10s", s.toUpperCase(Locale.ROOT)));
        out.append('\n');
        rows.forEach((host, cells) -> {
            out.append(String.format(Locale.ROOT, "%-" + hostWidth + "s", host));
            for (String s : signals) {
                Check c = cells.get(s);
                out.append("  ").append(String.format(Locale.ROOT, "%-10s", c == null ? "-" : c.health().word()));
            }
            out.append('\n');
        });
        List<Check> problems = checks.stream().filter(c -> c.health() != Health.OK).toList();
        if (!problems.isEmpty()) {
            out.append('\n');
            for (Check c : problems) out.append(c.health().word()).append(" [").append(c.host()).append("] ").append(c.signal()).append(": ").append(c.detail()).append('\n');
        }
        long ok = checks.stream().filter(c -> c.health() == Health.OK).count();
        out.append('\n').append(ok).append(" of ").append(checks.size()).append(" signals ok, ").append(rows.size()).append(" hosts, ")
                .append(String.format(Locale.ROOT, "%.1f s", elapsedMillis / 1000.0)).append('\n');
        return secrets.redact(out.toString());
    }

    /** One JSON object per line: host, signal, status, detail. */
    public String jsonLines() {
        StringBuilder out = new StringBuilder();
        for (Check c : checks) {
            ObjectNode o = CentralHttp.JSON.createObjectNode();
            o.put("host", c.host());
            o.put("signal", c.signal());
            o.put("status", c.health().word());
            o.put("detail", c.detail());
            out.append(o).append('\n');
        }
        return secrets.redact(out.toString());
    }

    /** JUnit XML as rig drift writes it: a testcase per host × signal; stale and missing are failures, error an error. */
    public String junit() {
        StringBuilder cases = new StringBuilder();
        int failures = 0, errors = 0;
        for (Check c : checks) {
            cases.append("    <testcase classname=\"").append(xml(c.host())).append("\" name=\"").append(xml(c.signal())).append("\" time=\"0\">\n");
            if (c.health() == Health.ERROR || c.health() == Health.UNKNOWN) {
                errors++;
                cases.append("      <error message=\"").append(xml(c.detail())).append("\" type=\"").append(c.health().word()).append("\"/>\n");
            } else if (c.health() != Health.OK) {
                failures++;
                cases.append("      <failure message=\"").append(xml(c.detail())).append("\" type=\"").append(c.health().word()).append("\"/>\n");
            }
            cases.append("    </testcase>\n");
        }
        return secrets.redact("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites>\n  <testsuite name=\"rig verify\" tests=\"" + checks.size()
                + "\" failures=\"" + failures + "\" errors=\"" + errors + "\" time=\"" + String.format(Locale.ROOT, "%.3f", elapsedMillis / 1000.0)
                + "\">\n" + cases + "  </testsuite>\n</testsuites>\n");
    }

    /** Prometheus text exposition for node-exporter's textfile collector. */
    public String metrics(long nowMillis) {
        StringBuilder m = new StringBuilder();
        m.append("# HELP rig_verify_ok Whether the signal reaches central (1) or not (0), per host and signal.\n# TYPE rig_verify_ok gauge\n");
        for (Check c : checks) {
            m.append("rig_verify_ok{host=\"").append(label(c.host())).append("\",signal=\"").append(label(c.signal())).append("\",status=\"")
                    .append(c.health().word()).append("\"} ").append(c.health() == Health.OK ? 1 : 0).append('\n');
        }
        m.append("# HELP rig_verify_last_run_timestamp_seconds When the check finished.\n# TYPE rig_verify_last_run_timestamp_seconds gauge\n");
        m.append("rig_verify_last_run_timestamp_seconds ").append(String.format(Locale.ROOT, "%.3f", nowMillis / 1000.0)).append('\n');
        m.append("# HELP rig_verify_duration_seconds How long the check took.\n# TYPE rig_verify_duration_seconds gauge\n");
        m.append("rig_verify_duration_seconds ").append(String.format(Locale.ROOT, "%.3f", elapsedMillis / 1000.0)).append('\n');
        return secrets.redact(m.toString());
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String label(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

}

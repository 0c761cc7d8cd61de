package dev.rig.stack;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The alerting rendered for the example inventory, checked by the real tools: Debian's `promtool check rules`
 * and `promtool test rules` (src/test/resources/alerting/alerts.test.yml: each alert fires when it should and
 * stays silent when it should not) and `amtool check-config` on the rendered alertmanager.yml.
 */
@Tag("integration")
class AlertingRulesTest {
    static final String CENTRAL = "/opt/monitoring/central";
    @TempDir static Path dir;
    static Rendered example;

    @BeforeAll
    static void render() {
        example = Rendered.run(dir.resolve("example"), "-i", Rendered.EXAMPLE_INVENTORY.toString(),
                "-e", "@" + Rendered.varsFile(dir, Rendered.randomSecrets()), Rendered.SITE.toString());
        assertEquals(0, example.exit(), example::toString);
    }

    @Test
    void renderedRulesPassPromtoolCheckRules() throws Exception {
        Path rules = example.file("monitor-1", CENTRAL + "/prometheus/rules/alerts.yml");
        Run check = run(dir, "promtool", "check", "rules", rules.toString());
        assertEquals(0, check.exit, check.out);
        // promtool counts every rule of the rendered file: none was dropped as unparsable
        assertTrue(check.out.contains("SUCCESS: " + ruleNames(rules).size() + " rules found"), check.out);
        // and the central config that loads them (rule_files, alerting) passes promtool check config
        Run config = run(dir, "promtool", "check", "config", example.file("monitor-1", CENTRAL + "/prometheus/prometheus.yml").toString());
        assertEquals(0, config.exit, config.out);
    }

    /** The alert names of a rendered rules file, in file order. */
    @SuppressWarnings("unchecked")
    static List<String> ruleNames(Path rules) throws IOException {
        Map<String, Object> doc = new Yaml().load(Files.readString(rules));
        List<String> names = new java.util.ArrayList<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) doc.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) names.add(String.valueOf(rule.get("alert")));
        }
        return names;
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyRuleHasASeverityAndARunbookLine() throws IOException {
        Map<String, Object> rules = new Yaml().load(Files.readString(example.file("monitor-1", CENTRAL + "/prometheus/rules/alerts.yml")));
        Set<String> names = new TreeSet<>();
        for (Map<String, Object> group : (List<Map<String, Object>>) rules.get("groups")) {
            for (Map<String, Object> rule : (List<Map<String, Object>>) group.get("rules")) {
                String name = String.valueOf(rule.get("alert"));
                names.add(name);
                String severity = String.valueOf(((Map<?, ?>) rule.get("labels")).get("severity"));
                assertTrue(Set.of("critical", "warning").contains(severity), name + ": " + severity);
                String runbook = String.valueOf(((Map<?, ?>) rule.get("annotations")).get("runbook"));
                assertTrue(runbook.length() > 30, name + " has no runbook line");
            }
        }
        assertEquals(new TreeSet<>(List.of("EdgeStoppedPushing", "NodeExporterDown", "DiskWillFillIn24h", "DiskAlmostFull", "MemoryPressure",
                "ContainerRestartLoop", "TLSCertificateExpiresSoon", "TimescaleDBJobFailed", "TimescaleDBCompressionBehind",
                "PrometheusRuleEvaluationFailures", "RemoteWriteReceiverErrors", "RemoteWriteFailing", "LokiIngestionErrors")), names);
    }

    @Test
    void promtoolUnitTestsFireAndStaySilent() throws Exception {
        Path work = Files.createDirectories(dir.resolve("unit"));
        Files.copy(example.file("monitor-1", CENTRAL + "/prometheus/rules/alerts.yml"), work.resolve("alerts.yml"));
        try (InputStream in = AlertingRulesTest.class.getResourceAsStream("/alerting/alerts.test.yml")) {
            Files.write(work.resolve("alerts.test.yml"), in.readAllBytes());
        }
        Run test = run(work, "promtool", "test", "rules", "alerts.test.yml");
        assertEquals(0, test.exit, test.out);
        assertTrue(test.out.contains("SUCCESS"), test.out);
        // the unit tests can fail: a threshold moved past the data makes the "fires" cases fail
        Files.writeString(work.resolve("alerts.yml"), Files.readString(work.resolve("alerts.yml")).replace("> 90", "> 99"));
        Run broken = run(work, "promtool", "test", "rules", "alerts.test.yml");
        assertEquals(1, broken.exit, broken.out);
        assertTrue(broken.out.contains("DiskAlmostFull") && broken.out.contains("MemoryPressure"), broken.out);
    }

    @Test
    @SuppressWarnings("unchecked")
    void everyRenderedRuleHasAFiringAndASilentUnitTest() throws IOException {
        Map<String, Object> tests;
        try (InputStream in = AlertingRulesTest.class.getResourceAsStream("/alerting/alerts.test.yml")) {
            tests = new Yaml().load(in);
        }
        Set<String> fires = new TreeSet<>();
        Set<String> silent = new TreeSet<>();
        for (Map<String, Object> test : (List<Map<String, Object>>) tests.get("tests")) {
            for (Map<String, Object> c : (List<Map<String, Object>>) test.get("alert_rule_test")) {
                String name = String.valueOf(c.get("alertname"));
                (((List<?>) c.get("exp_alerts")).isEmpty() ? silent : fires).add(name);
            }
        }
        Set<String> rules = new TreeSet<>(ruleNames(example.file("monitor-1", CENTRAL + "/prometheus/rules/alerts.yml")));
        Set<String> neverFired = new TreeSet<>(rules);
        neverFired.removeAll(fires);
        assertEquals(Set.of(), neverFired, "rules without a unit test where they fire");
        // (the firing cases' other series, another host or mount, show silence too: exp_alerts is the complete list)
        Set<String> neverSilent = new TreeSet<>(rules);
        neverSilent.removeAll(silent);
        assertEquals(Set.of(), neverSilent, "rules without a unit test where they stay silent");
    }

    @Test
    @SuppressWarnings("unchecked")
    void renderedAlertmanagerConfigPassesAmtoolAndRoutesBySeverity() throws Exception {
        Path config = example.file("monitor-1", CENTRAL + "/alertmanager/alertmanager.yml");
        Run check = run(dir, "amtool", "check-config", config.toString());
        assertEquals(0, check.exit, check.out);
        assertTrue(check.out.contains("Found:") && check.out.contains(" - 4 receivers") && check.out.contains(" - 1 inhibit rules"), check.out);
        Map<String, Object> am = new Yaml().load(Files.readString(config));
        List<Map<String, Object>> routes = (List<Map<String, Object>>) ((Map<String, Object>) am.get("route")).get("routes");
        assertEquals(List.of("ops-mail:severity=\"critical\"", "pager:severity=\"critical\"", "chat:severity=\"critical\"", "ops-mail:severity=\"warning\""),
                routes.stream().map(r -> r.get("receiver") + ":" + ((List<?>) r.get("matchers")).get(0)).toList());
        // amtool's own routing: a critical EdgeStoppedPushing reaches all three, a warning only the mail
        Run critical = run(dir, "amtool", "config", "routes", "test", "--config.file=" + config, "severity=critical", "alertname=EdgeStoppedPushing", "host=app-1");
        assertEquals("ops-mail,pager,chat", lastLine(critical.out), critical.out);
        Run warning = run(dir, "amtool", "config", "routes", "test", "--config.file=" + config, "severity=warning", "alertname=MemoryPressure");
        assertEquals("ops-mail", lastLine(warning.out), warning.out);
        // secrets are files, never in the config
        String text = Files.readString(config);
        assertTrue(text.contains("smtp_auth_password_file: /etc/alertmanager/secrets/smtp_password"), text);
        assertTrue(text.contains("api_url_file: /etc/alertmanager/secrets/slack_webhook_url"), text);
        assertFalse(text.contains("chat.example.com/hooks"), text);
        Path secrets = example.file("monitor-1", CENTRAL + "/secrets");
        for (String f : List.of("smtp_password", "slack_webhook_url")) assertTrue(Files.isRegularFile(secrets.resolve(f)), f);
    }

    @Test
    void aReceiverWithoutItsSettingsIsRefusedBeforeAnyHostIsTouched() {
        Rendered r = Rendered.run(dir.resolve("no-smtp"), "-i", Rendered.EXAMPLE_INVENTORY.toString(),
                "-e", "@" + Rendered.varsFile(dir, Rendered.randomSecrets()), "-e", "alertmanager_smtp_smarthost=", Rendered.SITE.toString());
        assertEquals(1, r.exit(), r::toString);
        assertTrue(r.out().contains("e-mail receivers need alertmanager_smtp_smarthost"), r::toString);
    }

    record Run(int exit, String out) {}

    /** amtool prints a warning about its --alertmanager.url default first; the answer is the last line. */
    static String lastLine(String out) {
        return out.strip().lines().reduce((a, b) -> b).orElse("");
    }

    static Run run(Path cwd, String... argv) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Process p = new ProcessBuilder(argv).directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError(List.of(argv) + " did not finish in 60 s");
        }
        return new Run(p.exitValue(), Files.readString(out));
    }
}

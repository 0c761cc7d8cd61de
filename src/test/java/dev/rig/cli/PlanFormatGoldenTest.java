package dev.rig.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.apply.Event;
import dev.rig.apply.HostRecap;
import dev.rig.apply.Mode;
import dev.rig.apply.Status;
import dev.rig.core.Secrets;
import dev.rig.plan.Action;
import dev.rig.plan.Diff;
import dev.rig.report.PlanFile;
import dev.rig.report.RunRecord;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden files for the saved plan format (version 2) and for how `rig show` renders it. A change
 * to either is a change of a documented format: update the golden files on purpose with
 * -Drig.golden.update=true and say so in the commit.
 */
class PlanFormatGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final String SECRET = "hunter2-golden";

    static RunRecord record() {
        RunRecord r = new RunRecord();
        r.emit(new Event.RunStarted(Mode.PLAN, List.of("site.yml")));
        r.emit(new Event.TaskDone("web1", "web", "App dir", null, Status.OK, Action.NOOP, "/srv/app is as wanted", List.of(), List.of(), false, false));
        Map<String, String> before = new LinkedHashMap<>(Map.of("state", "file"));
        before.put("sha256", "aa");
        Map<String, String> after = new LinkedHashMap<>(Map.of("state", "file"));
        after.put("sha256", "bb");
        r.emit(new Event.TaskDone("web1", "web", "Config", null, Status.CHANGED, Action.UPDATE, "update /srv/app/app.conf",
                List.of(new Diff("/srv/app/app.conf", before, after, "port=1\npassword=" + SECRET + "\n", "port=2\npassword=" + SECRET + "\n")),
                List.of("write /srv/app/app.conf (26 bytes)"), false, false, List.of(dev.rig.plan.HostCommand.of("cat > /srv/app/app.conf").digest())));
        r.emit(new Event.TaskDone("web1", "web", "restart app", null, Status.CHANGED, Action.RUN, "run systemctl restart app", List.of(),
                List.of("run systemctl restart app"), false, true));
        r.emit(new Event.TaskDone("db1", "web", "App dir", null, Status.CHANGED, Action.CREATE, "create /srv/app",
                List.of(Diff.attributes("/srv/app", Map.of("state", "absent"), Map.of("state", "directory"))), List.of("mkdir /srv/app"), false, false,
                List.of(dev.rig.plan.HostCommand.of("mkdir -p -- /srv/app", "mkdir /srv/app").digest())));
        r.emit(new Event.RunFinished(Mode.PLAN, List.of(
                new HostRecap("web1", 1, 2, 0, 0, 0, 0, 0, 1, null),
                new HostRecap("db1", 0, 1, 0, 0, 0, 0, 0, 0, null)), 1234));
        return r;
    }

    static JsonNode plan() {
        Secrets secrets = new Secrets();
        secrets.add(SECRET);
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("release", "v2");
        extra.put("db_password", SECRET);
        PlanFile.Inputs inputs = new PlanFile.Inputs("/fleet/inventory", List.of("/fleet/site.yml"), "web:db", List.of("deploy"), List.of(), extra);
        return PlanFile.build("0.1.0", Instant.parse("2026-11-25T12:00:00Z"), inputs,
                Map.of("/fleet/site.yml", "0123abcd", "/fleet/inventory/hosts.yml", "4567ef01"), record(), secrets);
    }

    static void assertGolden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("rig.golden.update")) Files.writeString(file, actual);
        assertEquals(Files.readString(file), actual, "golden file " + file + " differs");
    }

    @Test
    void savedPlanFormat() throws IOException {
        String json = PlanFile.toJson(plan());
        assertFalse(json.contains(SECRET), "a secret in the plan:\n" + json);
        assertGolden("plan-v2.json", json);
    }

    @Test
    void showRendersTheSavedPlan() throws IOException {
        StringWriter out = new StringWriter();
        ShowCommand.render(new ObjectMapper().readTree(PlanFile.toJson(plan())), new PrintWriter(out, true));
        assertGolden("plan-v2.txt", out.toString());
    }

    @Test
    void aSavedPlanReadsBackIntoTheSameDecisions() throws IOException {
        JsonNode saved = new ObjectMapper().readTree(PlanFile.toJson(plan()));
        RunRecord again = record();
        assertNull(PlanFile.staleReason(saved.get("hosts").get(0), again.tasks("web1")), "unchanged host matches");
        List<Event.TaskDone> changed = new java.util.ArrayList<>(again.tasks("db1"));
        changed.set(0, new Event.TaskDone("db1", "web", "App dir", null, Status.OK, Action.NOOP, "/srv/app is as wanted",
                List.of(), List.of(), false, false));
        String why = PlanFile.staleReason(saved.get("hosts").get(1), changed);
        assertTrue(why.startsWith("task 'App dir' was planned as: changed — create /srv/app; now: ok"), why);
    }

    @Test
    void aTaskThatWouldRunAnotherScriptUnderTheSameDescriptionIsRefused() throws IOException {
        JsonNode saved = new ObjectMapper().readTree(PlanFile.toJson(plan()));
        List<Event.TaskDone> now = new java.util.ArrayList<>(record().tasks("db1"));
        // Same decision, same description ("mkdir /srv/app"), another script: e.g. a module that changed since the plan.
        now.set(0, now.get(0).withScripts(List.of(dev.rig.plan.HostCommand.of("mkdir -- /srv/app", "mkdir /srv/app").digest())));
        String why = PlanFile.staleReason(saved.get("hosts").get(1), now);
        assertEquals("task 'App dir' would run other scripts than the plan holds (their sha256 differ): rig or the module changed since the plan", why);
        assertEquals(List.of(dev.rig.plan.HostCommand.of("mkdir -p -- /srv/app").digest()),
                PlanFile.tasks(saved.get("hosts").get(1)).get(0).scripts(), "a saved plan reads back with its script digests");
    }
}

package dev.rig.report;

import dev.rig.apply.Event;
import dev.rig.apply.HostRecap;
import dev.rig.apply.Mode;
import dev.rig.apply.RunPlans;
import dev.rig.apply.Status;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Secrets;
import dev.rig.plan.Action;
import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;
import dev.rig.plan.HostPlan;
import dev.rig.plan.Plan;
import dev.rig.plan.PlanCodec;
import dev.rig.plan.PlannedCommand;
import dev.rig.plan.PlannedTask;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Golden files for the saved plan format (version 3 written, version 2 still read) and for how `rig show`
 * renders it, and the plan model's round trip through its codec. A change to either file is a change of a
 * documented format: update the golden files on purpose with -Drig.golden.update=true and say so in the commit.
 */
class PlanFormatGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/golden");
    static final String SECRET = "hunter2-golden";
    static final String MKDIR = HostCommand.of("mkdir -p -- /srv/app", "mkdir /srv/app").digest();

    /**
     * The task results a plan run reported. handlerDigest: whether the handler's command carries its script's
     * digest (real runs always do; the version 2 golden file was made from results where it did not).
     */
    static List<Event> events(boolean handlerDigest) {
        List<Event> out = new ArrayList<>();
        out.add(new Event.TaskDone("web1", "web", "App dir", null, Status.OK, Action.NOOP, "/srv/app is as wanted", List.of(), List.of(), false, false));
        Map<String, String> before = new LinkedHashMap<>(Map.of("state", "file"));
        before.put("sha256", "aa");
        Map<String, String> after = new LinkedHashMap<>(Map.of("state", "file"));
        after.put("sha256", "bb");
        out.add(new Event.TaskDone("web1", "web", "Config", null, Status.CHANGED, Action.UPDATE, "update /srv/app/app.conf",
                List.of(new Diff("/srv/app/app.conf", before, after, "port=1\npassword=" + SECRET + "\n", "port=2\npassword=" + SECRET + "\n")),
                List.of("write /srv/app/app.conf (26 bytes)"), false, false, List.of(HostCommand.of("cat > /srv/app/app.conf").digest())));
        out.add(new Event.TaskDone("web1", "web", "restart app", null, Status.CHANGED, Action.RUN, "run systemctl restart app", List.of(),
                List.of("run systemctl restart app"), false, true,
                handlerDigest ? List.of(HostCommand.of("systemctl restart app", "run systemctl restart app").digest()) : List.of()));
        out.add(new Event.TaskDone("db1", "web", "App dir", null, Status.CHANGED, Action.CREATE, "create /srv/app",
                List.of(Diff.attributes("/srv/app", Map.of("state", "absent"), Map.of("state", "directory"))), List.of("mkdir /srv/app"), false, false,
                List.of(MKDIR)));
        return out;
    }

    static final List<HostRecap> RECAPS = List.of(
            new HostRecap("web1", 1, 2, 0, 0, 0, 0, 0, 1, null),
            new HostRecap("db1", 0, 1, 0, 0, 0, 0, 0, 0, null));

    static List<HostPlan> hosts(List<Event> events) {
        return RECAPS.stream().map(rc -> RunPlans.host(rc, events.stream().map(e -> (Event.TaskDone) e)
                .filter(t -> t.host().equals(rc.host())).toList())).toList();
    }

    static Secrets secrets() {
        Secrets secrets = new Secrets();
        secrets.add(SECRET);
        return secrets;
    }

    /** The plan as rig plan --out saves it: masked. */
    static Plan plan() {
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("release", "v2");
        extra.put("db_password", SECRET);
        Plan.Inputs inputs = Plan.Inputs.of("/fleet/inventory", List.of("/fleet/site.yml"), "web:db", List.of("deploy"), List.of(), extra, secrets());
        return new Plan("0.1.0", Instant.parse("2026-11-25T12:00:00Z"), inputs,
                Map.of("/fleet/site.yml", "0123abcd", "/fleet/inventory/hosts.yml", "4567ef01"), hosts(events(true))).redacted(secrets());
    }

    static void assertGolden(String name, String actual) throws IOException {
        Path file = GOLDEN.resolve(name);
        if (Boolean.getBoolean("rig.golden.update")) Files.writeString(file, actual);
        assertEquals(Files.readString(file), actual, "golden file " + file + " differs");
    }

    static String show(PlanCodec.Saved saved) {
        StringWriter out = new StringWriter();
        PlanView.human(saved, new PrintWriter(out, true));
        return out.toString();
    }

    @Test
    void savedPlanFormat() throws IOException {
        String json = PlanCodec.write(plan());
        assertFalse(json.contains(SECRET), "a secret in the plan:\n" + json);
        assertGolden("plan-v3.json", json);
    }

    @Test
    void showRendersTheSavedPlan() throws IOException {
        assertGolden("plan-v3.txt", show(PlanCodec.read(PlanCodec.write(plan()), "plan.json")));
    }

    @Test
    void theModelRoundTripsThroughItsFile() {
        Plan plan = plan();
        PlanCodec.Saved read = PlanCodec.read(PlanCodec.write(plan), "plan.json");
        assertEquals(PlanCodec.FORMAT_VERSION, read.formatVersion());
        assertEquals(plan, read.plan(), "what is read back is what was written");
        PlannedTask mkdir = read.plan().byHost().get("db1").tasks().get(0);
        assertEquals(List.of(new PlannedCommand("mkdir /srv/app", MKDIR)), mkdir.commands(), "each command: what it shows, and the digest of what runs");
        assertEquals(new Plan.SecretDigest(dev.rig.core.Digests.sha256(SECRET)), read.plan().inputs().extraVars().get("db_password"));
        assertTrue(((Plan.SecretDigest) read.plan().inputs().extraVars().get("db_password")).matches(SECRET));
        assertEquals(2, read.plan().toChange());
    }

    @Test
    void aVersion2PlanStillReadsRendersAndMatchesWhatItPlanned() throws IOException {
        // plan-v2.json was written by the rig before the plan model, from events(false).
        PlanCodec.Saved v2 = PlanCodec.read(Files.readString(GOLDEN.resolve("plan-v2.json")), "plan-v2.json");
        assertEquals(2, v2.formatVersion());
        assertGolden("plan-v2.txt", show(v2));
        List<HostPlan> now = hosts(events(false));
        assertNull(v2.plan().byHost().get("web1").staleReason(now.get(0), HostPlan.Reviewed.SAVED),
                "the fingerprints of version 2 are the model's own: an unchanged host matches");
        assertEquals(new Plan.Verdict(List.of("web1", "db1"), Map.of()), v2.plan().check(now, HostPlan.Reviewed.SAVED, true));
    }

    @Test
    void aHostThatDecidesOtherwiseIsRefusedNamingTheTask() {
        Plan saved = PlanCodec.read(PlanCodec.write(plan()), "plan.json").plan();
        List<Event> now = events(true);
        now.set(3, new Event.TaskDone("db1", "web", "App dir", null, Status.OK, Action.NOOP, "/srv/app is as wanted",
                List.of(), List.of(), false, false));
        Plan.Verdict verdict = saved.check(hosts(now), HostPlan.Reviewed.SAVED, true);
        assertEquals(List.of("web1"), verdict.accepted());
        String why = verdict.refused().get("db1");
        assertEquals("task 'App dir' was planned as: changed — create /srv/app; now: ok — /srv/app is as wanted (the host's state changed since the plan)", why);
        String shown = saved.byHost().get("db1").staleReason(hosts(now).get(1), HostPlan.Reviewed.SHOWN);
        assertTrue(shown.startsWith("task 'App dir' was shown as: changed — create /srv/app; now: ok"), shown);
    }

    @Test
    void aTaskThatWouldRunAnotherScriptUnderTheSameDescriptionIsRefused() {
        Plan saved = PlanCodec.read(PlanCodec.write(plan()), "plan.json").plan();
        List<Event> now = events(true);
        // Same decision, same description ("mkdir /srv/app"), another script: e.g. a module that changed since the plan.
        now.set(3, ((Event.TaskDone) now.get(3)).withScripts(List.of(HostCommand.of("mkdir -- /srv/app", "mkdir /srv/app").digest())));
        assertEquals("task 'App dir' would run other scripts than the plan holds (their sha256 differ): rig or the module changed since the plan",
                saved.byHost().get("db1").staleReason(hosts(now).get(1), HostPlan.Reviewed.SAVED));
    }

    @Test
    void aHostGoneOrFailingSinceThePlanIsRefused() {
        Plan saved = plan();
        HostPlan failing = HostPlan.of("web1", HostPlan.State.FAILED, "cannot take the host lock: locked by another rig run", List.of());
        Plan.Verdict verdict = saved.check(List.of(failing), HostPlan.Reviewed.SAVED, true);
        assertEquals(List.of(), verdict.accepted());
        assertEquals(Map.of("web1", "cannot take the host lock: locked by another rig run", "db1", "no longer selected by the inventory"), verdict.refused());
    }

    @Test
    void aFileThatIsNotAPlanOfAKnownVersionIsRefused() {
        String json = PlanCodec.write(plan());
        InvalidInputException version = assertThrows(InvalidInputException.class,
                () -> PlanCodec.read(json.replace("\"format_version\" : 3", "\"format_version\" : 1"), "old.json"));
        assertTrue(version.getMessage().contains("plan format version 1 is not supported"), version.getMessage());
        InvalidInputException damaged = assertThrows(InvalidInputException.class,
                () -> PlanCodec.read(json.replace("\"status\" : \"CHANGED\"", "\"status\" : \"MAYBE\""), "edited.json"));
        assertTrue(damaged.getMessage().contains("damaged saved plan"), damaged.getMessage());
        assertThrows(InvalidInputException.class, () -> PlanCodec.read("{\"format\": \"tfplan\"}", "other.json"));
    }

    @Test
    void aDelegatedTaskKeepsItsDelegateThroughTheFileAndAPlanWithoutOneKeepsItsFingerprints() {
        List<Event> events = events(true);
        Event.TaskDone app = (Event.TaskDone) events.get(3);
        Event.TaskDone delegated = new Event.TaskDone(app.host(), app.play(), app.task(), app.item(), app.status(), app.action(), app.message(),
                app.diffs(), app.commands(), app.ignored(), app.handler(), app.scripts(), "web1");
        PlannedTask plain = RunPlans.task(app);
        PlannedTask onWeb1 = RunPlans.task(delegated);
        assertNull(plain.delegate());
        assertEquals("web1", onWeb1.delegate());
        assertEquals("db1 -> web1", onWeb1.where("db1"));
        assertFalse(plain.fingerprint().equals(onWeb1.fingerprint()), "where a task runs is part of what was reviewed");

        events.set(3, delegated);
        String json = PlanCodec.write(new Plan("0.1.0", Instant.parse("2026-11-25T12:00:00Z"), plan().inputs(), Map.of(), hosts(events)));
        assertEquals(1, json.split("\"delegate\" : \"web1\"", -1).length - 1, json);
        Plan read = PlanCodec.read(json, "delegated.json").plan();
        PlannedTask back = read.byHost().get("db1").tasks().get(0);
        assertEquals(onWeb1, back, "the delegate and the fingerprint come back as written");
        assertNull(read.byHost().get("web1").tasks().get(0).delegate());
        assertNull(read.byHost().get("db1").staleReason(hosts(events).get(1), HostPlan.Reviewed.SAVED));
        assertTrue(show(new PlanCodec.Saved(3, read)).contains("[db1 -> web1] App dir"), show(new PlanCodec.Saved(3, read)));

        // A file without "delegate" (written before delegation to hosts) reads as not delegated, its fingerprints unchanged.
        String old = PlanCodec.write(plan());
        assertFalse(old.contains("\"delegate\""), old);
        assertEquals(plan().hosts(), PlanCodec.read(old, "old.json").plan().hosts());
        InvalidInputException damaged = assertThrows(InvalidInputException.class,
                () -> PlanCodec.read(json.replace("\"delegate\" : \"web1\"", "\"delegate\" : 7"), "edited.json"));
        assertTrue(damaged.getMessage().contains("damaged saved plan: \"delegate\" is not a host name"), damaged.getMessage());
    }
}

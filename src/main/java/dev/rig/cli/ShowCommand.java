package dev.rig.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rig.apply.Event;
import dev.rig.apply.HostRecap;
import dev.rig.apply.Mode;
import dev.rig.core.Secrets;
import dev.rig.plan.Action;
import dev.rig.report.HumanReporter;
import dev.rig.report.PlanFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "show", description = "Render a saved plan (rig plan --out) for people. Contacts no host.")
final class ShowCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "PLAN.json")
    Path planFile;

    @Override
    public Integer call() {
        JsonNode plan = PlanFile.read(planFile);
        PrintWriter out = spec.commandLine().getOut();
        render(plan, out);
        return Main.OK;
    }

    /** Replays the saved task results through the same reporter a live plan uses. */
    static void render(JsonNode plan, PrintWriter out) {
        JsonNode inputs = plan.path("inputs");
        out.println("Plan format " + plan.path("format_version").asInt() + ", made " + plan.path("created_at").asText()
                + " by rig " + plan.path("rig_version").asText());
        out.println("  inventory " + inputs.path("inventory").asText() + ", playbooks " + String.join(", ", texts(inputs.path("playbooks")))
                + (inputs.path("limit").isTextual() ? ", limit " + inputs.path("limit").asText() : ""));
        HumanReporter reporter = new HumanReporter(out, new Secrets(), false);
        reporter.emit(new Event.RunStarted(Mode.PLAN, texts(inputs.path("playbooks"))));
        List<HostRecap> recaps = new ArrayList<>();
        for (JsonNode host : plan.path("hosts")) {
            List<Event.TaskDone> tasks = PlanFile.tasks(host);
            tasks.forEach(reporter::emit);
            recaps.add(recap(host, tasks));
        }
        reporter.emit(new Event.RunFinished(Mode.PLAN, recaps, 0));
    }

    private static HostRecap recap(JsonNode host, List<Event.TaskDone> tasks) {
        int ok = 0, changed = 0, failed = 0, skipped = 0, ignored = 0, later = 0, run = 0;
        for (Event.TaskDone t : tasks) {
            switch (t.status()) {
                case OK -> ok++;
                case CHANGED -> {
                    changed++;
                    if (t.action() == Action.RUN) run++;
                }
                case FAILED -> {
                    if (t.ignored()) ignored++; else failed++;
                }
                case SKIPPED -> skipped++;
                case KNOWN_AFTER_APPLY -> later++;
                case UNREACHABLE -> { }
            }
        }
        int unreachable = "unreachable".equals(host.path("status").asText()) ? 1 : 0;
        String failure = host.path("failure").isTextual() ? host.path("failure").asText() : null;
        return new HostRecap(host.path("host").asText(), ok, changed, unreachable, failed, skipped, ignored, later, run, failure);
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

}

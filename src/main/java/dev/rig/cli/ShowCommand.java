package dev.rig.cli;

import dev.rig.plan.PlanCodec;
import dev.rig.report.PlanView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.concurrent.Callable;

@Command(name = "show", description = "Render a saved plan (rig plan --out) for people, or as JSON. Contacts no host.")
final class ShowCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--json", description = "The plan as JSON, in the current format version")
    boolean json;

    @Parameters(paramLabel = "PLAN.json")
    Path planFile;

    @Override
    public Integer call() {
        PlanCodec.Saved saved = PlanCodec.readSaved(planFile);
        if (json) PlanView.json(saved.plan(), spec.commandLine().getOut());
        else PlanView.human(saved, spec.commandLine().getOut());
        return Main.OK;
    }
}

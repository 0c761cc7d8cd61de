package dev.rig.cli;

import dev.rig.apply.Engine;
import dev.rig.apply.Mode;
import dev.rig.report.Drift;
import dev.rig.plan.PlanCodec;
import java.time.Instant;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "plan", description = "Show what apply would change on every host; reads state only and changes nothing.")
final class PlanCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Options.InventoryOptions inventory;
    @Mixin Options.RunOptions run;
    @Mixin Options.SshOptions ssh;

    @Option(names = "--detailed-exitcode", description = "Exit 2 when there are changes (0 none, 1 error)")
    boolean detailedExitCode;

    @Option(names = "--out", paramLabel = "PLAN.json", description = "Save the plan (format version " + PlanCodec.FORMAT_VERSION + ") for 'rig apply PLAN.json' and 'rig show'")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "PLAYBOOK")
    List<Path> playbooks;

    @Override
    public Integer call() {
        try (Runner r = new Runner(inventory, run, ssh, playbooks, spec.commandLine().getOut(), spec.commandLine().getErr())) {
            Engine.Result result = r.execute(Mode.PLAN);
            if (out != null) {
                // Masked before it leaves memory: secrets never reach the file, only the fingerprints of what they decided.
                Drift.writeAtomically(out, PlanCodec.write(r.plan(Main.VERSION, Instant.now()).redacted(r.secrets)));
                if (!run.json) spec.commandLine().getOut().println("Plan saved to " + out + "; apply exactly it with: rig apply " + out);
            }
            if (result.problems()) return Main.ERROR;
            return detailedExitCode && result.changes() ? Main.CHANGES : Main.OK;
        }
    }
}

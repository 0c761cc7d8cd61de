package dev.rig.cli;

import dev.rig.apply.Engine;
import dev.rig.apply.Mode;
import dev.rig.report.Drift;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "drift", description = "Check whether the fleet still matches the playbooks, for schedulers: exit 0 in sync, 2 drifted, 1 error. Changes nothing.")
final class DriftCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Options.InventoryOptions inventory;
    @Mixin Options.RunOptions run;
    @Mixin Options.SshOptions ssh;

    @Option(names = "--junit", paramLabel = "FILE", description = "Write JUnit XML: one testcase per host × task; drift is a failure, unreachable an error")
    Path junit;

    @Option(names = "--metrics-file", paramLabel = "FILE", description = "Write Prometheus metrics (textfile collector format), atomically")
    Path metricsFile;

    @Parameters(arity = "1..*", paramLabel = "PLAYBOOK")
    List<Path> playbooks;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        try (Runner r = new Runner(inventory, run, ssh, playbooks, out, spec.commandLine().getErr())) {
            Engine.Result result = r.execute(Mode.PLAN);
            Drift drift = new Drift(r.record(), r.secrets);
            if (junit != null) Drift.writeAtomically(junit, drift.junit());
            if (metricsFile != null) Drift.writeAtomically(metricsFile, drift.metrics(System.currentTimeMillis()));
            if (!run.json) {
                List<String> lines = drift.summaryLines();
                out.println();
                if (lines.isEmpty()) {
                    out.println(result.problems() ? "No drift found on the hosts that answered." : "No drift: every host matches the playbooks.");
                } else {
                    out.println("DRIFT (" + lines.size() + "):");
                    lines.forEach(l -> out.println("  " + l));
                }
                out.flush();
            }
            if (drift.anyError()) return Main.ERROR;
            return drift.anyDrift() ? Main.CHANGES : Main.OK;
        }
    }
}

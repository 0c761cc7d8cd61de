package dev.rig.cli;

import dev.rig.apply.Engine;
import dev.rig.apply.Mode;
import dev.rig.plan.HostPlan;
import dev.rig.plan.Plan;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.Console;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "apply", description = "Converge the hosts to the playbooks. On a terminal, shows the plan and asks first unless --yes.")
final class ApplyCommand implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin Options.InventoryOptions inventory;
    @Mixin Options.RunOptions run;
    @Mixin Options.SshOptions ssh;

    @Option(names = {"-y", "--yes"}, description = "Do not ask for confirmation")
    boolean yes;

    @Option(names = "--verify", description = "After a successful apply, run rig verify (metrics and logs reach central); its exit code is the run's")
    boolean verify;

    @Option(names = "--within", paramLabel = "DURATION", defaultValue = "2m", description = "With --verify: newest sample must be younger than this. Default: ${DEFAULT-VALUE}")
    String within;

    @Option(names = "--log-timeout", paramLabel = "DURATION", defaultValue = "60s", description = "With --verify: how long to wait for each log canary. Default: ${DEFAULT-VALUE}")
    String logTimeout;

    @Option(names = "--verify-timeout", paramLabel = "DURATION", defaultValue = "2m",
            description = "With --verify: how long to retry while signals are still stale or missing (fresh containers take a moment). Default: ${DEFAULT-VALUE}")
    String verifyTimeout;

    @Parameters(arity = "1..*", paramLabel = "PLAYBOOK|PLAN.json", description = "Playbooks, or one plan saved by 'rig plan --out'")
    List<Path> playbooks;

    @Override
    public Integer call() {
        if (verify) {
            // Verify's settings are known now: a converge that could not be verified is not worth starting.
            List<Path> stackPlaybooks = SavedPlanApply.isPlanFile(playbooks) ? List.of(Path.of("playbooks/site.yml")) : playbooks;
            var missing = dev.rig.stack.StackVerify.settingsErrors(inventory.request(run.extraVars, stackPlaybooks));
            if (!missing.isEmpty()) throw new dev.rig.core.InvalidInputException(missing);
        }
        if (SavedPlanApply.isPlanFile(playbooks)) {
            int code = SavedPlanApply.apply(playbooks.get(0), inventory, run, ssh, spec.commandLine().getOut(), spec.commandLine().getErr());
            return code == Main.OK ? verified(List.of(Path.of("playbooks/site.yml"))) : code;
        }
        try (Runner r = new Runner(inventory, run, ssh, playbooks, spec.commandLine().getOut(), spec.commandLine().getErr())) {
            Console console = System.console();
            if (!yes && console != null && !run.json) {
                Engine.Result plan = r.execute(Mode.PLAN);
                if (plan.problems()) return Main.ERROR;
                if (!plan.changes()) {
                    spec.commandLine().getOut().println("No changes. The fleet matches the playbooks.");
                    return verified(playbooks);
                }
                Plan shown = r.plan(Main.VERSION, java.time.Instant.now());
                String answer = console.readLine("\nApply these changes? Only 'yes' is accepted: ");
                if (answer == null || !answer.strip().toLowerCase(Locale.ROOT).equals("yes")) {
                    spec.commandLine().getOut().println("Apply cancelled.");
                    return Main.ERROR;
                }
                return appliedAsShown(r, shown);
            }
            Engine.Result result = r.execute(Mode.APPLY);
            if (result.problems()) return Main.ERROR;
            return verified(playbooks);
        }
    }

    /**
     * The answer "yes" was given to what the plan showed: each host is read again under its lock and applied,
     * under that same lock, only when it would do and run exactly that (same decisions, same script digests);
     * the others are refused by name.
     */
    private int appliedAsShown(Runner r, Plan shown) {
        java.io.PrintWriter err = spec.commandLine().getErr();
        Runner.ReviewedApply applied = r.applyReviewed(shown, HostPlan.Reviewed.SHOWN, false);
        java.util.Map<String, String> refused = applied.verdict().refused();
        refused.forEach((h, why) -> err.println(r.secrets.redact("refused [" + h + "]: " + why)));
        Engine.Result result = applied.result();
        if (!refused.isEmpty()) {
            err.println(refused.size() + " host(s) refused: they changed since the plan was shown; run rig apply again to see their new plan: "
                    + String.join(", ", refused.keySet()));
            return Main.ERROR;
        }
        if (result == null || result.problems()) return Main.ERROR;
        return verified(playbooks);
    }

    /** With --verify, rig verify after a successful apply, retried while signals are only stale or missing; else OK. */
    private int verified(List<Path> stackPlaybooks) {
        if (!verify) return Main.OK;
        java.io.PrintWriter out = spec.commandLine().getOut();
        if (!run.json) out.println("\nVERIFY: do metrics and logs reach central?");
        try {
            // Only stale or missing data is worth waiting for; an error will not mend itself.
            return dev.rig.stack.StackVerify.untilOk(Options.duration("--verify-timeout", verifyTimeout), code -> code == Main.CHANGES,
                    () -> StackCommands.verify(inventory.request(run.extraVars, stackPlaybooks), ssh, within, logTimeout, run.json, null, null, out));
        } catch (dev.rig.core.InvalidInputException e) {
            // The apply has run by now: say that only the check could not start.
            e.errors().forEach(err -> spec.commandLine().getErr().println("error: verify: " + err));
            spec.commandLine().getErr().println("The apply finished; rig verify could not run.");
            return Main.ERROR;
        }
    }
}

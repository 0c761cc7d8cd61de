package dev.rig.cli;

import dev.rig.load.ExtraVars;
import dev.rig.load.Inputs;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Secrets;
import dev.rig.core.Source;
import dev.rig.plan.HostPlan;
import dev.rig.plan.Plan;
import dev.rig.plan.PlanCodec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rig apply PLAN.json}: refuses the whole plan when an input file changed; then reads every host's
 * state again from the plan's own inputs under the host's lock, refuses each host whose fresh plan differs
 * from the saved one (saying what changed), and applies the others under the same lock — exactly the
 * planned changes.
 */
final class SavedPlanApply {
    private SavedPlanApply() {}

    /** True when the argument is a saved plan rather than a playbook. */
    static boolean isPlanFile(List<Path> args) {
        return args.size() == 1 && args.get(0).toString().endsWith(".json") && Files.isRegularFile(args.get(0));
    }

    static int apply(Path planFile, Options.InventoryOptions cliInventory, Options.RunOptions cliRun, Options.SshOptions ssh,
                     PrintWriter out, PrintWriter err) {
        Plan plan = PlanCodec.read(planFile);
        Plan.Inputs inputs = plan.inputs();
        if (cliInventory.limit != null || !cliRun.tags.isEmpty() || !cliRun.skipTags.isEmpty()) {
            throw new InvalidInputException(new Source(planFile.toString(), 0, 0),
                    "a saved plan carries its own inventory, limit and tags; pass none of -l, -t, --skip-tags with it");
        }
        Options.RunOptions run = cliRun.withTags(inputs.tags(), inputs.skipTags());
        List<Path> playbooks = inputs.playbooks().stream().map(Path::of).toList();
        // The plan's own inputs: its inventory, limit, playbooks and extra vars (secret ones given again with -e);
        // the vault passwords are given again too, for its vars files and an encrypted -e @FILE.
        dev.rig.vault.VaultPasswords vault = cliInventory.vault();
        Inputs.Request request = Inputs.Request.of(Path.of(inputs.inventory()), inputs.limit(),
                List.of(extraVars(planFile, inputs.extraVars(), ExtraVars.parse(cliRun.extraVars, vault))), playbooks)
                .withVault(vault);

        try (Runner r = new Runner(request, run, ssh, out, err)) {
            List<String> changedFiles = plan.changedFiles(r.inputDigests());
            if (!changedFiles.isEmpty()) {
                err.println("error: the plan is stale: its inputs changed since it was made: " + String.join(", ", changedFiles));
                err.println("Nothing was applied. Make a new plan: rig plan --out " + planFile + " …");
                return Main.ERROR;
            }
            Runner.ReviewedApply applied = r.applyReviewed(plan, HostPlan.Reviewed.SAVED, true);
            Map<String, String> refused = applied.verdict().refused();
            refused.forEach((h, why) -> err.println(r.secrets.redact("refused [" + h + "]: " + why)));
            if (applied.result() == null) {
                out.println(refused.isEmpty() ? "Nothing to apply: the plan has no changes." : "Nothing applied: every host with changes was refused.");
                return refused.isEmpty() ? Main.OK : Main.ERROR;
            }
            if (!refused.isEmpty()) err.println(refused.size() + " host(s) refused as stale: " + String.join(", ", refused.keySet()));
            return applied.result().problems() || !refused.isEmpty() ? Main.ERROR : Main.OK;
        }
    }

    /** The plan's extra vars as one JSON map for -e; secret ones must be given again and match their digest. */
    private static String extraVars(Path planFile, Map<String, Object> saved, Map<String, Object> given) {
        Map<String, Object> vars = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        List<String> problems = new ArrayList<>();
        saved.forEach((name, value) -> {
            if (value instanceof Plan.SecretDigest digest) {
                Object again = given.get(name);
                if (again == null) problems.add("secret extra var '" + name + "' is not saved in plans: pass it again with -e");
                else if (!digest.matches(again)) problems.add("secret extra var '" + name + "' differs from the one planned with");
                else vars.put(name, again);
            } else {
                vars.put(name, value);
            }
        });
        for (String k : given.keySet()) {
            if (!vars.containsKey(k) && !Secrets.isSecretName(k)) problems.add("extra var '" + k + "' was not part of the plan");
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems.stream().map(p -> new dev.rig.core.InputError(new Source(planFile.toString(), 0, 0), p)).toList());
        }
        try {
            return json.writeValueAsString(vars);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

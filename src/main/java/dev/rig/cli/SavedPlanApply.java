package dev.rig.cli;

import dev.rig.load.ExtraVars;
import dev.rig.load.Inputs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.apply.Engine;
import dev.rig.apply.HostRecap;
import dev.rig.apply.Mode;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Secrets;
import dev.rig.core.Source;
import dev.rig.report.PlanFile;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code rig apply PLAN.json}: re-reads every host's state from the plan's own inputs, refuses the
 * whole plan when an input file changed, refuses each host whose fresh plan differs from the saved
 * one (saying what changed), and applies the others — exactly the planned changes.
 */
final class SavedPlanApply {
    private SavedPlanApply() {}

    /** True when the argument is a saved plan rather than a playbook. */
    static boolean isPlanFile(List<Path> args) {
        return args.size() == 1 && args.get(0).toString().endsWith(".json") && Files.isRegularFile(args.get(0));
    }

    static int apply(Path planFile, Options.InventoryOptions cliInventory, Options.RunOptions cliRun, Options.SshOptions ssh,
                     PrintWriter out, PrintWriter err) {
        JsonNode plan = PlanFile.read(planFile);
        JsonNode inputs = plan.path("inputs");
        if (cliInventory.limit != null || !cliRun.tags.isEmpty() || !cliRun.skipTags.isEmpty()) {
            throw new InvalidInputException(new Source(planFile.toString(), 0, 0),
                    "a saved plan carries its own inventory, limit and tags; pass none of -l, -t, --skip-tags with it");
        }
        List<String> tags = new ArrayList<>();
        inputs.path("tags").forEach(t -> tags.add(t.asText()));
        List<String> skipTags = new ArrayList<>();
        inputs.path("skip_tags").forEach(t -> skipTags.add(t.asText()));
        Options.RunOptions run = cliRun.withTags(tags, skipTags);
        List<Path> playbooks = new ArrayList<>();
        inputs.path("playbooks").forEach(p -> playbooks.add(Path.of(p.asText())));
        // The plan's own inputs: its inventory, limit, playbooks and extra vars (secret ones given again with -e);
        // the vault passwords are given again too, for its vars files and an encrypted -e @FILE.
        dev.rig.vault.VaultPasswords vault = cliInventory.vault();
        Inputs.Request request = Inputs.Request.of(Path.of(inputs.path("inventory").asText()),
                inputs.path("limit").isTextual() ? inputs.path("limit").asText() : null,
                List.of(extraVars(planFile, inputs.path("extra_vars"), ExtraVars.parse(cliRun.extraVars, vault))), playbooks)
                .withVault(vault);

        try (Runner r = new Runner(request, run, ssh, out, err)) {
            List<String> changedFiles = PlanFile.changedFiles(plan, r.inputDigests());
            if (!changedFiles.isEmpty()) {
                err.println("error: the plan is stale: its inputs changed since it was made: " + String.join(", ", changedFiles));
                err.println("Nothing was applied. Make a new plan: rig plan --out " + planFile + " …");
                return Main.ERROR;
            }
            r.execute(Mode.PLAN, true);
            Map<String, String> refused = new LinkedHashMap<>();
            List<String> allowed = new ArrayList<>();
            Map<String, HostRecap> now = new LinkedHashMap<>();
            r.record().recaps().forEach(rc -> now.put(rc.host(), rc));
            for (JsonNode host : plan.path("hosts")) {
                String name = host.path("host").asText();
                HostRecap current = now.get(name);
                if (current == null) {
                    refused.put(name, "no longer selected by the inventory");
                } else if (current.hasProblem()) {
                    refused.put(name, current.failure() != null ? current.failure() : "failed while re-reading its state");
                } else {
                    String reason = PlanFile.staleReason(host, r.record().tasks(name));
                    if (reason != null) refused.put(name, reason);
                    else if ("changes".equals(host.path("status").asText())) allowed.add(name);
                }
            }
            Secrets secrets = r.secrets;
            refused.forEach((h, why) -> err.println(secrets.redact("refused [" + h + "]: " + why)));
            if (allowed.isEmpty()) {
                out.println(refused.isEmpty() ? "Nothing to apply: the plan has no changes." : "Nothing applied: every host with changes was refused.");
                return refused.isEmpty() ? Main.OK : Main.ERROR;
            }
            Engine.Result result = r.execute(Mode.APPLY, false, e -> { }, String.join(":", allowed));
            if (!refused.isEmpty()) err.println(refused.size() + " host(s) refused as stale: " + String.join(", ", refused.keySet()));
            return result.problems() || !refused.isEmpty() ? Main.ERROR : Main.OK;
        }
    }

    /** The plan's extra vars as one JSON map for -e; secret ones must be given again and match their digest. */
    private static String extraVars(Path planFile, JsonNode saved, Map<String, Object> given) {
        Map<String, Object> vars = new LinkedHashMap<>();
        ObjectMapper json = new ObjectMapper();
        List<String> problems = new ArrayList<>();
        saved.fields().forEachRemaining(e -> {
            if (e.getValue().isObject() && e.getValue().has("sha256")) {
                Object value = given.get(e.getKey());
                if (value == null) problems.add("secret extra var '" + e.getKey() + "' is not saved in plans: pass it again with -e");
                else if (!PlanFile.sameExtraVar(e.getValue(), value)) problems.add("secret extra var '" + e.getKey() + "' differs from the one planned with");
                else vars.put(e.getKey(), value);
            } else {
                vars.put(e.getKey(), json.convertValue(e.getValue(), Object.class));
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

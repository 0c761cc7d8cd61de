package dev.rig.modules;

import dev.rig.facts.Probe;
import dev.rig.playbook.ArgSpec;

import java.util.List;
import java.util.Map;

import static dev.rig.playbook.ArgSpec.ArgType.LIST;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * Fails the task unless every expression in {@code that} is true. The expressions are bare
 * FreeMarker booleans, like {@code when:}; the engine hands them over unrendered.
 */
public final class AssertModule implements Module {
    @Override
    public boolean offline() {
        return true;
    }

    @Override
    public String name() {
        return "assert";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("that", LIST), ArgSpec.optional("fail_msg", STRING), ArgSpec.optional("msg", STRING),
                ArgSpec.optional("success_msg", STRING));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        if (args.containsKey("fail_msg") && args.containsKey("msg")) return List.of("give 'fail_msg' or its alias 'msg', not both");
        return List.of();
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return null;
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        for (String expression : args.list("that")) {
            if (!ctx.templates().test(expression, ctx.source(), ctx.vars())) {
                String message = args.optString("fail_msg").or(() -> args.optString("msg")).orElse("assertion failed: " + expression);
                return Outcome.fail(message).withResult(Map.of("assertion", expression, "evaluated_to", false, "msg", message));
            }
        }
        String message = args.string("success_msg", "all assertions passed");
        return Outcome.ok(message).withResult(Map.of("msg", message));
    }
}

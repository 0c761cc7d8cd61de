package dev.rig.modules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.facts.Probe;
import dev.rig.playbook.ArgSpec;
import dev.rig.template.KnownAfterApplyException;
import dev.rig.template.TemplateError;
import dev.rig.template.UnknownValue;

import java.util.Collections;
import java.util.List;
import java.util.Map;

import static dev.rig.playbook.ArgSpec.ArgType.ANY;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * Prints a message ({@code msg}, already rendered; non-strings as JSON) or a variable's value
 * ({@code var}, an expression such as {@code result.stdout}). Never changes anything.
 */
public final class DebugModule implements Module {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Ansible's words for an undefined {@code var}, which it shows rather than failing. */
    static final String NOT_DEFINED = "VARIABLE IS NOT DEFINED!";

    @Override
    public boolean offline() {
        return true;
    }

    @Override
    public String name() {
        return "debug";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.optional("msg", ANY), ArgSpec.optional("var", STRING));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        if (args.containsKey("msg") && args.containsKey("var")) return List.of("give 'msg' or 'var', not both");
        return List.of();
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return null;
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        if (args.has("var")) {
            String var = args.string("var");
            Map<String, Object> shown = Collections.singletonMap(var, valueOf(var, ctx));
            return Outcome.ok(json(shown)).withResult(shown);
        }
        Object msg = args.values().getOrDefault("msg", "Hello world!");
        return Outcome.ok(msg instanceof String s ? s : json(msg)).withResult(Collections.singletonMap("msg", msg));
    }

    private static Object valueOf(String var, ModuleContext ctx) {
        try {
            Object value = ctx.templates().evaluate(var, ctx.source(), ctx.vars());
            if (value instanceof UnknownValue u) throw new KnownAfterApplyException(u.origin());
            return value;
        } catch (TemplateError e) {
            if (e.problem().startsWith("undefined variable")) return NOT_DEFINED;
            throw e;
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            return String.valueOf(value);
        }
    }
}

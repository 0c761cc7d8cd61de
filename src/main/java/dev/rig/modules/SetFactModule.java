package dev.rig.modules;

import dev.rig.facts.Probe;
import dev.rig.playbook.ArgSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;

/** Sets host variables from its arguments (already rendered). {@code cacheable} is accepted for Ansible's sake and ignored. */
public final class SetFactModule implements Module {
    private static final String CACHEABLE = "cacheable";
    /** Names an expression can refer to; Ansible has the same rule. */
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    @Override
    public boolean offline() {
        return true;
    }

    @Override
    public String name() {
        return "set_fact";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.optional(CACHEABLE, BOOL));
    }

    @Override
    public boolean acceptsAnyArgs() {
        return true;
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        Map<String, Object> facts = facts(args);
        if (facts.isEmpty()) return List.of("give at least one variable to set");
        return facts.keySet().stream().filter(name -> !VARIABLE_NAME.matcher(name).matches())
                .map(name -> "'" + name + "' is not a valid variable name (letters, digits and _, not starting with a digit)")
                .toList();
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return null;
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        Map<String, Object> facts = facts(args.values());
        return Outcome.ok("set " + String.join(", ", facts.keySet())).withFacts(facts);
    }

    private static Map<String, Object> facts(Map<String, Object> args) {
        Map<String, Object> facts = new LinkedHashMap<>(args);
        facts.remove(CACHEABLE);
        return facts;
    }
}

package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.Probe;
import dev.rig.playbook.ArgSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.rig.playbook.ArgSpec.ArgType.LIST;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * Runs a program without a shell: the free-form string is split like Python's shlex (as Ansible
 * does) and every word is quoted again, so {@code $HOME}, {@code ;} or {@code |} reach the program
 * literally. Or {@code argv} gives the words directly.
 */
public final class CommandModule implements Module {
    @Override
    public String name() {
        return "command";
    }

    @Override
    public String freeFormArg() {
        return "cmd";
    }

    @Override
    public List<ArgSpec> args() {
        List<ArgSpec> args = new ArrayList<>(List.of(ArgSpec.optional("cmd", STRING), ArgSpec.optional("argv", LIST)));
        args.addAll(CommandRun.sharedArgs());
        return args;
    }

    /** Ansible 2.14's command still accepts executable but ignores it with a warning (since 2.4); rig never ignores an argument. */
    @Override
    public String refusedArgument(String name) {
        return name.equals("executable") ? "Ansible's command ignores it since 2.4 (a shell is never used); use the shell module's executable" : null;
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        if (args.containsKey("cmd") == args.containsKey("argv")) return List.of("give exactly one of 'cmd' (or a free-form command) or 'argv'");
        return List.of();
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return CommandRun.probe(args);
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        List<String> argv = args.has("argv") ? args.list("argv") : Shlex.split(args.string("cmd"));
        if (argv.isEmpty()) return Outcome.fail("no command given");
        String quoted = Shell.join(argv);
        return CommandRun.plan(args, probeOutput, "exec " + quoted, argv, quoted, ctx.noLog());
    }
}

package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.Probe;
import dev.rig.playbook.ArgSpec;

import java.util.ArrayList;
import java.util.List;

import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * Runs a string as a shell script, as written: pipes, redirections and variables work. By default
 * the host's {@code sh} runs it; {@code executable} (e.g. /bin/bash) runs it with {@code -c} instead.
 */
public final class ShellModule implements Module {
    @Override
    public String name() {
        return "shell";
    }

    @Override
    public String freeFormArg() {
        return "cmd";
    }

    @Override
    public List<ArgSpec> args() {
        List<ArgSpec> args = new ArrayList<>(List.of(ArgSpec.required("cmd", STRING), ArgSpec.optional("executable", STRING)));
        args.addAll(CommandRun.sharedArgs());
        return args;
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return CommandRun.probe(args);
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        String cmd = args.string("cmd");
        if (cmd.isBlank()) return Outcome.fail("no command given");
        String script = args.optString("executable").map(exe -> "exec " + Shell.join(exe, "-c", cmd)).orElse(cmd);
        return CommandRun.plan(args, probeOutput, script, cmd, cmd, ctx.noLog());
    }
}

package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.Presence;
import dev.rig.facts.Probe;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.HostCommand;
import dev.rig.playbook.ArgSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.rig.playbook.ArgSpec.ArgType.INT;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * Waits, on the host, until a TCP port is listening (or no longer is) or a path exists (or no
 * longer does). The probe checks once; only when the condition is not yet met does the change
 * run a bounded polling loop, which fails with "timed out" after {@code timeout} seconds.
 * {@code port} means a listening socket on the host itself, read from /proc/net/tcp{,6};
 * {@code host} is only reported, never connected to.
 */
public final class WaitForModule implements Module {
    private static final List<String> STATES = List.of("started", "stopped", "present", "absent");

    @Override
    public String name() {
        return "wait_for";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.optional("port", INT), ArgSpec.optional("host", STRING), ArgSpec.optional("path", STRING),
                ArgSpec.choice("state", false, STATES.toArray(String[]::new)),
                ArgSpec.optional("timeout", INT), ArgSpec.optional("delay", INT), ArgSpec.optional("sleep", INT));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        if (args.containsKey("port") == args.containsKey("path")) return List.of("give exactly one of 'port' or 'path'");
        return List.of();
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return Presence.of(Target.from(args).test()).probe();
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        Target target = Target.from(args);
        String state = args.string("state", "started");
        if (!STATES.contains(state)) return Outcome.fail("unknown state '" + state + "'");
        boolean wantPresent = state.equals("started") || state.equals("present");
        long timeout = atLeast(args, "timeout", 300, 0);
        long delay = atLeast(args, "delay", 0, 0);
        long sleep = atLeast(args, "sleep", 1, 1);
        Map<String, Object> result = new LinkedHashMap<>(target.result());
        result.put("state", state);
        String wanted = wantPresent ? target.presentWord() : target.absentWord();
        if (Presence.of(target.test()).parse(probeOutput).present() == wantPresent) return Outcome.ok(target.what() + " is " + wanted).withResult(result);

        String goal = target.what() + " to be " + wanted;
        String timedOut = "timed out after " + timeout + " s waiting for " + goal;
        String script = "present() { " + target.test() + "; }\n"
                + "end=$(( $(date +%s) + " + timeout + " ))\n" // the delay counts against the timeout, as in Ansible
                + (delay > 0 ? "sleep " + delay + "\n" : "")
                + (wantPresent ? "until present" : "while present") + "; do\n"
                + "  [ \"$(date +%s)\" -lt \"$end\" ] || { echo " + Shell.quote(timedOut) + " >&2; exit 1; }\n"
                + "  sleep " + sleep + "\n"
                + "done\n";
        String description = "wait up to " + timeout + " s for " + goal;
        // Not RUN: the condition is state (a port, a path), so an unmet one is drift.
        return Outcome.of(Change.of(Action.UPDATE, List.of(HostCommand.of(script, description)), List.of(), description)).withResult(result);
    }

    private static long atLeast(Args args, String name, long fallback, long min) {
        long value = args.integer(name, fallback);
        if (value < min) throw new Args.ArgumentException("argument '" + name + "' must be at least " + min + ", not " + value);
        return value;
    }

    /** What is waited for, and the shell test that is true while it is present. */
    private record Target(String what, String test, String presentWord, String absentWord, Map<String, Object> result) {
        static Target from(Args args) {
            if (args.has("path")) {
                String path = args.string("path");
                return new Target(path, Presence.pathExists(path), "present", "absent", Map.of("path", path));
            }
            long port = args.integer("port", 0);
            if (port < 1 || port > 65535) throw new Args.ArgumentException("argument 'port' must be between 1 and 65535, not " + port);
            String host = args.string("host", "127.0.0.1");
            return new Target("port " + port + " on " + host, Presence.listening((int) port), "listening", "closed",
                    Map.of("port", port, "host", host));
        }
    }
}

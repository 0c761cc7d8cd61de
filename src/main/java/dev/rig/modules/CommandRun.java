package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.Probe;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.HostCommand;
import dev.rig.playbook.ArgSpec;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * What command and shell share: the {@code creates}/{@code removes} guards (answered by one
 * probe), {@code chdir}, {@code stdin}, and the change itself — always {@link Action#RUN}, since a
 * command has no state to compare; it is "changed" whenever it runs, as in Ansible.
 */
final class CommandRun {
    private static final String CREATES = "creates";
    private static final String REMOVES = "removes";

    private CommandRun() {}

    static List<ArgSpec> sharedArgs() {
        return List.of(ArgSpec.optional(CREATES, STRING), ArgSpec.optional(REMOVES, STRING), ArgSpec.optional("chdir", STRING),
                ArgSpec.optional("stdin", STRING), ArgSpec.optional("stdin_add_newline", BOOL), ArgSpec.optional("strip_empty_ends", BOOL));
    }

    /** Prints "creates=yes|no" and/or "removes=yes|no" (does the path exist); null without guards. */
    static Probe probe(Args args) {
        StringBuilder s = new StringBuilder();
        java.util.Set<String> reads = new java.util.LinkedHashSet<>();
        for (String guard : List.of(CREATES, REMOVES)) {
            guardPath(args, guard).ifPresent(path -> {
                s.append("if [ -e ").append(Shell.quote(path)).append(" ]; then echo ")
                        .append(guard).append("=yes; else echo ").append(guard).append("=no; fi\n");
                reads.add(path);
            });
        }
        // reads the guard paths only (a relative one, under chdir, counts as unknown); no exit, no variables: inline
        return s.isEmpty() ? null : new Probe(s.toString(), reads, true);
    }

    /**
     * The outcome of running {@code script} (POSIX sh) unless a guard says its work is done.
     * {@code cmd} is what register shows as {@code cmd}; {@code shown} is the command for people.
     */
    static Outcome plan(Args args, String probeOutput, String script, Object cmd, String shown, boolean noLog) {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("cmd", cmd);
        result.put("strip_empty_ends", args.bool("strip_empty_ends", true));
        Optional<String> skipped = skipReason(args, probeOutput);
        if (skipped.isPresent()) {
            // Ansible reports a guarded command as rc 0 with this stdout, so `register` users see the same
            result.putAll(Map.of("rc", 0, "stdout", skipped.get(), "stderr", ""));
            return Outcome.ok(skipped.get()).withResult(result);
        }
        Optional<String> dir = args.optString("chdir");
        String fullScript = dir.map(d -> "cd " + Shell.quote(d) + " || exit 1\n").orElse("") + script;
        String description = "run " + (noLog ? "a command (hidden by no_log)" : shown) + dir.map(d -> " in " + d).orElse("");
        HostCommand command = HostCommand.withInput(fullScript, stdin(args), description);
        // A guard makes the command converge a path (created or removed); without one it has no state to compare.
        Action action = args.has("creates") ? Action.CREATE : args.has("removes") ? Action.DELETE : Action.RUN;
        return Outcome.of(Change.of(action, List.of(command), List.of(), description)).withResult(result);
    }

    /** Ansible's guards: skip when {@code creates} exists or {@code removes} does not. */
    private static Optional<String> skipReason(Args args, String probeOutput) {
        if (probeOutput == null) return Optional.empty();
        Optional<String> creates = guardPath(args, CREATES);
        if (creates.isPresent() && exists(probeOutput, CREATES)) return Optional.of("skipped, since " + creates.get() + " exists");
        Optional<String> removes = guardPath(args, REMOVES);
        if (removes.isPresent() && !exists(probeOutput, REMOVES)) return Optional.of("skipped, since " + removes.get() + " does not exist");
        return Optional.empty();
    }

    private static boolean exists(String probeOutput, String guard) {
        for (String line : probeOutput.split("\n")) {
            if (line.strip().equals(guard + "=yes")) return true;
            if (line.strip().equals(guard + "=no")) return false;
        }
        throw new IllegalStateException("unexpected probe output for '" + guard + "': " + probeOutput.strip());
    }

    /** A relative guard path is relative to chdir, as the command would see it. */
    private static Optional<String> guardPath(Args args, String guard) {
        Optional<String> dir = args.optString("chdir");
        return args.optString(guard).map(p -> p.startsWith("/") || dir.isEmpty() ? p : dir.get().replaceAll("/+$", "") + "/" + p);
    }

    /** Ansible adds a newline to stdin unless told not to. */
    private static byte[] stdin(Args args) {
        return args.optString("stdin")
                .map(s -> args.bool("stdin_add_newline", true) ? s + "\n" : s)
                .map(s -> s.getBytes(StandardCharsets.UTF_8))
                .orElse(null);
    }
}

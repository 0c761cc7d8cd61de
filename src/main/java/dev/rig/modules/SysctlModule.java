package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.KernelParameter;
import dev.rig.facts.PathFact;
import dev.rig.facts.Probe;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;
import dev.rig.playbook.ArgSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * A kernel parameter in a sysctl file (ansible.posix.sysctl's rules: {@code key=value} lines, an
 * existing line for the key replaced in place, {@code state: absent} removes it) and its live value.
 * The probe reads the file and {@code sysctl -n KEY}; a changed file is written atomically and, with
 * {@code reload} (the default), loaded with {@code sysctl -p FILE}; a live value that differs from the
 * wanted one while the file is right is set with {@code sysctl -w} — so drift of the live value
 * converges too (Ansible only sets it with {@code sysctl_set}).
 */
public final class SysctlModule implements Module {
    private static final String FILE = "file";
    private static final String LIVE = "live";

    @Override
    public String name() {
        return "sysctl";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("name", STRING).alias("key"), ArgSpec.optional("value", STRING).alias("val"),
                ArgSpec.choice("state", false, "present", "absent"), ArgSpec.optional("ignoreerrors", BOOL), ArgSpec.optional("reload", BOOL),
                ArgSpec.optional("sysctl_file", STRING), ArgSpec.optional("sysctl_set", BOOL));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        if (!"absent".equals(args.get("state")) && !args.containsKey("value")) return List.of("state 'present' needs 'value'");
        return List.of();
    }

    private static String key(Args args) {
        String key = args.string("name").strip();
        if (!key.matches("[A-Za-z0-9_.*/-]+")) throw new Args.ArgumentException("'" + key + "' is not a sysctl key");
        return key;
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return new ProbeParts()
                .add(FILE, PathFact.probe(args.string("sysctl_file", "/etc/sysctl.conf"), PathFact.Want.content(LineinfileModule.MAX_BYTES)))
                .add(LIVE, KernelParameter.of(key(args)).probe())
                .probe();
    }

    /** Values compare as whitespace-separated words ("4096\t87380" is "4096 87380"). */
    static String normalized(String value) {
        return String.join(" ", value.strip().split("\\s+"));
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        String key = key(args);
        String file = args.string("sysctl_file", "/etc/sysctl.conf");
        boolean present = args.string("state", "present").equals("present");
        Map<String, String> parts = ProbeParts.parse(probeOutput);
        PathFact.State cur = PathFact.parse(ProbeParts.part(parts, FILE));
        if (cur.exists() && !cur.isFile()) return Outcome.fail(file + " is a " + cur.kind() + ", not a file");
        String text = cur.exists() ? FileContent.text(cur.content() == null ? new byte[0] : cur.content()) : "";
        if (text == null) return Outcome.fail(file + " is not a text file");
        KernelParameter parameter = KernelParameter.of(key).parse(ProbeParts.part(parts, LIVE));
        String live = parameter.value().orElse(null);
        if (live == null && present && !args.bool("ignoreerrors", false)) {
            return Outcome.fail("the kernel has no parameter " + key + ": " + parameter.error());
        }
        String wanted = present ? normalized(args.string("value")) : null;

        List<String> lines = new ArrayList<>(LineinfileModule.splitLines(text));
        boolean found = false;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i).strip();
            if (l.startsWith("#") || l.startsWith(";") || !l.contains("=")) continue;
            String k = l.substring(0, l.indexOf('=')).strip().replace('/', '.');
            if (!k.equals(key.replace('/', '.'))) continue;
            if (present && !found) {
                lines.set(i, key + "=" + wanted + "\n");
                found = true;
            } else {
                lines.remove(i--);
            }
        }
        if (present && !found) {
            if (!lines.isEmpty() && !lines.get(lines.size() - 1).endsWith("\n")) lines.set(lines.size() - 1, lines.get(lines.size() - 1) + "\n");
            lines.add(key + "=" + wanted + "\n");
        }
        String edited = String.join("", lines);
        List<HostCommand> cmds = new ArrayList<>();
        List<Diff> diffs = new ArrayList<>();
        boolean fileChanges = !edited.equals(text) || (!cur.exists() && present);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("name", key);
        if (fileChanges) {
            Outcome write = FileContent.converge(file, edited.getBytes(StandardCharsets.UTF_8), new FileAttributes(java.util.Optional.empty(),
                    java.util.Optional.empty(), java.util.Optional.empty()), cur, ctx.noLog());
            if (write.failed()) return write;
            cmds.addAll(write.change().commands());
            diffs.addAll(write.change().diffs());
        }
        boolean liveDiffers = present && live != null && !normalized(live).equals(wanted);
        boolean reload = args.bool("reload", true);
        if (fileChanges && reload) {
            cmds.add(HostCommand.of("sysctl -p " + Shell.quote(file) + (args.bool("ignoreerrors", false) ? " -e" : "") + " >/dev/null", "sysctl -p " + file));
        } else if (liveDiffers && (reload || args.bool("sysctl_set", false))) {
            cmds.add(HostCommand.of(Shell.join("sysctl", "-w", key + "=" + wanted) + " >/dev/null", "sysctl -w " + key + "=" + wanted));
        }
        if (liveDiffers && (reload || args.bool("sysctl_set", false))) diffs.add(Diff.attributes(key, Map.of("live", normalized(live)), Map.of("live", wanted)));
        if (cmds.isEmpty()) return Outcome.ok(key + (present ? " = " + wanted : " absent from " + file)).withResult(result);
        Action action = fileChanges ? (cur.exists() ? Action.UPDATE : Action.CREATE) : Action.UPDATE;
        String summary = (present ? "set " + key + "=" + wanted : "remove " + key) + (fileChanges ? " in " + file : " (live value was " + normalized(live) + ")");
        return Outcome.of(Change.of(action, cmds, diffs, summary)).withResult(result);
    }
}

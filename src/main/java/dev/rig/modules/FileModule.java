package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.PathFact;
import dev.rig.facts.Probe;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;
import dev.rig.playbook.ArgSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.rig.playbook.ArgSpec.ArgType.MODE;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/** Directories, empty files, symlinks, absence; mode, owner and group. */
public final class FileModule implements Module {
    @Override
    public String name() {
        return "file";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("path", STRING),
                ArgSpec.choice("state", false, "file", "directory", "absent", "touch", "link"),
                ArgSpec.optional("src", STRING), ArgSpec.optional("mode", MODE),
                ArgSpec.optional("owner", STRING), ArgSpec.optional("group", STRING));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        if ("link".equals(args.get("state")) && !args.containsKey("src")) return List.of("state 'link' requires 'src' (the link target)");
        return List.of();
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return PathFact.probe(args.string("path"), PathFact.Want.METADATA);
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        String path = args.string("path");
        String state = args.string("state", "file");
        PathFact.State cur = PathFact.parse(probeOutput);
        FileAttributes attrs = FileAttributes.from(args);
        Map<String, String> before = new LinkedHashMap<>();
        Map<String, String> after = new LinkedHashMap<>();
        List<HostCommand> cmds = new ArrayList<>();
        Action action = Action.UPDATE;
        switch (state) {
            case "absent" -> {
                if (!cur.exists()) return Outcome.ok(path + " is absent");
                before.put("state", cur.kind());
                after.put("state", "absent");
                cmds.add(HostCommand.of(Shell.join("rm", "-rf", "--", path), "remove " + path));
                action = Action.DELETE;
            }
            case "directory" -> {
                if (!cur.exists()) {
                    before.put("state", "absent");
                    after.put("state", "directory");
                    attrs.describeNew(after);
                    cmds.add(HostCommand.of(Shell.join("mkdir", "-p", "--", path), "mkdir " + path));
                    cmds.addAll(attrs.apply(path));
                    action = Action.CREATE;
                } else if (!cur.isDirectory()) {
                    return Outcome.fail(path + " exists and is a " + cur.kind() + ", not a directory");
                } else {
                    cmds.addAll(attrs.fix(path, cur, before, after));
                }
            }
            case "file" -> {
                if (!cur.exists()) return Outcome.fail(path + " does not exist (use state: touch to create an empty file)");
                if (!cur.isFile()) return Outcome.fail(path + " exists and is a " + cur.kind() + ", not a file");
                cmds.addAll(attrs.fix(path, cur, before, after));
            }
            case "touch" -> {
                if (!cur.exists()) {
                    before.put("state", "absent");
                    after.put("state", "file");
                    attrs.describeNew(after);
                    cmds.add(HostCommand.of(Shell.join("touch", "--", path), "touch " + path));
                    cmds.addAll(attrs.apply(path));
                    action = Action.CREATE;
                } else {
                    cmds.addAll(attrs.fix(path, cur, before, after));
                }
            }
            case "link" -> {
                String target = args.string("src");
                if (cur.isDirectory()) return Outcome.fail(path + " is a directory; refusing to replace it with a link");
                if (!cur.isLink() || !target.equals(cur.target())) {
                    before.put("state", cur.kind());
                    if (cur.isLink()) before.put("target", cur.target());
                    after.put("state", "link");
                    after.put("target", target);
                    cmds.add(HostCommand.of(Shell.join("ln", "-sfn", "--", target, path), "link " + path + " -> " + target));
                    action = cur.exists() ? Action.UPDATE : Action.CREATE;
                    FileAttributes ownership = new FileAttributes(java.util.Optional.empty(), attrs.owner(), attrs.group());
                    cmds.addAll(ownership.apply(path));
                } else {
                    FileAttributes ownership = new FileAttributes(java.util.Optional.empty(), attrs.owner(), attrs.group());
                    cmds.addAll(ownership.fix(path, cur, before, after));
                }
            }
            default -> {
                return Outcome.fail("unknown state '" + state + "'");
            }
        }
        if (cmds.isEmpty()) return Outcome.ok(path + " is as wanted").withResult(Map.of("path", path, "state", cur.kind()));
        return Outcome.of(Change.of(action, cmds, List.of(Diff.attributes(path, before, after)), summary(action, path)))
                .withResult(Map.of("path", path, "state", state));
    }

    static String summary(Action action, String path) {
        return switch (action) {
            case CREATE -> "create " + path;
            case DELETE -> "remove " + path;
            default -> "update " + path;
        };
    }
}

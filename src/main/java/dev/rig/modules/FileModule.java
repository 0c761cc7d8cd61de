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

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
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
                ArgSpec.optional("owner", STRING), ArgSpec.optional("group", STRING), ArgSpec.optional("recurse", BOOL),
                ArgSpec.optional("force", BOOL), ArgSpec.choice("access_time", false, "preserve", "now"),
                ArgSpec.choice("modification_time", false, "preserve", "now"));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        if ("link".equals(args.get("state")) && !args.containsKey("src")) return List.of("state 'link' requires 'src' (the link target)");
        if (Boolean.TRUE.equals(args.get("recurse")) && !"directory".equals(args.get("state"))) return List.of("recurse needs state 'directory'");
        return List.of();
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        Probe path = PathFact.probe(args.string("path"), PathFact.Want.METADATA);
        if (!args.bool("recurse", false)) return path;
        // recurse: one find says whether anything below differs in mode, owner or group (it stops at the first).
        FileAttributes attrs = FileAttributes.from(args);
        List<String> tests = new ArrayList<>();
        attrs.mode().ifPresent(m -> tests.add("! -perm " + m));
        attrs.owner().ifPresent(o -> tests.add("! -user " + Shell.quote(o)));
        attrs.group().ifPresent(g -> tests.add("! -group " + Shell.quote(g)));
        String tree = tests.isEmpty() ? "true" : "[ -d " + Shell.quote(args.string("path")) + " ] && find " + Shell.quote(args.string("path"))
                + " -mindepth 1 ! -type l \\( " + String.join(" -o ", tests) + " \\) -print -quit | sed 's/^/differs=/'; true";
        return new ProbeParts().add("path", path).add("tree", tree).probe();
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        String path = args.string("path");
        String state = args.string("state", "file");
        boolean recurse = args.bool("recurse", false);
        Map<String, String> parts = recurse ? ProbeParts.parse(probeOutput) : Map.of();
        PathFact.State cur = PathFact.parse(recurse ? ProbeParts.part(parts, "path") : probeOutput);
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
                String below = recurse ? ProbeParts.part(parts, "tree").lines().filter(l -> l.startsWith("differs=")).findFirst().orElse(null) : null;
                if (below != null || (recurse && action == Action.CREATE)) {
                    // As Ansible: the same mode, owner and group on everything below, links excepted.
                    cmds.removeIf(c -> c.description().startsWith("chmod ") || c.description().startsWith("chown "));
                    attrs.mode().ifPresent(m -> cmds.add(HostCommand.of("find " + Shell.quote(path) + " ! -type l -exec chmod " + m + " {} +",
                            "chmod -R " + m + " " + path)));
                    String spec = attrs.owner().orElse("") + attrs.group().map(g -> ":" + g).orElse("");
                    if (!spec.isEmpty()) cmds.add(HostCommand.of(Shell.join("chown", "-R", "-h", spec, "--", path), "chown -R " + spec + " " + path));
                    if (below != null) {
                        before.put("below", below.substring(8) + " (and maybe more)");
                        after.put("below", "as " + path);
                    }
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
                if (cur.isFile() && !args.bool("force", false)) {
                    return Outcome.fail("refusing to convert from file to symlink for " + path + " (force: true replaces the file)");
                }
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
        // modification_time/access_time "now" touch the path on every run, as in Ansible; "preserve" (the default) leaves them.
        boolean mtimeNow = "now".equals(args.string("modification_time", "preserve"));
        boolean atimeNow = "now".equals(args.string("access_time", "preserve"));
        if ((mtimeNow || atimeNow) && !state.equals("absent")) {
            String flags = mtimeNow && atimeNow ? "" : mtimeNow ? "-m " : "-a ";
            cmds.add(HostCommand.of("touch " + flags + (state.equals("link") ? "-h " : "") + "-- " + Shell.quote(path), "touch " + flags + path));
            after.put("times", "now");
        }
        if (cmds.isEmpty()) return Outcome.ok(path + " is as wanted").withResult(Map.of("path", path, "state", cur.kind()));
        Change change = Change.of(action, cmds, List.of(Diff.attributes(path, before, after)), summary(action, path));
        // chmod and touch follow a link to wherever it points: only on a path that is not one do they touch that path alone
        // (rm -rf, ln -sfn and chown -h act on the link itself); removing, linking and recursing change what is below too.
        boolean followsLink = cur.isLink() && !state.equals("link") && !state.equals("absent");
        boolean tree = state.equals("absent") || state.equals("link") || recurse;
        return Outcome.of(followsLink ? change : tree ? change.touchingTrees(java.util.Set.of(path)) : change.touching(java.util.Set.of(path)))
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

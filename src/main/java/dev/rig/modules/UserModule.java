package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.Probe;
import dev.rig.facts.UserAccount;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;
import dev.rig.playbook.ArgSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
import static dev.rig.playbook.ArgSpec.ArgType.LIST;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * A local account and its supplementary groups (e.g. a deploy user in the docker group), through
 * useradd/usermod/userdel. As in Ansible, {@code groups} sets the exact list unless {@code append}
 * is true, when it only adds. A group that does not exist yet (one a package installs earlier in the
 * same run) is not an error in a plan; usermod reports it at apply if it is still missing.
 */
public final class UserModule implements Module {
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_.-]*\\$?");

    @Override
    public String name() {
        return "user";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("name", STRING), ArgSpec.choice("state", false, "present", "absent"),
                ArgSpec.optional("groups", LIST), ArgSpec.optional("append", BOOL), ArgSpec.optional("shell", STRING),
                ArgSpec.optional("home", STRING), ArgSpec.optional("system", BOOL), ArgSpec.optional("create_home", BOOL));
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return UserAccount.of(checkedName(args.string("name"))).probe();
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        String user = checkedName(args.string("name"));
        UserAccount account = UserAccount.of(user).parse(probeOutput);
        boolean exists = account.exists();
        List<String> groups = args.list("groups");
        groups.forEach(UserModule::checkedName);
        Map<String, String> before = new LinkedHashMap<>();
        Map<String, String> after = new LinkedHashMap<>();
        List<HostCommand> cmds = new ArrayList<>();
        Action action;
        if (args.string("state", "present").equals("absent")) {
            if (!exists) return Outcome.ok("user " + user + " is absent");
            cmds.add(HostCommand.of(Shell.join("userdel", user), "userdel " + user));
            before.put("state", "present");
            after.put("state", "absent");
            action = Action.DELETE;
        } else if (!exists) {
            List<String> argv = new ArrayList<>(List.of("useradd"));
            argv.add(args.bool("create_home", true) ? "--create-home" : "--no-create-home");
            if (args.bool("system", false)) argv.add("--system");
            args.optString("shell").ifPresent(s -> argv.addAll(List.of("--shell", s)));
            args.optString("home").ifPresent(h -> argv.addAll(List.of("--home-dir", h)));
            if (!groups.isEmpty()) argv.addAll(List.of("--groups", String.join(",", groups)));
            argv.add(user);
            cmds.add(HostCommand.of(Shell.join(argv), "useradd " + user));
            before.put("state", "absent");
            after.put("state", "present");
            if (!groups.isEmpty()) after.put("groups", String.join(",", groups));
            action = Action.CREATE;
        } else {
            action = Action.UPDATE;
            String shell = account.shell();
            args.optString("shell").filter(s -> !s.equals(shell)).ifPresent(s -> {
                cmds.add(HostCommand.of(Shell.join("usermod", "--shell", s, user), "set the shell of " + user + " to " + s));
                before.put("shell", shell);
                after.put("shell", s);
            });
            if (args.has("groups")) {
                Set<String> current = account.groups();
                boolean append = args.bool("append", false);
                Set<String> missing = new LinkedHashSet<>(groups);
                missing.removeAll(current);
                Set<String> wanted = new TreeSet<>(groups);
                if (append && !missing.isEmpty()) {
                    cmds.add(HostCommand.of(Shell.join("usermod", "--append", "--groups", String.join(",", missing), user),
                            "add " + user + " to " + String.join(", ", missing)));
                    wanted.addAll(current);
                } else if (!append && !wanted.equals(current)) {
                    cmds.add(HostCommand.of(Shell.join("usermod", "--groups", String.join(",", wanted), user),
                            "set the groups of " + user + " to " + String.join(", ", wanted)));
                }
                if (!wanted.equals(current)) {
                    before.put("groups", String.join(",", current));
                    after.put("groups", String.join(",", wanted));
                }
            }
        }
        if (cmds.isEmpty()) return Outcome.ok("user " + user + " is as wanted").withResult(Map.of("name", user));
        String summary = cmds.stream().map(HostCommand::description).reduce((a, b) -> a + "; " + b).orElse("");
        return Outcome.of(Change.of(action, cmds, List.of(Diff.attributes("user " + user, before, after)), summary))
                .withResult(Map.of("name", user));
    }

    private static String checkedName(String name) {
        if (!NAME.matcher(name).matches()) throw new Args.ArgumentException("'" + name + "' is not a valid user or group name");
        return name;
    }
}

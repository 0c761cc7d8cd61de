package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.GitCheckout;
import dev.rig.facts.GitRemoteRefs;
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
import static dev.rig.playbook.ArgSpec.ArgType.INT;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * A checkout on the host at a version (branch, tag or commit; default the remote's HEAD), as Ansible's
 * git: the probe reads the checkout's commit, its remote URL and local modifications, and resolves
 * the version on the remote with {@code git ls-remote} (read-only), so a plan says which commit it
 * will move to and a checkout already there is "ok". Missing: cloned; behind: fetched and checked
 * out (a branch reset to the remote's); local modifications fail unless {@code force}.
 */
public final class GitModule implements Module {
    private static final String LOCAL = "local";
    private static final String REMOTE = "remote";

    @Override
    public String name() {
        return "git";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("repo", STRING).alias("name"), ArgSpec.required("dest", STRING), ArgSpec.optional("version", STRING),
                ArgSpec.optional("update", BOOL), ArgSpec.optional("force", BOOL), ArgSpec.optional("depth", INT), ArgSpec.optional("remote", STRING),
                ArgSpec.optional("accept_hostkey", BOOL), ArgSpec.optional("key_file", STRING), ArgSpec.optional("single_branch", BOOL),
                ArgSpec.optional("clone", BOOL));
    }

    private static String env(Args args) {
        List<String> ssh = new ArrayList<>();
        if (args.bool("accept_hostkey", false)) ssh.add("-o StrictHostKeyChecking=accept-new");
        args.optString("key_file").ifPresent(k -> ssh.add("-i " + Shell.quote(k) + " -o IdentitiesOnly=yes"));
        return "command -v git >/dev/null 2>&1 || { echo 'this host has no git: the git module needs it' >&2; exit 3; }\n"
                + (ssh.isEmpty() ? "" : "export GIT_SSH_COMMAND=" + Shell.quote("ssh " + String.join(" ", ssh)) + "\n");
    }

    private static boolean isCommit(String version) {
        return version.matches("[0-9a-f]{40}");
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        String version = args.string("version", "HEAD");
        ProbeParts parts = new ProbeParts();
        parts.add(LOCAL, GitCheckout.of(args.string("dest"), args.string("remote", "origin"), env(args)).probe());
        if (!isCommit(version)) parts.add(REMOTE, GitRemoteRefs.of(args.string("repo"), version, env(args)).probe());
        return parts.probe();
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        String repo = args.string("repo");
        String dest = args.string("dest");
        String version = args.string("version", "HEAD");
        String remoteName = args.string("remote", "origin");
        Map<String, String> parts = ProbeParts.parse(probeOutput);
        GitCheckout local = GitCheckout.of(dest, remoteName, env(args)).parse(ProbeParts.part(parts, LOCAL));
        String target;
        boolean branch = false;
        if (isCommit(version)) {
            target = version;
        } else {
            GitRemoteRefs refs = GitRemoteRefs.of(repo, version, env(args)).parse(ProbeParts.part(parts, REMOTE));
            target = refs.commit(version).orElse(null);
            branch = refs.isBranch(version);
            if (target == null) return Outcome.fail("version '" + version + "' is neither a branch nor a tag of " + repo);
        }
        String head = local.head().orElse(null);
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("before", head);
        result.put("after", target);
        if (local.state() == GitCheckout.State.OCCUPIED) return Outcome.fail("destination path '" + dest + "' already exists and is not an empty directory nor a git checkout");
        List<HostCommand> cmds = new ArrayList<>();
        String d = Shell.quote(dest);
        String e = env(args);
        if (head == null) {
            if (!args.bool("clone", true)) return Outcome.ok(dest + " is not a checkout and clone is false").withResult(result);
            List<String> clone = new ArrayList<>(List.of("git", "clone", "--origin", remoteName));
            if (args.has("depth")) clone.addAll(List.of("--depth", String.valueOf(args.integer("depth", 1))));
            if (args.bool("single_branch", false)) clone.add("--single-branch");
            if (!version.equals("HEAD") && !isCommit(version)) clone.addAll(List.of("--branch", version));
            clone.addAll(List.of("--", repo, dest));
            String script = e + "set -e\n" + Shell.join(clone) + "\n" + (isCommit(version) ? "git -C " + d + " checkout --quiet --detach " + target + "\n" : "");
            cmds.add(HostCommand.of(script, "git clone " + repo + " " + dest + " (" + version + " = " + target.substring(0, 12) + ")"));
            return Outcome.of(Change.of(Action.CREATE, cmds, List.of(Diff.attributes(dest, Map.of("commit", "absent"), Map.of("commit", target))),
                    "clone " + repo + " into " + dest + " at " + version)).withResult(result);
        }
        boolean urlChanged = !repo.equals(local.url().orElse(null));
        if (head.equals(target) && !urlChanged) return Outcome.ok(dest + " is at " + version + " (" + target.substring(0, 12) + ")").withResult(result);
        if (!args.bool("update", true)) return Outcome.ok(dest + " is at " + head.substring(0, 12) + "; update is false").withResult(result);
        if (local.modified() && !args.bool("force", false)) {
            return Outcome.fail("local modifications exist in the checkout " + dest + " (force: true discards them)");
        }
        StringBuilder s = new StringBuilder(e).append("set -e\n");
        if (urlChanged) s.append("git -C ").append(d).append(" remote set-url ").append(Shell.quote(remoteName)).append(' ').append(Shell.quote(repo)).append('\n');
        s.append("git -C ").append(d).append(" fetch --quiet --tags ").append(args.has("depth") ? "--depth " + args.integer("depth", 1) + " " : "")
                .append(Shell.quote(remoteName)).append(' ').append(Shell.quote(branch ? "+refs/heads/" + version + ":refs/remotes/" + remoteName + "/" + version : target.equals(head) ? "HEAD" : target)).append('\n');
        if (branch) {
            s.append("git -C ").append(d).append(" checkout --quiet --force -B ").append(Shell.quote(version)).append(' ').append(target).append('\n');
        } else {
            s.append("git -C ").append(d).append(" checkout --quiet --force --detach ").append(target).append('\n');
        }
        cmds.add(HostCommand.of(s.toString(), "update " + dest + " to " + version + " (" + target.substring(0, 12) + ")"));
        Map<String, String> before = new LinkedHashMap<>(Map.of("commit", head));
        Map<String, String> after = new LinkedHashMap<>(Map.of("commit", target));
        if (urlChanged) {
            before.put("remote", String.valueOf(local.url().orElse(null)));
            after.put("remote", repo);
        }
        return Outcome.of(Change.of(Action.UPDATE, cmds, List.of(Diff.attributes(dest, before, after)), "update " + dest + " to " + version)).withResult(result);
    }
}

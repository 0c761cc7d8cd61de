package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.ComposeProjectState;
import dev.rig.facts.ComposeProjectState.Container;
import dev.rig.facts.EnvFileLines;
import dev.rig.facts.Fact;
import dev.rig.facts.PathFact;
import dev.rig.facts.Probe;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;
import dev.rig.plan.RenderedFile;
import dev.rig.playbook.ArgSpec;
import dev.rig.playbook.LocalFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
import static dev.rig.playbook.ArgSpec.ArgType.LOCAL_FILE;
import static dev.rig.playbook.ArgSpec.ArgType.MAP;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * A Docker Compose project: a local directory pushed to {@code dest} ({@code .ftl} files rendered
 * for each host, the others copied; like copy, compared by sha256 on the host and uploaded
 * atomically), {@code env} written to {@code dest/.env} with mode 0600, and the project's containers
 * converged to {@code state}.
 *
 * <p>Change detection reads state, never compose's progress output. The probe asks compose for each
 * service's expected config hash ({@code config --hash}, which reads the files already on the host)
 * and docker for each container's {@code com.docker.compose.config-hash} label and state. A service
 * differs when it has no container, a container that is not running, or one whose label is not the
 * expected hash; a pushed file that changed re-evaluates every service. Only then is {@code up -d}
 * run, and compose itself recreates only the services whose hash changed. Plans say which service
 * differs and why; a plan only reads: it never starts, builds or pulls.
 *
 * <p>Works with the v2 plugin ({@code docker compose}) and v1 ({@code docker-compose}), whichever the
 * host has, detected by each script on the host; both write the same labels.
 */
public final class ComposeModule implements Module, FileProducer {
    static final List<String> COMPOSE_FILES = List.of("compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml");
    static final String ENV_FILE = ".env";
    private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final FileAttributes DEFAULT_ATTRS = new FileAttributes(Optional.empty(), Optional.empty(), Optional.empty());
    private static final FileAttributes SECRET_ATTRS = new FileAttributes(Optional.of("0600"), Optional.empty(), Optional.empty());

    @Override
    public String name() {
        return "compose";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.optional("src", LOCAL_FILE), ArgSpec.required("dest", STRING), ArgSpec.optional("project", STRING),
                ArgSpec.optional("env", MAP), ArgSpec.choice("state", false, "present", "stopped", "restarted", "absent"),
                ArgSpec.choice("pull", false, "never", "missing", "always"), ArgSpec.optional("remove_orphans", BOOL),
                ArgSpec.optional("exclude", ArgSpec.ArgType.LIST), ArgSpec.optional("live_files", ArgSpec.ArgType.LIST));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        if (!"absent".equals(args.get("state")) && !args.containsKey("src")) return List.of("'src' (the project's local directory) is required unless state is absent");
        return List.of();
    }

    /**
     * live_files: files of the project (names as on the host, relative to dest) that the services re-read while running,
     * such as a mounted /etc/hosts: written in place, keeping the inode their bind mount holds, and no service is
     * restarted for them (a restart would cost what the service buffered).
     */
    static java.util.Set<String> liveFiles(Args args, Stack stack) {
        java.util.Set<String> live = new java.util.LinkedHashSet<>();
        if (args.values().get("live_files") instanceof List<?> names) {
            for (Object n : names) {
                String name = String.valueOf(n);
                if (stack.files().stream().noneMatch(f -> f.name().equals(name))) {
                    throw new Args.ArgumentException("live_files names '" + name + "', which is not a file of the project (after rendering and exclude)");
                }
                live.add(name);
            }
        }
        return live;
    }

    @Override
    public List<RenderedFile> files(Args args, ModuleContext ctx) {
        if (args.string("state", "present").equals("absent")) return List.of();
        Stack stack = Stack.of(args, ctx);
        return stack.files().stream()
                .map(f -> new RenderedFile(stack.path(f), f.content(), f.secret() ? SECRET_ATTRS.mode() : Optional.empty(), f.secret() || ctx.noLog()))
                .toList();
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        Stack stack = Stack.of(args, ctx);
        ProbeParts parts = new ProbeParts();
        for (int i = 0; i < stack.files().size(); i++) {
            StackFile f = stack.files().get(i);
            String path = stack.path(f);
            parts.add("file" + i, f.secret() ? PathFact.probe(path, PathFact.Want.checksum()) : FileContent.probe(path, f.content()));
        }
        // Per line, the variable's name and the line's sha256: a plan names the variables that change, never their values.
        if (stack.hasEnv()) parts.add("envlines", EnvFileLines.of(stack.path(ENV_FILE)).probe());
        parts.add("docker", projectFact(stack).probe());
        return parts.probe();
    }

    private static Fact<ComposeProjectState> projectFact(Stack stack) {
        return ComposeProjectState.of(stack.project(), stack.dest(), stack.composeFile());
    }

    /**
     * Shell that defines {@code compose} as whichever of v2 and v1 the host has (as the probe of
     * {@link ComposeProjectState} does); in a command, having neither is an error.
     */
    private static final String DEFINE_COMPOSE = "if docker compose version >/dev/null 2>&1; then compose() { docker compose \"$@\"; }\n"
            + "elif command -v docker-compose >/dev/null 2>&1; then compose() { docker-compose \"$@\"; }\n"
            + "else echo 'neither the docker compose plugin (v2) nor docker-compose (v1) is installed on this host' >&2; exit 1; fi\n";

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        Stack stack = Stack.of(args, ctx);
        Map<String, String> parts = ProbeParts.parse(probeOutput);
        ComposeProjectState docker = projectFact(stack).parse(ProbeParts.part(parts, "docker"));
        String state = args.string("state", "present");
        // A stopped daemon is a state to converge from (an earlier task may start it: the docker role does); any other error is not.
        boolean daemonDown = docker.error() != null && docker.error().contains("Cannot connect to the Docker daemon");
        if (docker.error() != null && (!daemonDown || state.equals("absent"))) {
            return Outcome.fail("cannot list the containers of project " + stack.project() + ": " + docker.error());
        }
        if (state.equals("absent")) return planAbsent(stack, docker);

        // 1. the files
        List<HostCommand> fileCmds = new ArrayList<>();
        List<Diff> diffs = new ArrayList<>();
        List<String> changedFiles = new ArrayList<>();
        List<String> rewrittenLive = new ArrayList<>();
        java.util.Set<String> live = liveFiles(args, stack);
        for (int i = 0; i < stack.files().size(); i++) {
            StackFile f = stack.files().get(i);
            PathFact.State cur = PathFact.parse(ProbeParts.part(parts, "file" + i));
            Outcome file = f.secret()
                    ? convergeSecretFile(stack.path(f), f.content(), cur, EnvFileLines.of(stack.path(ENV_FILE)).parse(parts.getOrDefault("envlines", "")))
                    : FileContent.converge(stack.path(f), f.content(), DEFAULT_ATTRS, cur, ctx.noLog(), FileContent.Guard.NONE, live.contains(f.name()));
            if (file.failed()) return file;
            if (file.change().changes()) {
                fileCmds.addAll(file.change().commands());
                diffs.addAll(file.change().diffs());
                if (live.contains(f.name()) && cur.exists()) rewrittenLive.add(f.name());
                else changedFiles.add(f.name());
            }
        }
        if (!fileCmds.isEmpty()) fileCmds.add(0, HostCommand.of(Shell.join(stack.directories()), "mkdir -p " + stack.dest()));

        // 2. the services
        if (docker.flavor().equals("none") && changedFiles.isEmpty()) {
            return Outcome.fail("neither the docker compose plugin (v2) nor docker-compose (v1) is installed on this host");
        }
        if (docker.configError() != null && changedFiles.isEmpty()) {
            return Outcome.fail("compose cannot read project " + stack.project() + " in " + stack.dest() + ": " + docker.configError());
        }
        boolean removeOrphans = args.bool("remove_orphans", false);
        Services services = Services.compare(stack, docker, state, removeOrphans);
        diffs.addAll(services.diffs());
        Map<String, String> reasons = services.reasons();
        boolean needCreate = services.needCreate() || !changedFiles.isEmpty();

        // 3. the commands
        String pull = args.string("pull", "missing");
        List<HostCommand> cmds = new ArrayList<>(fileCmds);
        List<String> done = new ArrayList<>();
        if (!changedFiles.isEmpty()) done.add("push " + String.join(", ", changedFiles));
        if (!rewrittenLive.isEmpty()) done.add("rewrite " + String.join(", ", rewrittenLive) + " in place (read live, no restart)");
        boolean servicesDiffer = !reasons.isEmpty() || !changedFiles.isEmpty();
        Action action = docker.containers().isEmpty() ? Action.CREATE : Action.UPDATE;
        switch (state) {
            case "present" -> {
                if (servicesDiffer || pull.equals("always")) {
                    cmds.add(composeCommand(stack, upArgs("up", "-d", removeOrphans), pull, "up -d"));
                    done.add("up -d");
                }
                // A mounted file's content is not in compose's config hash: the services that mount a changed
                // file are restarted so they read it (up -d alone would leave them on the old config).
                List<String> rereads = servicesMounting(stack, changedFiles).stream()
                        .filter(svc -> !"no container".equals(reasons.get(svc))).toList();
                if (!rereads.isEmpty() && !docker.containers().isEmpty()) {
                    List<String> restart = new ArrayList<>(List.of("restart"));
                    restart.addAll(rereads);
                    cmds.add(composeCommand(stack, restart, "missing", "restart " + String.join(" ", rereads)));
                    done.add("restart " + String.join(", ", rereads) + " (mounted files changed)");
                }
                if (pull.equals("always")) action = Action.RUN;
            }
            case "stopped" -> {
                if (needCreate) {
                    cmds.add(composeCommand(stack, upArgs("up", "--no-start", removeOrphans), pull, "up --no-start"));
                    done.add("create");
                }
                if (services.running() || !changedFiles.isEmpty()) {
                    cmds.add(composeCommand(stack, List.of("stop"), "missing", "stop"));
                    done.add("stop");
                }
            }
            case "restarted" -> {
                if (servicesDiffer || pull.equals("always")) cmds.add(composeCommand(stack, upArgs("up", "-d", removeOrphans), pull, "up -d"));
                cmds.add(composeCommand(stack, List.of("restart"), "missing", "restart"));
                done.add("restart");
                action = Action.RUN;
            }
            default -> throw new Args.ArgumentException("unknown state '" + state + "'");
        }
        Map<String, Object> result = result(stack, docker);
        if (cmds.isEmpty()) return Outcome.ok("project " + stack.project() + ": " + describeOk(docker, state)).withResult(result);
        String why = reasons.isEmpty() ? "" : " — " + reasons.entrySet().stream()
                .map(e -> (e.getKey().equals("*") ? "" : e.getKey() + ": ") + e.getValue()).reduce((a, b) -> a + "; " + b).orElse("");
        if (!changedFiles.isEmpty() && !docker.flavor().equals("none")) why += (why.isEmpty() ? " — " : "; ") + "compose recreates the services whose config the new files change";
        return Outcome.of(Change.of(action, cmds, diffs, "project " + stack.project() + ": " + String.join(", ", done) + why)).withResult(result);
    }

    /**
     * The services whose bind mounts ({@code ./file:/path}, or a directory holding it) include one of the
     * changed files, in the compose file's order; unreadable compose YAML yields none (compose reports it).
     */
    @SuppressWarnings("unchecked")
    static List<String> servicesMounting(Stack stack, List<String> changedFiles) {
        if (changedFiles.isEmpty()) return List.of();
        Optional<StackFile> composeFile = stack.files().stream().filter(f -> f.name().equals(stack.composeFile())).findFirst();
        if (composeFile.isEmpty()) return List.of();
        Object doc;
        try {
            doc = new org.yaml.snakeyaml.Yaml(new org.yaml.snakeyaml.constructor.SafeConstructor(new org.yaml.snakeyaml.LoaderOptions()))
                    .load(new String(composeFile.get().content(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return List.of();
        }
        if (!(doc instanceof Map<?, ?> root) || !(root.get("services") instanceof Map<?, ?> services)) return List.of();
        List<String> out = new ArrayList<>();
        for (Map.Entry<?, ?> svc : services.entrySet()) {
            if (!(svc.getValue() instanceof Map<?, ?> def) || !(def.get("volumes") instanceof List<?> volumes)) continue;
            for (Object v : volumes) {
                String source = v instanceof String s ? s.split(":", 2)[0] : v instanceof Map<?, ?> m ? String.valueOf(m.get("source")) : "";
                if (!source.startsWith("./")) continue;
                String mounted = source.substring(2).replaceAll("/+$", "");
                if (changedFiles.stream().anyMatch(f -> f.equals(mounted) || f.startsWith(mounted + "/"))) {
                    out.add(String.valueOf(svc.getKey()));
                    break;
                }
            }
        }
        return out;
    }

    /**
     * Which services differ from the files on the host, and why: by service, the reason; "*" when the
     * stack cannot be read at all. Also whether any container must be (re)created and whether any runs.
     */
    record Services(Map<String, String> reasons, List<Diff> diffs, boolean needCreate, boolean running) {
        static Services compare(Stack stack, ComposeProjectState docker, String state, boolean removeOrphans) {
            Map<String, String> reasons = new LinkedHashMap<>();
            List<Diff> diffs = new ArrayList<>();
            boolean needCreate = false;
            boolean running = false;
            if (docker.flavor().equals("none")) reasons.put("*", "docker compose is not installed yet");
            else if (docker.error() != null) reasons.put("*", "the Docker daemon is not running (" + docker.error().strip() + ")");
            for (Map.Entry<String, String> e : docker.expected().entrySet()) {
                List<Container> cs = docker.containers(e.getKey());
                Optional<Container> stale = cs.stream().filter(c -> !c.hash().equals(e.getValue())).findFirst();
                Optional<Container> down = cs.stream().filter(c -> !c.state().equals("running")).findFirst();
                boolean anyRunning = cs.stream().anyMatch(c -> c.state().equals("running"));
                running |= anyRunning;
                String why = null;
                if (cs.isEmpty()) {
                    why = "no container";
                } else if (stale.isPresent()) {
                    why = "config changed (container " + stale.get().shortId() + " has " + shortHash(stale.get().hash())
                            + ", the files give " + shortHash(e.getValue()) + ")";
                } else if (state.equals("stopped") && anyRunning) {
                    why = "running";
                } else if (!state.equals("stopped") && down.isPresent()) {
                    why = "container " + down.get().shortId() + " is " + down.get().state();
                }
                needCreate |= cs.isEmpty() || stale.isPresent();
                if (why != null) {
                    reasons.put(e.getKey(), why);
                    diffs.add(serviceDiff(stack, e.getKey(), cs, e.getValue(), state));
                }
            }
            if (removeOrphans) {
                for (String orphan : docker.orphans()) {
                    reasons.put(orphan, "orphan: no such service in the files");
                    diffs.add(Diff.attributes(stack.project() + "/" + orphan, Map.of("container", "present"), Map.of("container", "absent")));
                }
            }
            return new Services(reasons, diffs, needCreate, running);
        }
    }

    private static Outcome planAbsent(Stack stack, ComposeProjectState docker) {
        if (docker.containers().isEmpty() && docker.networks().isEmpty()) {
            return Outcome.ok("project " + stack.project() + " has no containers or networks").withResult(result(stack, docker));
        }
        String filter = Shell.quote("label=" + ComposeProjectState.PROJECT_LABEL + "=" + stack.project());
        // Plain docker commands: removal needs neither the project's files nor a particular compose version.
        String script = "set -e\n"
                + "ids=$(docker ps -aq --filter " + filter + ")\n[ -z \"$ids\" ] || docker rm -f $ids >/dev/null\n"
                + "nets=$(docker network ls -q --filter " + filter + ")\n[ -z \"$nets\" ] || docker network rm $nets >/dev/null\n";
        List<Diff> diffs = new ArrayList<>();
        Map<String, List<Container>> byService = new TreeMap<>();
        docker.containers().forEach(c -> byService.computeIfAbsent(c.service(), k -> new ArrayList<>()).add(c));
        byService.forEach((service, cs) -> diffs.add(Diff.attributes(stack.project() + "/" + service,
                Map.of("container", states(cs)), Map.of("container", "absent"))));
        String summary = "project " + stack.project() + ": remove " + docker.containers().size() + " container(s)"
                + (docker.networks().isEmpty() ? "" : " and " + docker.networks().size() + " network(s)")
                + " (" + String.join(", ", byService.keySet()) + "); files in " + stack.dest() + " and volumes are kept";
        HostCommand remove = HostCommand.of(script, "remove the containers and networks of project " + stack.project());
        return Outcome.of(Change.of(Action.DELETE, List.of(remove), diffs, summary)).withResult(result(stack, docker));
    }

    private static List<String> upArgs(String command, String mode, boolean removeOrphans) {
        List<String> argv = new ArrayList<>(List.of(command, mode));
        if (removeOrphans) argv.add("--remove-orphans");
        return argv;
    }

    /**
     * A compose command in the project's directory. {@code pull: always} pulls first; {@code never}
     * fails before compose would pull an image the host lacks; {@code missing} is compose's own default.
     */
    private static HostCommand composeCommand(Stack stack, List<String> composeArgs, String pull, String shown) {
        String compose = "compose -p " + Shell.quote(stack.project()) + " -f " + Shell.quote(stack.composeFile());
        StringBuilder s = new StringBuilder("set -e\ncd " + Shell.quote(stack.dest()) + "\n").append(DEFINE_COMPOSE);
        if (pull.equals("always")) s.append(compose).append(" pull\n");
        if (pull.equals("never")) {
            s.append("for image in $(").append(compose).append(" config --images); do\n")
                    .append("  docker image inspect \"$image\" >/dev/null 2>&1 || { echo \"image $image is not on this host, and pull is never\" >&2; exit 1; }\n")
                    .append("done\n");
        }
        s.append(compose).append(' ').append(Shell.join(composeArgs)).append('\n');
        return HostCommand.of(s.toString(), "compose " + shown + " (project " + stack.project() + (pull.equals("always") ? ", pull first" : "") + ")");
    }

    /**
     * .env holds secrets: compared by checksum only, never shown. The diff names the variables that
     * were added, removed or changed (from each line's sha256), not their values.
     */
    private static Outcome convergeSecretFile(String path, byte[] desired, PathFact.State cur, EnvFileLines envLines) {
        if (cur.exists() && !cur.isFile()) return Outcome.fail(path + " exists and is a " + cur.kind() + ", not a regular file");
        String sha = dev.rig.core.Digests.sha256(desired);
        Map<String, String> before = new LinkedHashMap<>();
        Map<String, String> after = new LinkedHashMap<>();
        List<HostCommand> cmds = new ArrayList<>();
        if (!cur.exists() || !sha.equals(cur.sha256())) {
            Map<String, String> old = envLines.lineSha256();
            Map<String, String> now = new TreeMap<>();
            for (String line : new String(desired, StandardCharsets.UTF_8).split("\n")) {
                if (line.indexOf('=') > 0) now.put(line.substring(0, line.indexOf('=')), dev.rig.core.Digests.sha256(line.getBytes(StandardCharsets.UTF_8)));
            }
            Set<String> keys = new TreeSet<>(old.keySet());
            keys.addAll(now.keySet());
            for (String k : keys) {
                if (old.containsKey(k) && old.get(k).equals(now.get(k))) continue;
                before.put(k, old.containsKey(k) ? "(hidden)" : "(unset)");
                after.put(k, now.containsKey(k) ? "(hidden, changed)" : "(unset)");
            }
            if (before.isEmpty()) {
                before.put("content", cur.exists() ? "(hidden)" : "absent");
                after.put("content", "(hidden, changed)");
            }
            cmds.add(FileContent.upload(path, desired, sha, SECRET_ATTRS, cur.exists()));
        } else {
            cmds.addAll(SECRET_ATTRS.fix(path, cur, before, after));
        }
        if (cmds.isEmpty()) return Outcome.ok(path + " is up to date");
        Action action = cur.exists() ? Action.UPDATE : Action.CREATE;
        return Outcome.of(Change.of(action, cmds, List.of(Diff.attributes(path, before, after)), FileModule.summary(action, path)));
    }

    private static Diff serviceDiff(Stack stack, String service, List<Container> cs, String expectedHash, String state) {
        Map<String, String> before = new LinkedHashMap<>();
        Map<String, String> after = new LinkedHashMap<>();
        before.put("container", cs.isEmpty() ? "none" : states(cs));
        after.put("container", state.equals("stopped") ? "exited" : "running");
        String hashes = cs.stream().map(c -> shortHash(c.hash())).distinct().reduce((a, b) -> a + "," + b).orElse("-");
        if (!hashes.equals(shortHash(expectedHash))) {
            before.put("config-hash", hashes);
            after.put("config-hash", shortHash(expectedHash));
        }
        return Diff.attributes(stack.project() + "/" + service, before, after);
    }

    private static String states(List<Container> cs) {
        return cs.stream().map(Container::state).reduce((a, b) -> a + "," + b).orElse("none");
    }

    private static String shortHash(String hash) {
        return hash.length() > 12 ? hash.substring(0, 12) : hash;
    }

    private static String describeOk(ComposeProjectState docker, String state) {
        return docker.expected().size() + " service(s) " + (state.equals("stopped") ? "stopped" : "running") + " with their current config";
    }

    private static Map<String, Object> result(Stack stack, ComposeProjectState docker) {
        Map<String, Object> services = new TreeMap<>();
        docker.containers().forEach(c -> services.put(c.service(), c.state()));
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("project", stack.project());
        result.put("dest", stack.dest());
        result.put("compose", docker.flavor());
        result.put("services", services);
        return result;
    }

    // ---- the desired files -------------------------------------------------------------------

    /** One file of the project as it should be on the host; {@code secret} files are never shown. */
    record StackFile(String name, byte[] content, boolean secret) {}

    /** The project as wanted on one host. */
    record Stack(String dest, String project, List<StackFile> files, String composeFile, boolean hasEnv) {
        String path(StackFile f) {
            return path(f.name());
        }

        String path(String name) {
            return dest + "/" + name;
        }

        /** mkdir -p for dest and every subdirectory a file lives in. */
        List<String> directories() {
            Set<String> dirs = new LinkedHashSet<>(List.of(dest));
            for (StackFile f : files) {
                if (f.name().contains("/")) dirs.add(path(f.name().substring(0, f.name().lastIndexOf('/'))));
            }
            List<String> argv = new ArrayList<>(List.of("mkdir", "-p", "--"));
            argv.addAll(dirs);
            return argv;
        }

        @SuppressWarnings("unchecked")
        static Stack of(Args args, ModuleContext ctx) {
            String dest = args.string("dest").replaceAll("/+$", "");
            if (!dest.startsWith("/") || dest.length() < 2) throw new Args.ArgumentException("'dest' must be an absolute directory path, not '" + args.string("dest") + "'");
            String project = args.optString("project").orElse(defaultProject(dest));
            if (!PROJECT.matcher(project).matches()) {
                throw new Args.ArgumentException("project name '" + project + "' must be lower-case letters, digits, '-' and '_', starting with a letter or digit");
            }
            if (args.string("state", "present").equals("absent")) return new Stack(dest, project, List.of(), null, false);
            List<StackFile> files = new ArrayList<>((List<StackFile>) ctx.memo().computeIfAbsent("compose:" + args.string("src") + ":" + args.values().get("exclude"),
                    k -> localFiles(args, ctx)));
            Object env = args.values().get("env");
            if (env != null) {
                if (!(env instanceof Map<?, ?> map)) throw new Args.ArgumentException("argument 'env' must be a map of variable names to values");
                if (files.stream().anyMatch(f -> f.name().equals(ENV_FILE))) {
                    throw new Args.ArgumentException("both 'env' and a .env file in src give the project's .env; keep one");
                }
                files.add(new StackFile(ENV_FILE, envFile(map), true));
            }
            String composeFile = COMPOSE_FILES.stream().filter(n -> files.stream().anyMatch(f -> f.name().equals(n))).findFirst()
                    .orElseThrow(() -> new Args.ArgumentException("src '" + args.string("src") + "' has no compose file (one of "
                            + String.join(", ", COMPOSE_FILES) + ", or the same name with .ftl)"));
            return new Stack(dest, project, List.copyOf(files), composeFile, env != null);
        }

        /** Compose's own default: the directory's name, lower-cased, without the characters it does not allow. */
        private static String defaultProject(String dest) {
            return dest.substring(dest.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_-]", "");
        }

        private static List<StackFile> localFiles(Args args, ModuleContext ctx) {
            String src = args.string("src");
            Path dir = LocalFiles.find(src, ctx.fileDirs())
                    .orElseThrow(() -> new Args.ArgumentException("directory '" + src + "' not found; looked in " + LocalFiles.describe(src, ctx.fileDirs())));
            if (!Files.isDirectory(dir)) throw new Args.ArgumentException("'" + src + "' is a file; compose's src is the project's directory");
            List<java.nio.file.PathMatcher> excluded = new ArrayList<>();
            if (args.values().get("exclude") instanceof List<?> patterns) {
                for (Object pattern : patterns) excluded.add(dir.getFileSystem().getPathMatcher("glob:" + pattern));
            }
            List<StackFile> out = new ArrayList<>();
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.filter(Files::isRegularFile).sorted().toList()) {
                    String rel = dir.relativize(p).toString().replace('\\', '/');
                    String target = rel.endsWith(".ftl") ? rel.substring(0, rel.length() - 4) : rel;
                    if (excluded.stream().anyMatch(m -> m.matches(Path.of(rel)) || m.matches(Path.of(target)))) continue;
                    if (rel.endsWith(".ftl")) {
                        String rendered = ctx.templates().renderFile(p, ctx.vars());
                        out.add(new StackFile(rel.substring(0, rel.length() - 4), rendered.getBytes(StandardCharsets.UTF_8), false));
                    } else {
                        out.add(new StackFile(rel, Files.readAllBytes(p), false));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + dir, e);
            }
            return out;
        }

        /**
         * KEY='value' lines, sorted. Single quotes keep $, # and spaces literal for both compose v1
         * (python-dotenv) and v2; a value holding a quote, backslash or newline would be read
         * differently by the two, so it is refused rather than silently changed.
         */
        private static byte[] envFile(Map<?, ?> env) {
            Map<String, String> sorted = new TreeMap<>();
            env.forEach((k, v) -> sorted.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
            StringBuilder s = new StringBuilder();
            sorted.forEach((name, value) -> {
                if (!ENV_NAME.matcher(name).matches()) throw new Args.ArgumentException("env name '" + name + "' is not a valid variable name");
                if (value.contains("'") || value.contains("\\") || value.contains("\n")) {
                    throw new Args.ArgumentException("the value of env " + name + " contains a quote ('), a backslash or a newline, which compose v1 and v2 read differently in .env");
                }
                s.append(name).append("='").append(value).append("'\n");
            });
            return s.toString().getBytes(StandardCharsets.UTF_8);
        }
    }
}

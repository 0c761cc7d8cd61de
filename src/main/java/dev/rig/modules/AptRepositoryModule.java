package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.PathFact;
import dev.rig.facts.Probe;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;
import dev.rig.playbook.ArgSpec;
import dev.rig.playbook.LocalFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
import static dev.rig.playbook.ArgSpec.ArgType.INT;
import static dev.rig.playbook.ArgSpec.ArgType.LIST;
import static dev.rig.playbook.ArgSpec.ArgType.LOCAL_FILE;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * An apt repository in deb822 form — {@code /etc/apt/sources.list.d/NAME.sources} — whose
 * {@code Signed-By:} names a keyring under {@code /etc/apt/keyrings/}, so the key is trusted for this
 * repository only (not apt-key's global keyring). The key comes from a local file ({@code key_src})
 * or inline ({@code key_content}); nothing is downloaded. Both files converge like copy; after a
 * change the cache is updated unless {@code update_cache: false}.
 */
public final class AptRepositoryModule implements Module {
    static final String SOURCES_DIR = "/etc/apt/sources.list.d";
    static final String KEYRINGS_DIR = "/etc/apt/keyrings";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    private static final FileAttributes WORLD_READABLE = new FileAttributes(Optional.of("0644"), Optional.of("root"), Optional.of("root"));

    @Override
    public String name() {
        return "apt_repository";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("name", STRING), ArgSpec.choice("state", false, "present", "absent"),
                ArgSpec.optional("types", LIST), ArgSpec.optional("uris", LIST), ArgSpec.optional("suites", LIST),
                ArgSpec.optional("components", LIST), ArgSpec.optional("architectures", LIST),
                ArgSpec.optional("signed_by", STRING), ArgSpec.optional("key_content", STRING), ArgSpec.optional("key_src", LOCAL_FILE),
                ArgSpec.optional("update_cache", BOOL), ArgSpec.optional("lock_timeout", INT));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        List<String> problems = new ArrayList<>();
        if (args.containsKey("key_content") && args.containsKey("key_src")) problems.add("give 'key_content' or 'key_src', not both");
        if (!"absent".equals(args.get("state")) && (!args.containsKey("uris") || !args.containsKey("suites"))) {
            problems.add("a present repository needs 'uris' and 'suites'");
        }
        return problems;
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        Repo repo = Repo.of(args, ctx);
        ProbeParts parts = new ProbeParts();
        if (repo.absent()) {
            parts.add("sources", PathFact.probe(repo.sourcesPath(), PathFact.Want.METADATA));
            for (int i = 0; i < repo.keyringCandidates().size(); i++) {
                parts.add("key" + i, PathFact.probe(repo.keyringCandidates().get(i), PathFact.Want.METADATA));
            }
        } else {
            parts.add("sources", FileContent.probe(repo.sourcesPath(), repo.sources()));
            if (repo.key() != null) parts.add("key0", FileContent.probe(repo.keyringCandidates().get(0), repo.key()));
        }
        return parts.probe();
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        Repo repo = Repo.of(args, ctx);
        Map<String, String> parts = ProbeParts.parse(probeOutput);
        List<HostCommand> cmds = new ArrayList<>();
        List<Diff> diffs = new ArrayList<>();
        List<String> done = new ArrayList<>();
        Action action = Action.UPDATE;
        if (repo.absent()) {
            List<String> paths = new ArrayList<>(List.of(repo.sourcesPath()));
            paths.addAll(repo.keyringCandidates());
            List<String> parts0 = new ArrayList<>(List.of("sources"));
            for (int i = 0; i < repo.keyringCandidates().size(); i++) parts0.add("key" + i);
            for (int i = 0; i < paths.size(); i++) {
                if (!PathFact.parse(ProbeParts.part(parts, parts0.get(i))).exists()) continue;
                cmds.add(HostCommand.of(Shell.join("rm", "-f", "--", paths.get(i)), "remove " + paths.get(i)));
                diffs.add(Diff.attributes(paths.get(i), Map.of("state", "file"), Map.of("state", "absent")));
                done.add("remove " + paths.get(i));
            }
            action = Action.DELETE;
        } else {
            if (repo.key() != null) {
                Outcome key = FileContent.converge(repo.keyringCandidates().get(0), repo.key(), WORLD_READABLE,
                        PathFact.parse(ProbeParts.part(parts, "key0")), true);
                if (key.failed()) return key;
                if (key.change().changes()) {
                    // /etc/apt/keyrings exists on Debian 12 and Ubuntu 22.04, not on older releases.
                    cmds.add(HostCommand.of("mkdir -p -m 0755 " + KEYRINGS_DIR, "mkdir " + KEYRINGS_DIR));
                    cmds.addAll(key.change().commands());
                    diffs.addAll(key.change().diffs());
                    done.add(key.change().summary());
                }
            }
            Outcome sources = FileContent.converge(repo.sourcesPath(), repo.sources(), WORLD_READABLE,
                    PathFact.parse(ProbeParts.part(parts, "sources")), ctx.noLog());
            if (sources.failed()) return sources;
            cmds.addAll(sources.change().commands());
            diffs.addAll(sources.change().diffs());
            if (sources.change().changes()) {
                done.add(sources.change().summary());
                if (sources.change().action() == Action.CREATE) action = Action.CREATE;
            }
        }
        Map<String, Object> result = Map.of("sources", repo.sourcesPath());
        if (cmds.isEmpty()) return Outcome.ok("repository " + repo.name() + (repo.absent() ? " is absent" : " is configured")).withResult(result);
        if (args.bool("update_cache", true)) {
            cmds.add(AptCommands.update(args.integer("lock_timeout", AptCommands.DEFAULT_LOCK_TIMEOUT)));
            done.add("apt-get update");
        }
        return Outcome.of(Change.of(action, cmds, diffs, String.join("; ", done))).withResult(result);
    }

    /** The repository as wanted: its files' paths and content. */
    private record Repo(String name, boolean absent, String sourcesPath, byte[] sources, byte[] key, List<String> keyringCandidates) {
        static Repo of(Args args, ModuleContext ctx) {
            String name = args.string("name");
            if (!NAME.matcher(name).matches()) throw new Args.ArgumentException("repository name '" + name + "' must match " + NAME.pattern());
            boolean absent = args.string("state", "present").equals("absent");
            String sourcesPath = SOURCES_DIR + "/" + name + ".sources";
            byte[] key = absent ? null : key(args, ctx);
            List<String> keyrings;
            if (args.has("signed_by")) {
                keyrings = List.of(args.string("signed_by"));
            } else if (key != null) {
                keyrings = List.of(KEYRINGS_DIR + "/" + name + (armored(key) ? ".asc" : ".gpg"));
            } else {
                keyrings = absent ? List.of(KEYRINGS_DIR + "/" + name + ".asc", KEYRINGS_DIR + "/" + name + ".gpg") : List.of();
            }
            byte[] sources = absent ? null : sources(args, keyrings.isEmpty() ? null : keyrings.get(0));
            return new Repo(name, absent, sourcesPath, sources, key, keyrings);
        }

        private static byte[] sources(Args args, String signedBy) {
            StringBuilder s = new StringBuilder("# Managed by rig\n");
            field(s, "Types", args.has("types") ? args.list("types") : List.of("deb"));
            field(s, "URIs", args.list("uris"));
            field(s, "Suites", args.list("suites"));
            field(s, "Components", args.list("components"));
            field(s, "Architectures", args.list("architectures"));
            if (signedBy != null) field(s, "Signed-By", List.of(signedBy));
            return s.toString().getBytes(StandardCharsets.UTF_8);
        }

        private static void field(StringBuilder s, String name, List<String> values) {
            if (values.isEmpty()) return;
            for (String v : values) {
                if (v.isBlank() || v.chars().anyMatch(c -> c == '\n' || c == ' ' || c == '\t')) {
                    throw new Args.ArgumentException(name + " value '" + v + "' must be one word");
                }
            }
            s.append(name).append(": ").append(String.join(" ", values)).append('\n');
        }

        private static byte[] key(Args args, ModuleContext ctx) {
            if (args.has("key_content")) {
                String content = args.string("key_content");
                return (content.endsWith("\n") ? content : content + "\n").getBytes(StandardCharsets.UTF_8);
            }
            if (!args.has("key_src")) return null;
            String src = args.string("key_src");
            Path file = LocalFiles.find(src, ctx.fileDirs())
                    .orElseThrow(() -> new Args.ArgumentException("key file '" + src + "' not found; looked in " + LocalFiles.describe(src, ctx.fileDirs())));
            try {
                return Files.readAllBytes(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
        }

        /** apt reads an ASCII-armored key only from a file named .asc, a binary one from .gpg. */
        private static boolean armored(byte[] key) {
            return new String(key, 0, Math.min(key.length, 64), StandardCharsets.US_ASCII).strip().startsWith("-----BEGIN PGP");
        }
    }
}

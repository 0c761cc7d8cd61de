package dev.rig.modules;

import dev.rig.facts.PathFact;
import dev.rig.facts.Probe;
import dev.rig.facts.TreeFact;
import dev.rig.playbook.ArgSpec;
import dev.rig.plan.RenderedFile;
import dev.rig.playbook.LocalFiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
import static dev.rig.playbook.ArgSpec.ArgType.LOCAL_FILE;
import static dev.rig.playbook.ArgSpec.ArgType.MODE;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * A file's content from inline {@code content} or a local {@code src}; compared by sha256 on the host.
 * A directory as {@code src} is copied recursively as Ansible copies it: "dir" puts dest/dir/..., "dir/"
 * puts its contents into dest; every file's state and sha256 read in one probe. With {@code remote_src}
 * the source is on the host (a file or a directory), compared with dest by sha256 there.
 */
public final class CopyModule implements Module, FileProducer {
    @Override
    public String name() {
        return "copy";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("dest", STRING), ArgSpec.optional("content", STRING),
                ArgSpec.optional("src", LOCAL_FILE), ArgSpec.optional("mode", MODE), ArgSpec.optional("directory_mode", MODE),
                ArgSpec.optional("remote_src", BOOL),
                ArgSpec.optional("owner", STRING), ArgSpec.optional("group", STRING), ArgSpec.optional("force", BOOL).alias("thirsty"),
                ArgSpec.optional("backup", BOOL), ArgSpec.optional("validate", STRING));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        List<String> problems = new ArrayList<>();
        boolean content = args.containsKey("content");
        boolean src = args.containsKey("src");
        if (content == src) problems.add("give exactly one of 'content' or 'src'");
        if (content && Boolean.TRUE.equals(args.get("remote_src"))) problems.add("remote_src needs 'src' (a path on the host), not 'content'");
        return problems;
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        if (args.bool("remote_src", false)) return TreeFact.remoteSourceProbe(args.string("src"), args.string("dest"));
        LocalTree tree = localTree(args, ctx);
        if (tree != null) return TreeFact.probe(tree.root(args.string("dest")), tree.rels());
        return FileContent.probe(args.string("dest"), payload(args, ctx));
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        if (args.bool("remote_src", false)) return planRemote(args, TreeFact.parse(probeOutput), ctx);
        LocalTree tree = localTree(args, ctx);
        if (tree != null) {
            TreeFact.State state = TreeFact.parse(probeOutput);
            List<Source> sources = new ArrayList<>();
            for (Map.Entry<String, Path> e : tree.entries().entrySet()) {
                Path local = e.getValue();
                sources.add(Files.isDirectory(local) ? Source.directory(e.getKey())
                        : Source.file(e.getKey(), (dev.rig.core.Payload) ctx.memo().computeIfAbsent("copy-payload:" + local, k -> dev.rig.core.Payload.file(local))));
            }
            return planTree(args, tree.root(args.string("dest")), sources, state, ctx, null);
        }
        PathFact.State cur = PathFact.parse(probeOutput);
        // force: false only ever creates: an existing file keeps its content (its attributes are still fixed).
        if (!args.bool("force", true) && cur.exists() && cur.isFile() && cur.sha256() != null) {
            FileAttributes attrs = FileAttributes.from(args);
            Map<String, String> before = new java.util.LinkedHashMap<>();
            Map<String, String> after = new java.util.LinkedHashMap<>();
            List<dev.rig.plan.HostCommand> fixes = attrs.fix(args.string("dest"), cur, before, after);
            if (fixes.isEmpty()) return Outcome.ok(args.string("dest") + " exists (force: false keeps it)");
            return Outcome.of(dev.rig.plan.Change.of(dev.rig.plan.Action.UPDATE, fixes, List.of(new dev.rig.plan.Diff(args.string("dest"), before, after, null, null)),
                    FileModule.summary(dev.rig.plan.Action.UPDATE, args.string("dest"))).touching(java.util.Set.of(args.string("dest"))));
        }
        return FileContent.converge(args.string("dest"), payload(args, ctx), FileAttributes.from(args), cur, ctx.noLog(), FileContent.Guard.from(args));
    }

    /** One thing a tree copy makes: a directory, or a file with its content (local) or its host path and sha256 (remote). */
    private record Source(String rel, boolean directory, dev.rig.core.Payload payload, String hostPath, String sha256) {
        static Source directory(String rel) {
            return new Source(rel, true, null, null, null);
        }

        static Source file(String rel, dev.rig.core.Payload payload) {
            return new Source(rel, false, payload, null, payload.sha256());
        }

        static Source onHost(String rel, String hostPath, String sha256) {
            return new Source(rel, false, null, hostPath, sha256);
        }
    }

    /**
     * The commands that make every source entry exist under root: missing directories made (with
     * directory_mode, owner and group; existing ones are left as they are, as Ansible leaves them), each
     * file converged by sha256 as a single copy is. Files under root that the source lacks stay.
     */
    private static Outcome planTree(Args args, String root, List<Source> sources, TreeFact.State state, ModuleContext ctx, String remoteSrc) {
        if (state.rootExists() && !"directory".equals(state.rootKind())) {
            return Outcome.fail(root + " exists and is a " + state.rootKind() + ", not a directory");
        }
        FileAttributes attrs = FileAttributes.from(args);
        FileAttributes dirAttrs = new FileAttributes(args.mode("directory_mode"), attrs.owner(), attrs.group());
        FileContent.Guard guard = FileContent.Guard.from(args);
        boolean force = args.bool("force", true);
        List<dev.rig.plan.HostCommand> cmds = new ArrayList<>();
        List<dev.rig.plan.Diff> diffs = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        int files = 0;
        if (!state.rootExists()) {
            cmds.add(mkdirRoot(root, dirAttrs));
            diffs.add(new dev.rig.plan.Diff(root, Map.of("state", "absent"), directoryAfter(dirAttrs), null, null));
        }
        for (Source source : sources) {
            String path = root + "/" + source.rel();
            PathFact.State cur = state.path(source.rel());
            if (source.directory()) {
                if (!cur.exists()) {
                    cmds.add(mkdir(path, dirAttrs));
                    diffs.add(new dev.rig.plan.Diff(path, Map.of("state", "absent"), directoryAfter(dirAttrs), null, null));
                } else if (!cur.isDirectory()) {
                    problems.add(path + " exists and is a " + cur.kind() + ", not a directory");
                }
                continue;
            }
            files++;
            if (cur.exists() && !cur.isFile()) {
                problems.add(path + " exists and is a " + cur.kind() + ", not a regular file");
                continue;
            }
            Outcome one;
            if (!force && cur.exists()) {
                one = attributesOnly(path, attrs, cur);
            } else if (source.payload() != null) {
                one = FileContent.converge(path, source.payload(), attrs, cur, ctx.noLog(), guard);
            } else {
                one = onHost(source.hostPath(), path, source.sha256(), attrs, cur, guard);
            }
            if (one.failed()) {
                problems.add(one.message());
                continue;
            }
            cmds.addAll(one.change().commands());
            diffs.addAll(one.change().diffs());
        }
        if (!problems.isEmpty()) return Outcome.fail(String.join("; ", problems));
        Map<String, Object> result = new java.util.LinkedHashMap<>();
        result.put("dest", root);
        if (remoteSrc != null) result.put("src", remoteSrc);
        if (cmds.isEmpty()) return Outcome.ok(root + " is up to date (" + files + " files)").withResult(result);
        dev.rig.plan.Action action = state.rootExists() ? dev.rig.plan.Action.UPDATE : dev.rig.plan.Action.CREATE;
        return Outcome.of(dev.rig.plan.Change.of(action, cmds, diffs, FileModule.summary(action, root) + " (" + diffs.size() + " of "
                + (sources.size() + (state.rootExists() ? 0 : 1)) + " paths)")).withResult(result);
    }

    private static dev.rig.plan.HostCommand mkdir(String path, FileAttributes dirAttrs) {
        StringBuilder script = new StringBuilder(dev.rig.core.Shell.join("mkdir", "--", path));
        return mkdir(script, path, dirAttrs);
    }

    /** The tree's root: its parents too, as Ansible makes a missing dest. */
    private static dev.rig.plan.HostCommand mkdirRoot(String path, FileAttributes dirAttrs) {
        return mkdir(new StringBuilder(dev.rig.core.Shell.join("mkdir", "-p", "--", path)), path, dirAttrs);
    }

    private static dev.rig.plan.HostCommand mkdir(StringBuilder script, String path, FileAttributes dirAttrs) {
        for (dev.rig.plan.HostCommand c : dirAttrs.apply(path)) script.append(" && ").append(c.script());
        return dev.rig.plan.HostCommand.of(script.toString(), "mkdir " + path);
    }

    private static Map<String, String> directoryAfter(FileAttributes dirAttrs) {
        Map<String, String> after = new java.util.LinkedHashMap<>();
        after.put("state", "directory");
        dirAttrs.describeNew(after);
        return after;
    }

    /** force: false and the file exists: its content stays, its attributes are still fixed. */
    private static Outcome attributesOnly(String dest, FileAttributes attrs, PathFact.State cur) {
        Map<String, String> before = new java.util.LinkedHashMap<>();
        Map<String, String> after = new java.util.LinkedHashMap<>();
        List<dev.rig.plan.HostCommand> fixes = attrs.fix(dest, cur, before, after);
        if (fixes.isEmpty()) return Outcome.ok(dest + " exists (force: false keeps it)");
        return Outcome.of(dev.rig.plan.Change.of(dev.rig.plan.Action.UPDATE, fixes, List.of(new dev.rig.plan.Diff(dest, before, after, null, null)),
                FileModule.summary(dev.rig.plan.Action.UPDATE, dest)));
    }

    /** A file already on the host to dest, by sha256: copied when missing or different, else only attributes fixed. */
    private static Outcome onHost(String src, String dest, String sha, FileAttributes attrs, PathFact.State cur, FileContent.Guard guard) {
        if (cur.exists() && !cur.isFile()) return Outcome.fail(dest + " exists and is a " + cur.kind() + ", not a regular file");
        Map<String, String> before = new java.util.LinkedHashMap<>();
        Map<String, String> after = new java.util.LinkedHashMap<>();
        if (cur.exists() && sha.equals(cur.sha256())) {
            List<dev.rig.plan.HostCommand> fixes = attrs.fix(dest, cur, before, after);
            if (fixes.isEmpty()) return Outcome.ok(dest + " is up to date");
            return Outcome.of(dev.rig.plan.Change.of(dev.rig.plan.Action.UPDATE, fixes, List.of(new dev.rig.plan.Diff(dest, before, after, null, null)),
                    FileModule.summary(dev.rig.plan.Action.UPDATE, dest)));
        }
        dev.rig.plan.Action action = cur.exists() ? dev.rig.plan.Action.UPDATE : dev.rig.plan.Action.CREATE;
        before.put("state", cur.exists() ? "file" : "absent");
        if (cur.exists()) before.put("sha256", cur.sha256());
        after.put("state", "file");
        after.put("sha256", sha);
        if (cur.exists()) attrs.fix(dest, cur, before, after); else attrs.describeNew(after);
        return Outcome.of(dev.rig.plan.Change.of(action, List.of(FileContent.copyOnHost(src, dest, sha, attrs, cur.exists(), guard)),
                List.of(new dev.rig.plan.Diff(dest, before, after, null, null)), FileModule.summary(action, dest)));
    }

    /** remote_src: a file or a directory on the host, with Ansible's trailing-slash rule for directories. */
    private static Outcome planRemote(Args args, TreeFact.State state, ModuleContext ctx) {
        String src = args.string("src");
        String dest = args.string("dest");
        switch (state.sourceKind()) {
            case "absent" -> {
                return Outcome.fail("remote_src: " + src + " does not exist on the host");
            }
            case "other" -> {
                return Outcome.fail("remote_src: " + src + " is neither a regular file nor a directory");
            }
            case "file" -> {
                String target = state.target();
                if (!args.bool("force", true) && state.path(target).exists()) {
                    if (!state.path(target).isFile()) return Outcome.fail(target + " exists and is a " + state.path(target).kind() + ", not a regular file");
                    return attributesOnly(target, FileAttributes.from(args), state.path(target)).withResult(Map.of("dest", target, "src", src));
                }
                String sha = state.source().isEmpty() ? null : state.source().get(0).sha256();
                if (sha == null) throw new IllegalStateException("probe output lacks the sha256 of " + src);
                return onHost(src, target, sha, FileAttributes.from(args), state.path(target), FileContent.Guard.from(args))
                        .withResult(Map.of("dest", target, "src", src, "checksum", sha));
            }
            default -> {
                // The probe read the tree's root as Ansible places it: dest for "dir/", dest/dir for "dir".
                String root = src.endsWith("/") ? stripSlashes(dest) : stripSlashes(dest) + "/" + baseName(src);
                String base = stripSlashes(src);
                List<Source> sources = new ArrayList<>();
                List<String> refused = new ArrayList<>();
                for (TreeFact.Entry e : state.source()) {
                    if (e.directory()) sources.add(Source.directory(e.rel()));
                    else if (e.sha256() != null) sources.add(Source.onHost(e.rel(), base + "/" + e.rel(), e.sha256()));
                    else refused.add(base + "/" + e.rel());
                }
                if (!refused.isEmpty()) {
                    return Outcome.fail("remote_src: not a regular file or directory (links and devices are not copied): " + String.join(", ", refused));
                }
                return planTree(args, root, sources, state, ctx, src);
            }
        }
    }

    /** A local directory src: every directory and file below it (links followed, as Ansible's local_follow), by path relative to the tree's root. */
    private record LocalTree(String name, boolean contentsOnly, java.util.SortedMap<String, Path> entries) {
        String root(String dest) {
            return contentsOnly ? stripSlashes(dest) : stripSlashes(dest) + "/" + name;
        }

        List<String> rels() {
            return List.copyOf(entries.keySet());
        }
    }

    /** The local directory src as a tree, or null when src is a file (or absent: content). */
    private static LocalTree localTree(Args args, ModuleContext ctx) {
        if (!args.has("src") || args.bool("remote_src", false)) return null;
        String src = args.string("src");
        Path dir = LocalFiles.find(src, ctx.fileDirs())
                .orElseThrow(() -> new Args.ArgumentException("file '" + src + "' not found; looked in " + LocalFiles.describe(src, ctx.fileDirs())));
        if (!Files.isDirectory(dir)) return null;
        return (LocalTree) ctx.memo().computeIfAbsent("copy-tree:" + src + ":" + dir, k -> walk(src, dir));
    }

    private static LocalTree walk(String src, Path dir) {
        java.util.SortedMap<String, Path> entries = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> paths = Files.walk(dir, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            for (Path p : (Iterable<Path>) paths::iterator) {
                if (p.equals(dir)) continue;
                String rel = dir.relativize(p).toString();
                if (rel.contains("\n") || rel.contains("\\")) {
                    throw new Args.ArgumentException("'" + p + "': a name with a newline or backslash cannot be copied");
                }
                if (!Files.isDirectory(p) && !Files.isRegularFile(p)) {
                    throw new Args.ArgumentException("'" + p + "' is neither a regular file nor a directory; copy cannot send it");
                }
                entries.put(rel, p);
            }
        } catch (java.io.IOException | java.io.UncheckedIOException e) {
            throw new Args.ArgumentException("cannot read the directory '" + src + "' (" + dir + "): " + e.getMessage());
        }
        return new LocalTree(dir.getFileName().toString(), src.endsWith("/"), entries);
    }

    private static String stripSlashes(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) p = p.substring(0, p.length() - 1);
        return p;
    }

    private static String baseName(String path) {
        String p = stripSlashes(path);
        return p.substring(p.lastIndexOf('/') + 1);
    }

    @Override
    public List<RenderedFile> files(Args args, ModuleContext ctx) {
        if (args.bool("remote_src", false)) return List.of(); // nothing on the operator's machine to render
        LocalTree tree = localTree(args, ctx);
        if (tree != null) {
            String root = tree.root(args.string("dest"));
            List<RenderedFile> out = new ArrayList<>();
            tree.entries().forEach((rel, local) -> {
                if (!Files.isDirectory(local)) out.add(new RenderedFile(root + "/" + rel, dev.rig.core.Payload.file(local), args.mode("mode"), ctx.noLog()));
            });
            return out;
        }
        return List.of(new RenderedFile(args.string("dest"), payload(args, ctx), args.mode("mode"), ctx.noLog()));
    }

    /** The content to write: inline, or the src file streamed from disk (hashed once per run), never read whole. */
    private static dev.rig.core.Payload payload(Args args, ModuleContext ctx) {
        if (args.has("content")) return dev.rig.core.Payload.of(args.string("content").getBytes(StandardCharsets.UTF_8));
        Path file = source(args, ctx);
        return (dev.rig.core.Payload) ctx.memo().computeIfAbsent("copy-payload:" + file, k -> dev.rig.core.Payload.file(file));
    }

    private static Path source(Args args, ModuleContext ctx) {
        String src = args.string("src");
        Path file = LocalFiles.find(src, ctx.fileDirs())
                .orElseThrow(() -> new Args.ArgumentException("file '" + src + "' not found; looked in " + LocalFiles.describe(src, ctx.fileDirs())));
        if (Files.isDirectory(file)) throw new Args.ArgumentException("'" + src + "' is a directory; copy takes a single file");
        return file;
    }

}

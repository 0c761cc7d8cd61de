package dev.rig.modules;

import dev.rig.facts.PathFact;
import dev.rig.facts.Probe;
import dev.rig.playbook.ArgSpec;
import dev.rig.plan.RenderedFile;
import dev.rig.playbook.LocalFiles;

import java.io.IOException;
import java.io.UncheckedIOException;
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

/** A file's content from inline {@code content} or a local {@code src}; compared by sha256 on the host. */
public final class CopyModule implements Module, FileProducer {
    @Override
    public String name() {
        return "copy";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("dest", STRING), ArgSpec.optional("content", STRING),
                ArgSpec.optional("src", LOCAL_FILE), ArgSpec.optional("mode", MODE),
                ArgSpec.optional("owner", STRING), ArgSpec.optional("group", STRING), ArgSpec.optional("force", BOOL).alias("thirsty"),
                ArgSpec.optional("backup", BOOL), ArgSpec.optional("validate", STRING));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        List<String> problems = new ArrayList<>();
        boolean content = args.containsKey("content");
        boolean src = args.containsKey("src");
        if (content == src) problems.add("give exactly one of 'content' or 'src'");
        return problems;
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return FileContent.probe(args.string("dest"), payload(args, ctx));
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
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

    @Override
    public List<RenderedFile> files(Args args, ModuleContext ctx) {
        return List.of(new RenderedFile(args.string("dest"), desired(args, ctx), args.mode("mode"), ctx.noLog()));
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

    /** For rig render, which writes the file itself. */
    private static byte[] desired(Args args, ModuleContext ctx) {
        if (args.has("content")) return args.string("content").getBytes(StandardCharsets.UTF_8);
        String src = args.string("src");
        Path file = LocalFiles.find(src, ctx.fileDirs())
                .orElseThrow(() -> new Args.ArgumentException("file '" + src + "' not found; looked in " + LocalFiles.describe(src, ctx.fileDirs())));
        if (Files.isDirectory(file)) throw new Args.ArgumentException("'" + src + "' is a directory; copy takes a single file");
        return (byte[]) ctx.memo().computeIfAbsent("copy:" + file, k -> read(file));
    }

    private static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.rig.modules;

import dev.rig.facts.PathFact;
import dev.rig.facts.Probe;
import dev.rig.playbook.ArgSpec;
import dev.rig.plan.RenderedFile;
import dev.rig.playbook.LocalFiles;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.rig.playbook.ArgSpec.ArgType.LOCAL_TEMPLATE;
import static dev.rig.playbook.ArgSpec.ArgType.MODE;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/** A FreeMarker {@code .ftl} file rendered locally for each host, then converged like copy. */
public final class TemplateModule implements Module, FileProducer {
    @Override
    public String name() {
        return "template";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("src", LOCAL_TEMPLATE), ArgSpec.required("dest", STRING),
                ArgSpec.optional("mode", MODE), ArgSpec.optional("owner", STRING), ArgSpec.optional("group", STRING),
                ArgSpec.optional("backup", dev.rig.playbook.ArgSpec.ArgType.BOOL), ArgSpec.optional("validate", STRING));
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return FileContent.probe(args.string("dest"), rendered(args, ctx));
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        return FileContent.converge(args.string("dest"), rendered(args, ctx), FileAttributes.from(args),
                PathFact.parse(probeOutput), ctx.noLog(), FileContent.Guard.from(args));
    }

    @Override
    public List<RenderedFile> files(Args args, ModuleContext ctx) {
        return List.of(new RenderedFile(args.string("dest"), rendered(args, ctx), args.mode("mode"), ctx.noLog()));
    }

    private static byte[] rendered(Args args, ModuleContext ctx) {
        String src = args.string("src");
        Path file = LocalFiles.find(src, ctx.templateDirs())
                .orElseThrow(() -> new Args.ArgumentException("template '" + src + "' not found; looked in " + LocalFiles.describe(src, ctx.templateDirs())));
        return (byte[]) ctx.memo().computeIfAbsent("template:" + file,
                k -> ctx.templates().renderFile(file, ctx.vars()).getBytes(StandardCharsets.UTF_8));
    }
}

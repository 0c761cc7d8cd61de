package dev.rig.modules;

import dev.rig.plan.RenderedFile;

import java.util.List;

/**
 * A module whose desired state is whole files computed on the operator's machine (copy, template,
 * compose). {@code rig render} asks it for them without contacting the host.
 */
public interface FileProducer {
    List<RenderedFile> files(Args args, ModuleContext ctx);
}

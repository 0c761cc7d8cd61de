package dev.rig.modules;

import dev.rig.core.Source;
import dev.rig.template.Templates;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a module may know besides its arguments: the host's variables, the template engine, where
 * the task's local files live, and a memo so probe() and plan() can share a rendered template.
 */
public record ModuleContext(String host, Map<String, Object> vars, Templates templates, List<Path> fileDirs,
                            List<Path> templateDirs, Source source, boolean noLog, Map<String, Object> memo) {
    public ModuleContext {
        memo = memo == null ? new HashMap<>() : memo;
    }

    public static ModuleContext forTest(Map<String, Object> vars, List<Path> dirs) {
        return new ModuleContext("test", vars, new Templates(), dirs, dirs, Source.NONE, false, new HashMap<>());
    }
}

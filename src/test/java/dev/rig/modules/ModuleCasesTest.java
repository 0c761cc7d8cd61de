package dev.rig.modules;

import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one runner of module cases: every src/test/resources/modules/MODULE/CASE.case.yml is a test, one
 * file per case (pyinfra's way). A case gives the module's arguments (and variables), the host's answer
 * to its probe (a .probe file beside it, or inline), and what the plan must be:
 *
 * <pre>
 * # what the case shows, in one line
 * args: {path: /srv/app, state: directory, mode: "0750"}
 * probe: directory-create.probe        # or probe_output: |  ...   (absent: the module has no probe)
 * vars: {}                             # optional: the task's variables
 * expect:
 *   action: CREATE                     # NOOP when nothing changes
 *   commands:                          # in order; a string is the description, a map also pins the script
 *     - mkdir /srv/app
 *     - {description: "chmod 0750 /srv/app", script: "chmod 0750 -- /srv/app"}
 *   diffs:
 *     - {resource: /srv/app, before: {state: absent}, after: {state: directory, mode: "0750"}}
 *   failed: true                       # optional, with message_contains: "..."
 * </pre>
 *
 * Every key named under expect is checked exactly; a key the runner does not know is an error.
 */
class ModuleCasesTest {
    private static final Set<String> CASE_KEYS = Set.of("args", "probe", "probe_output", "vars", "expect");
    private static final Set<String> EXPECT_KEYS = Set.of("action", "commands", "diffs", "failed", "message", "message_contains", "changes");

    @TestFactory
    Stream<DynamicTest> everyCaseFile() throws IOException, URISyntaxException {
        Path root = Path.of(ModuleCasesTest.class.getResource("/modules").toURI());
        Modules modules = new Modules();
        List<DynamicTest> tests = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".case.yml")).sorted().toList()) {
                String module = file.getParent().getFileName().toString();
                String name = module + "/" + file.getFileName().toString().replace(".case.yml", "");
                tests.add(DynamicTest.dynamicTest(name, file.toUri(), () -> run(modules.get(module), file)));
            }
        }
        assertFalse(tests.isEmpty(), "no case files under " + root);
        return tests.stream();
    }

    @SuppressWarnings("unchecked")
    static void run(Module module, Path file) throws IOException {
        Map<String, Object> c = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        unknownKeys(file, c.keySet(), CASE_KEYS);
        Map<String, Object> vars = (Map<String, Object>) c.getOrDefault("vars", Map.of());
        Args args = new Args(new LinkedHashMap<>((Map<String, Object>) c.getOrDefault("args", Map.of())));
        String probe = c.containsKey("probe") ? Files.readString(file.resolveSibling((String) c.get("probe"))) : (String) c.get("probe_output");
        Outcome o = module.plan(args, probe, ModuleTests.ctx(vars));

        Map<String, Object> expect = (Map<String, Object>) c.get("expect");
        if (expect == null) throw new AssertionError(file + ": no expect:");
        unknownKeys(file, expect.keySet(), EXPECT_KEYS);
        String where = file.getFileName() + ": ";
        assertEquals(expect.getOrDefault("failed", false), o.failed(), () -> where + "failed? message: " + o.message());
        if (expect.containsKey("message")) assertEquals(expect.get("message"), o.message(), where + "message");
        if (expect.containsKey("message_contains")) {
            assertTrue(String.valueOf(o.message()).contains((String) expect.get("message_contains")), () -> where + "message: " + o.message());
        }
        if (expect.containsKey("action")) assertEquals(expect.get("action"), o.change().action().name(), () -> where + "action; commands: " + o.change().commands());
        if (expect.containsKey("changes")) assertEquals(expect.get("changes"), o.change().changes(), () -> where + "changes; commands: " + o.change().commands());
        if (expect.containsKey("commands")) {
            List<Object> want = (List<Object>) expect.get("commands");
            List<HostCommand> got = o.change().commands();
            assertEquals(want.size(), got.size(), () -> where + "commands: " + got.stream().map(HostCommand::description).toList());
            for (int i = 0; i < want.size(); i++) {
                Object w = want.get(i);
                HostCommand g = got.get(i);
                if (w instanceof Map<?, ?> m) {
                    assertEquals(m.get("description"), g.description(), where + "command " + i);
                    if (m.containsKey("script")) assertEquals(m.get("script"), g.script(), where + "script of " + g.description());
                } else {
                    assertEquals(w, g.description(), where + "command " + i);
                }
            }
        }
        if (expect.containsKey("diffs")) {
            List<Map<String, Object>> want = (List<Map<String, Object>>) expect.get("diffs");
            List<Diff> got = o.change().diffs();
            assertEquals(want.size(), got.size(), () -> where + "diffs: " + got);
            for (int i = 0; i < want.size(); i++) {
                Map<String, Object> w = want.get(i);
                Diff g = got.get(i);
                if (w.containsKey("resource")) assertEquals(w.get("resource"), g.resource(), where + "diff resource");
                if (w.containsKey("before")) assertEquals(strings((Map<String, Object>) w.get("before")), g.before(), where + "before of " + g.resource());
                if (w.containsKey("after")) assertEquals(strings((Map<String, Object>) w.get("after")), g.after(), where + "after of " + g.resource());
            }
        }
    }

    private static Map<String, String> strings(Map<String, Object> m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.forEach((k, v) -> out.put(k, String.valueOf(v)));
        return out;
    }

    private static void unknownKeys(Path file, Set<String> keys, Set<String> known) {
        for (String k : keys) if (!known.contains(k)) throw new AssertionError(file + ": unknown key '" + k + "' (known: " + known + ")");
    }
}

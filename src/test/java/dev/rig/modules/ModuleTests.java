package dev.rig.modules;

import dev.rig.core.Source;
import dev.rig.facts.Probe;
import dev.rig.plan.HostCommand;
import dev.rig.template.Templates;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What module tests share: arguments and contexts as plain values, probe fixtures (what a host
 * would print), and a local "host" — /bin/sh in a temp directory — that runs probes and commands
 * exactly as {@code rig apply} would over SSH.
 */
final class ModuleTests {
    private ModuleTests() {}

    /** Arguments from alternating names and values; null values are kept, as YAML gives them. */
    static Args args(Object... namesAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        return new Args(values);
    }

    static ModuleContext ctx() {
        return ctx(Map.of());
    }

    static ModuleContext ctx(Map<String, Object> vars, Path... dirs) {
        return ModuleContext.forTest(vars, List.of(dirs));
    }

    static ModuleContext noLogCtx() {
        return new ModuleContext("test", Map.of(), new Templates(), List.of(), List.of(), Source.NONE, true, new HashMap<>());
    }

    /** src/test/resources/modules/MODULE/CASE.probe: the probe output of one case. */
    static String fixture(String module, String testCase) {
        String name = "/modules/" + module + "/" + testCase + ".probe";
        try (InputStream in = ModuleTests.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalArgumentException("no fixture " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<String> descriptions(Outcome outcome) {
        return outcome.change().commands().stream().map(HostCommand::description).toList();
    }

    static String onlyScript(Outcome outcome) {
        assertEquals(1, outcome.change().commands().size(), () -> "commands: " + descriptions(outcome));
        return outcome.change().commands().get(0).script();
    }

    static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    // --- the local host -------------------------------------------------------------------

    record Ran(int rc, String stdout, String stderr) {}

    /** Runs a script as the engine does on a host: {@code sh -c SCRIPT}, stdin fed then closed. */
    static Ran sh(Path dir, String script, byte[] stdin) {
        try {
            Process p = new ProcessBuilder("sh", "-c", script).directory(dir.toFile()).start();
            CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
            CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
            try (OutputStream in = p.getOutputStream()) {
                if (stdin != null) in.write(stdin);
            } catch (IOException ignored) {
                // the script may exit without reading its input (e.g. cd failed)
            }
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("script did not finish within 60 s:\n" + script);
            }
            return new Ran(p.exitValue(), utf8(out.join()), utf8(err.join()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static byte[] readAll(InputStream in) {
        try (in) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** probe (run locally) → plan. */
    static Outcome planLocally(Module module, Args args, ModuleContext ctx, Path dir) {
        Probe probe = module.probe(args, ctx);
        String output = null;
        if (probe != null) {
            Ran ran = sh(dir, probe.script(), null);
            assertEquals(0, ran.rc(), () -> "probe failed: " + ran.stderr() + "\n" + probe.script());
            output = ran.stdout();
        }
        return module.plan(args, output, ctx);
    }

    /** Runs the outcome's commands in order and stops at the first failure, as {@code rig apply} does; returns the last run. */
    static Ran apply(Outcome outcome, Path dir) {
        Ran last = new Ran(0, "", "");
        for (HostCommand c : outcome.change().commands()) {
            last = sh(dir, c.script(), c.stdin());
            if (last.rc() != 0) break;
        }
        return last;
    }

    /**
     * The strongest check of a module: read → plan → apply → read again → plan shows no change.
     * Returns the first plan so callers can assert what it decided.
     */
    static Outcome converge(Module module, Args args, ModuleContext ctx, Path dir) {
        Outcome first = planLocally(module, args, ctx, dir);
        assertFalse(first.failed(), first::message);
        Ran ran = apply(first, dir);
        assertEquals(0, ran.rc(), () -> "apply failed: " + ran.stderr() + "\ncommands: " + scripts(first));
        Outcome second = planLocally(module, args, ctx, dir);
        assertFalse(second.failed(), second::message);
        assertFalse(second.change().changes(), () -> "second plan still changes: " + scripts(second));
        return first;
    }

    private static List<String> scripts(Outcome outcome) {
        List<String> out = new ArrayList<>();
        outcome.change().commands().forEach(c -> out.add(c.script()));
        return out;
    }

    static void assertNoLeftoverTempFiles(Path dir) throws IOException {
        try (var files = java.nio.file.Files.list(dir)) {
            List<String> temps = files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".rig-")).toList();
            assertTrue(temps.isEmpty(), () -> "temp files left behind: " + temps);
        }
    }
}

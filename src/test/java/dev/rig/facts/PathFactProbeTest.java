package dev.rig.facts;

import dev.rig.apply.ProbeBatch;
import dev.rig.core.Digests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The path probe run by a real sh on real files: what it reports, and what it costs — one stat and at
 * most one sha256sum per path (counted by wrappers put first on PATH), inline in a batch of several.
 */
class PathFactProbeTest {
    private record Ran(int rc, String out, String err) {}

    /** Runs script under sh with stat and sha256sum wrapped to log each call to dir/calls. */
    private static Ran sh(Path dir, String script) throws IOException, InterruptedException {
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        for (String tool : List.of("stat", "sha256sum")) {
            Path w = bin.resolve(tool);
            Files.writeString(w, "#!/bin/sh\necho " + tool + " >> " + dir.resolve("calls") + "\nexec /usr/bin/" + tool + " \"$@\"\n");
            Files.setPosixFilePermissions(w, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        ProcessBuilder pb = new ProcessBuilder("sh", "-c", script).directory(dir.toFile());
        pb.environment().put("PATH", bin + ":" + System.getenv("PATH"));
        Process p = pb.start();
        p.getOutputStream().close();
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return new Ran(p.exitValue(), out.join(), err.join());
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> calls(Path dir) throws IOException {
        Path log = dir.resolve("calls");
        return Files.exists(log) ? Files.readAllLines(log) : List.of();
    }

    @Test
    void aFileCostsOneStatAndOneChecksumAndItsContentComesBackWhenSmall(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("it's a file");
        Files.writeString(f, "abc\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-r-----"));
        Ran ran = sh(dir, PathFact.probe(f.toString(), PathFact.Want.content(100)).script());
        assertEquals(0, ran.rc(), ran.err());
        PathFact.State s = PathFact.parse(ran.out());
        assertEquals("file", s.kind());
        assertEquals("0640", s.mode());
        assertEquals(4, s.size());
        assertEquals(Digests.sha256("abc\n".getBytes(StandardCharsets.UTF_8)), s.sha256());
        assertEquals("abc\n", s.contentText());
        assertEquals(List.of("stat", "sha256sum"), calls(dir));
    }

    @Test
    void contentStaysOnTheHostWhenTooLargeOrAsExpected(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("f");
        Files.writeString(f, "0123456789");
        String sha = Digests.sha256("0123456789".getBytes(StandardCharsets.UTF_8));
        assertNull(PathFact.parse(sh(dir, PathFact.probe(f.toString(), PathFact.Want.content(9)).script()).out()).content());
        assertEquals("0123456789", PathFact.parse(sh(dir, PathFact.probe(f.toString(), PathFact.Want.content(10)).script()).out()).contentText());
        assertNull(PathFact.parse(sh(dir, PathFact.probe(f.toString(), PathFact.Want.contentIfDifferent(sha, 100)).script()).out()).content());
        PathFact.State differs = PathFact.parse(sh(dir, PathFact.probe(f.toString(), PathFact.Want.contentIfDifferent("0".repeat(64), 100)).script()).out());
        assertEquals("0123456789", differs.contentText());
        assertEquals(sha, differs.sha256());
        assertNull(PathFact.parse(sh(dir, PathFact.probe(f.toString(), PathFact.Want.contentIfDifferent("0".repeat(64), 5)).script()).out()).content());
        assertNull(PathFact.parse(sh(dir, PathFact.probe(f.toString(), PathFact.Want.METADATA).script()).out()).sha256());
    }

    @Test
    void absentDirectoryAndLinkAreToldApartWithoutAChecksum(@TempDir Path dir) throws Exception {
        Files.createDirectory(dir.resolve("d"));
        Files.writeString(dir.resolve("target"), "x");
        Files.createSymbolicLink(dir.resolve("l"), dir.resolve("target"));
        Ran absent = sh(dir, PathFact.probe(dir.resolve("none").toString(), PathFact.Want.checksum()).script());
        assertEquals(0, absent.rc());
        assertTrue(!PathFact.parse(absent.out()).exists());
        assertEquals(List.of(), calls(dir), "an absent path costs no process at all");
        assertEquals("directory", PathFact.parse(sh(dir, PathFact.probe(dir.resolve("d").toString(), PathFact.Want.checksum()).script()).out()).kind());
        PathFact.State link = PathFact.parse(sh(dir, PathFact.probe(dir.resolve("l").toString(), PathFact.Want.content(100)).script()).out());
        assertEquals("link", link.kind());
        assertEquals(dir.resolve("target").toString(), link.target());
        assertNull(link.sha256());
        assertEquals(List.of("stat", "stat"), calls(dir), "no checksum for a directory or a link");
    }

    @Test
    void aFailedStatFailsTheProbe(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("f"), "x");
        Path bin = dir.resolve("bin");
        Files.createDirectories(bin);
        String script = PathFact.probe(dir.resolve("f").toString(), PathFact.Want.checksum()).script();
        // a stat that fails, as one refused by the file system would
        Ran ran = sh(dir, "stat() { return 3; }\n" + script);
        assertNotEquals(0, ran.rc());
    }

    @Test
    void inlineInABatchEachProbeKeepsItsOwnAnswerAndStatus(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a"), "one");
        Files.writeString(dir.resolve("b"), "two");
        List<Probe> probes = List.of(PathFact.probe(dir.resolve("a").toString(), PathFact.Want.content(100)),
                PathFact.probe(dir.resolve("missing").toString(), PathFact.Want.content(100)),
                PathFact.probe(dir.resolve("b").toString(), PathFact.Want.content(100)));
        assertTrue(probes.stream().allMatch(Probe::inline));
        String batch = ProbeBatch.scriptOfParts(probes.stream().map(p -> new ProbeBatch.Part(p.script(), p.inline())).toList(), "n0nce");
        Ran ran = sh(dir, batch);
        Map<Integer, ProbeBatch.Output> outs = ProbeBatch.parse(ran.out(), "n0nce");
        assertEquals(3, outs.size(), ran.out());
        assertEquals("one", PathFact.parse(outs.get(0).text()).contentText());
        assertTrue(!PathFact.parse(outs.get(1).text()).exists());
        assertEquals("two", PathFact.parse(outs.get(2).text()).contentText(), "no variable of an earlier probe leaks into a later one");
        assertEquals(0, outs.get(0).exitCode() + outs.get(1).exitCode() + outs.get(2).exitCode());
        assertEquals(List.of("stat", "sha256sum", "stat", "sha256sum"), calls(dir));
        assertEquals(java.util.Set.of(dir.resolve("a").toString()), probes.get(0).reads());
    }

    /** Every kind of path, each wanted several ways, some twice: the batch's answers must be each probe's own. */
    private static List<Probe> manyProbes(Path dir) throws IOException {
        Files.writeString(dir.resolve("a"), "one");
        Files.createDirectory(dir.resolve("d"));
        Files.createSymbolicLink(dir.resolve("l"), dir.resolve("a"));
        Files.writeString(dir.resolve("it's \\ odd"), "two");
        Files.writeString(dir.resolve("new\nline"), "three");
        Files.write(dir.resolve("big"), new byte[300]);
        List<PathFact.Want> wants = List.of(PathFact.Want.METADATA, PathFact.Want.checksum(), PathFact.Want.content(100),
                PathFact.Want.contentIfDifferent("0".repeat(64), 100), PathFact.Want.contentIfDifferent(Digests.sha256("one".getBytes(StandardCharsets.UTF_8)), 100));
        List<Probe> probes = new java.util.ArrayList<>();
        for (String name : List.of("a", "d", "l", "missing", "it's \\ odd", "new\nline", "big", "a"))
            for (PathFact.Want w : wants) probes.add(PathFact.probe(dir.resolve(name).toString(), w));
        return probes;
    }

    private static String batch(List<Probe> probes, boolean shared) {
        return ProbeBatch.scriptOfParts(probes.stream().map(p -> new ProbeBatch.Part(p.script(), p.inline(), shared ? p.path() : null)).toList(), "n0nce");
    }

    @Test
    void pathProbesInOneBatchShareOneStatAndOneChecksumAndAnswerAsEachAlone(@TempDir Path dir) throws Exception {
        List<Probe> probes = manyProbes(dir);
        Ran alone = sh(dir, batch(probes, false));
        int callsAlone = calls(dir).size();
        Files.delete(dir.resolve("calls"));
        Ran shared = sh(dir, batch(probes, true));
        assertEquals(0, shared.rc(), shared.err());
        assertEquals(List.of("stat", "sha256sum"), calls(dir), "one stat and one sha256sum for the whole batch");
        assertTrue(callsAlone > 30, "each probe alone costs its own: " + callsAlone);
        Map<Integer, ProbeBatch.Output> a = ProbeBatch.parse(alone.out(), "n0nce");
        Map<Integer, ProbeBatch.Output> b = ProbeBatch.parse(shared.out(), "n0nce");
        assertEquals(probes.size(), b.size());
        assertEquals(a, b, "the same answer, byte for byte, as each probe run alone");
        assertEquals("one", PathFact.parse(b.get(2).text()).contentText());
        assertEquals("three", PathFact.parse(b.get(5 * 5 + 2).text()).contentText(), "a name with a newline in it");
        assertNull(PathFact.parse(b.get(4).text()).content(), "content as expected stays on the host");
    }

    @Test
    void aPathThatChangesBetweenTheSharedStatAndChecksumMakesEachProbeReadItsOwn(@TempDir Path dir) throws Exception {
        List<Probe> probes = manyProbes(dir);
        Ran alone = sh(dir, batch(probes, false));
        // a sha256sum of several files that loses one line, as when a file goes away between stat and read
        String racing = "sha256sum() { if [ $# -ge 2 ]; then command sha256sum \"$@\" | sed 1d; else command sha256sum \"$@\"; fi; }\n";
        Ran shared = sh(dir, racing + batch(probes, true));
        assertEquals(ProbeBatch.parse(alone.out(), "n0nce"), ProbeBatch.parse(shared.out(), "n0nce"),
                "no answer shifted onto the wrong path: each probe fell back to its own stat and checksum");
    }
}

package dev.rig.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --help and -h on every command and subcommand print its usage and exit 0; --version names the commit. */
class HelpAndVersionTest {
    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** Every command path (["plan"], ["lab", "up"], ...) in rig's command tree, found from picocli's model. */
    private static List<List<String>> commandPaths() {
        List<List<String>> paths = new ArrayList<>();
        walk(new CommandLine(new Main()), new ArrayList<>(), paths);
        return paths;
    }

    private static void walk(CommandLine cmd, List<String> path, List<List<String>> paths) {
        for (var sub : cmd.getSubcommands().entrySet()) {
            if (sub.getKey().equals("help")) continue; // picocli's own help command
            List<String> p = new ArrayList<>(path);
            p.add(sub.getKey());
            paths.add(p);
            walk(sub.getValue(), p, paths);
        }
    }

    @Test
    void everySubcommandPrintsItsUsageOnHelpAndExitsZero() {
        List<List<String>> paths = commandPaths();
        assertTrue(paths.size() >= 13, "expected every rig subcommand, found " + paths);
        for (List<String> path : paths) {
            for (String flag : List.of("--help", "-h")) {
                List<String> args = new ArrayList<>(path);
                args.add(flag);
                Result r = run(args.toArray(String[]::new));
                assertEquals(0, r.code(), "rig " + String.join(" ", args) + " exited " + r.code() + ": " + r.err());
                assertTrue(r.out().startsWith("Usage: rig " + String.join(" ", path)), "rig " + String.join(" ", args) + " printed: " + r.out());
                assertEquals("", r.err(), "rig " + String.join(" ", args));
            }
        }
    }

    @Test
    void helpComesBeforeRequiredParametersAreChecked() {
        Result r = run("recover", "--help");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("--to=HOST"), r.out());
        assertTrue(run("render", "-h").out().contains("--out=DIR"));
    }

    @Test
    void versionNamesTheCommitTheJarWasBuiltFrom() {
        for (String flag : List.of("--version", "-V")) {
            Result r = run(flag);
            assertEquals(0, r.code(), r.err());
            // a commit hash (with -dirty when built from uncommitted changes), or an honest "no git commit"
            assertTrue(r.out().strip().matches("rig \\d+\\.\\d+\\.\\d+\\S* \\((commit [0-9a-f]{7,40}(-dirty)?|no git commit)\\)"), r.out());
        }
        Result sub = run("plan", "--version");
        assertEquals(0, sub.code(), sub.err());
        assertEquals(run("--version").out(), sub.out());
    }

    @Test
    void theCommitIsTheOneThisCheckoutIsAt() throws Exception {
        java.nio.file.Path project = java.nio.file.Path.of(System.getProperty("rig.project.dir", "."));
        String v = run("--version").out();
        if (!java.nio.file.Files.exists(project.resolve(".git"))) {
            assertTrue(v.contains("(no git commit)"), "built outside a git checkout: " + v);
            return;
        }
        String head = git(project, "rev-parse", "HEAD").strip();
        assertTrue(head.matches("[0-9a-f]{40}"), "git rev-parse HEAD: " + head);
        // git describe --dirty, as the build wrote it: the commit's first 12 digits, "-dirty" with uncommitted changes
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\(commit ([0-9a-f]+)(-dirty)?\\)").matcher(v);
        assertTrue(m.find(), "built in a git checkout, yet: " + v);
        assertTrue(m.group(1).length() >= 12 && head.startsWith(m.group(1)), "--version names " + m.group(1) + ", HEAD is " + head);
    }

    private static String git(java.nio.file.Path dir, String... args) throws Exception {
        java.util.List<String> command = new java.util.ArrayList<>(java.util.List.of("git", "-C", dir.toString()));
        command.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, "git " + String.join(" ", args) + ": " + out);
        return out;
    }
}

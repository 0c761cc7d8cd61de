package dev.rig.connect;

import dev.rig.cli.Main;
import dev.rig.core.Shell;
import java.io.File;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What one run of the rig command line printed, and its exit code; in this JVM, or in a new one with its own environment. */
record CliRun(int exit, String out, String err, long millis) {
    private static final long SUBPROCESS_BOUND_SECONDS = 120;

    static CliRun inProcess(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        return new CliRun(code, out.toString(), err.toString(), (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * rig in a JVM of its own, started with this JVM's class path and extra environment variables: how
     * $SSH_AUTH_SOCK and $RIG_SSH_KEY_PASSPHRASE are really read. Its stdin is /dev/null and it has no terminal.
     */
    static CliRun subprocess(Map<String, String> environment, List<String> args) throws Exception {
        return subprocess(List.of(), environment, args);
    }

    /** As above, with options for the new JVM (-Xmx64m, -Djdk.net.hosts.file=...). */
    static CliRun subprocess(List<String> jvmOptions, Map<String, String> environment, List<String> args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(rigInNewJvm(jvmOptions, args)).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        long start = System.nanoTime();
        Process process = builder.start();
        var err = java.util.concurrent.CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        String out = readAll(process.getInputStream());
        if (!process.waitFor(SUBPROCESS_BOUND_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("rig " + args + " did not finish within " + SUBPROCESS_BOUND_SECONDS + " s");
        }
        return new CliRun(process.exitValue(), out, err.get(), (System.nanoTime() - start) / 1_000_000);
    }

    /**
     * rig in a JVM of its own on a pseudo-terminal (util-linux's script), as an operator runs it: each time
     * the terminal shows prompt, answer is typed, only then, as a person would (typed earlier, the terminal
     * would echo it before rig could turn echo off). out is everything the terminal showed.
     */
    static CliRun onTerminal(List<String> args, String prompt, String answer) throws Exception {
        String commandLine = Shell.join(rigInNewJvm(List.of(), args));
        long start = System.nanoTime();
        Process process = new ProcessBuilder("script", "--quiet", "--return", "--command", commandLine, "/dev/null")
                .redirectErrorStream(true).start();
        StringBuilder shown = new StringBuilder();
        int answered = 0;
        try (InputStream terminal = process.getInputStream(); OutputStream keyboard = process.getOutputStream()) {
            byte[] buffer = new byte[4096];
            for (int read = terminal.read(buffer); read >= 0; read = terminal.read(buffer)) {
                shown.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
                int prompts = shown.toString().split(java.util.regex.Pattern.quote(prompt), -1).length - 1;
                for (; answered < prompts; answered++) {
                    keyboard.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
                    keyboard.flush();
                }
            }
        }
        if (!process.waitFor(SUBPROCESS_BOUND_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("rig " + args + " did not finish within " + SUBPROCESS_BOUND_SECONDS + " s");
        }
        return new CliRun(process.exitValue(), shown.toString(), "", (System.nanoTime() - start) / 1_000_000);
    }

    /** The command line of rig's Main in a new JVM with this JVM's class path, tuned for a short run as the ./rig launcher is. */
    private static List<String> rigInNewJvm(List<String> jvmOptions, List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        return command;
    }

    String all() {
        return out + err;
    }

    /** The recap line for host has these counts, e.g. recap("web1", "ok=1\\s+changed=0"). */
    boolean recap(String host, String countsRegex) {
        return java.util.regex.Pattern.compile("(?m)^" + java.util.regex.Pattern.quote(host) + "\\s+:\\s+" + countsRegex).matcher(out).find();
    }

    @Override
    public String toString() {
        return "exit " + exit + " after " + millis + " ms\n--- out\n" + out + "--- err\n" + err;
    }

    private static String readAll(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}

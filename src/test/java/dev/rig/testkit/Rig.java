package dev.rig.testkit;

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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One run of the real rig command line and what it printed: in this JVM (the usual way), in a JVM of
 * its own with its own environment, or on a pseudo-terminal. The one CLI runner of the tests.
 */
public record Rig(int exit, String out, String err, long millis, Supplier<String> context) {
    private static final long SUBPROCESS_BOUND_SECONDS = 120;

    public Rig(int exit, String out, String err) {
        this(exit, out, err, 0, () -> "");
    }

    /** rig ARGS in this JVM. */
    public static Rig run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        long start = System.nanoTime();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        return new Rig(code, out.toString(), err.toString(), (System.nanoTime() - start) / 1_000_000, () -> "");
    }

    public static Rig run(String... args) {
        return run(List.of(args));
    }

    /** rig COMMAND -i INVENTORY --known-hosts KNOWN_HOSTS MORE... in this JVM. */
    public static Rig run(Path inventory, Path knownHosts, String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "-i", inventory.toString(), "--known-hosts", knownHosts.toString()));
        args.addAll(Arrays.asList(more));
        return run(args);
    }

    /** The same run, its toString() followed by what context says then (e.g. the daemons' logs). */
    public Rig explainedBy(Supplier<String> more) {
        return new Rig(exit, out, err, millis, more);
    }

    /**
     * rig in a JVM of its own, started with this JVM's class path and extra environment variables: how
     * $SSH_AUTH_SOCK and $RIG_SSH_KEY_PASSPHRASE are really read. Its stdin is /dev/null and it has no terminal.
     */
    public static Rig subprocess(Map<String, String> environment, List<String> args) throws Exception {
        return subprocess(List.of(), environment, args);
    }

    /** As above, with options for the new JVM (-Xmx64m, -Djdk.net.hosts.file=...). */
    public static Rig subprocess(List<String> jvmOptions, Map<String, String> environment, List<String> args) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(rigInNewJvm(jvmOptions, args)).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        builder.environment().putAll(environment);
        long start = System.nanoTime();
        Process process = builder.start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(process.getErrorStream()));
        String out = readAll(process.getInputStream());
        if (!process.waitFor(SUBPROCESS_BOUND_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("rig " + args + " did not finish within " + SUBPROCESS_BOUND_SECONDS + " s");
        }
        return new Rig(process.exitValue(), out, err.get(), (System.nanoTime() - start) / 1_000_000, () -> "");
    }

    /**
     * rig in a JVM of its own on a pseudo-terminal (util-linux's script), as an operator runs it: each time
     * the terminal shows prompt, answer is typed, only then, as a person would (typed earlier, the terminal
     * would echo it before rig could turn echo off). out is everything the terminal showed.
     */
    public static Rig onTerminal(List<String> args, String prompt, String answer) throws Exception {
        return onTerminal(args, prompt, answer, () -> { });
    }

    /** As above; beforeAnswer runs each time the prompt has appeared, before the answer is typed. */
    public static Rig onTerminal(List<String> args, String prompt, String answer, Runnable beforeAnswer) throws Exception {
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
                int prompts = shown.toString().split(Pattern.quote(prompt), -1).length - 1;
                for (; answered < prompts; answered++) {
                    beforeAnswer.run();
                    keyboard.write((answer + "\n").getBytes(StandardCharsets.UTF_8));
                    keyboard.flush();
                }
            }
        }
        if (!process.waitFor(SUBPROCESS_BOUND_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("rig " + args + " did not finish within " + SUBPROCESS_BOUND_SECONDS + " s");
        }
        return new Rig(process.exitValue(), shown.toString(), "", (System.nanoTime() - start) / 1_000_000, () -> "");
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

    public String all() {
        return out + err;
    }

    public List<String> lines() {
        return new ArrayList<>(List.of(out.split("\n")));
    }

    /** A figure of the recap line of one host, e.g. recap("web1", "changed") from "web1 : ok=3 changed=2 ...". */
    public int recap(String host, String field) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(host) + "\\s+:.*\\b" + field + "=(\\d+)").matcher(out);
        if (!m.find()) throw new AssertionError("no " + field + " for " + host + " in the recap:\n" + this);
        return Integer.parseInt(m.group(1));
    }

    /** The recap line for host has these counts, e.g. recapMatches("web1", "ok=1\\s+changed=0"). */
    public boolean recapMatches(String host, String countsRegex) {
        return Pattern.compile("(?m)^" + Pattern.quote(host) + "\\s+:\\s+" + countsRegex).matcher(out).find();
    }

    @Override
    public String toString() {
        String more = context.get();
        return "exit " + exit + (millis > 0 ? " after " + millis + " ms" : "") + "\n--- out\n" + out + "--- err\n" + err + (more.isEmpty() ? "" : "--- context\n" + more);
    }

    private static String readAll(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (java.io.IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}

package dev.rig.connect;

import dev.rig.cli.Main;
import java.io.File;
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
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName()));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
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

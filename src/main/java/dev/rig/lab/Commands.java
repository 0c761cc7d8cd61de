package dev.rig.lab;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs the local helper programs the lab needs (ssh-keygen, nsenter) and hands back what they print. */
final class Commands {
    private Commands() {}

    /** Runs argv with stdin from /dev/null; returns stdout, or throws with stderr when it fails or overruns timeout. */
    static String run(List<String> argv, Duration timeout) {
        Process process;
        try {
            process = new ProcessBuilder(argv).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + argv.get(0), e);
        }
        // Both pipes are drained at once so that a chatty stderr cannot block the command.
        CompletableFuture<String> stdout = drain(process.getInputStream());
        CompletableFuture<String> stderr = drain(process.getErrorStream());
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(argv.get(0) + " did not finish within " + timeout.toSeconds() + " s: " + argv);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + argv);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException(argv.get(0) + " exited with status " + process.exitValue() + ": "
                    + stderr.join().strip() + "\n(command: " + argv + ")");
        }
        return stdout.join();
    }

    /** Reads a pipe to its end on a thread of its own: pooled threads could starve each other while blocked. */
    private static CompletableFuture<String> drain(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "(unreadable: " + e.getMessage() + ")";
            }
        }, task -> {
            Thread thread = new Thread(task, "lab-command-output");
            thread.setDaemon(true);
            thread.start();
        });
    }
}

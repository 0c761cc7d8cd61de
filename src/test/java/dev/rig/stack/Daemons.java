package dev.rig.stack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * Real programs a test starts (Prometheus, exporters, Caddy, PostgreSQL), each with its output in a log
 * file; stopped by their own PIDs, newest first, when the test closes this.
 */
public final class Daemons implements AutoCloseable {
    private final Path logDir;
    private final Deque<Daemon> started = new ConcurrentLinkedDeque<>();

    public Daemons(Path logDir) {
        this.logDir = logDir;
    }

    /** A started program; stop() ends it (TERM, then KILL after 10 s). */
    public record Daemon(String name, Process process, Path log) {
        public void stop() {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        public String tail() {
            try {
                List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
                return String.join("\n", lines.subList(Math.max(0, lines.size() - 12), lines.size()).stream()
                        .map(l -> l.length() > 400 ? l.substring(0, 400) + "..." : l).toList());
            } catch (IOException e) {
                return "(no log: " + e + ")";
            }
        }
    }

    public Daemon start(String name, List<String> command) {
        return start(name, Map.of(), false, command, null);
    }

    /** env: added to this JVM's environment, or the whole environment when replace. */
    public Daemon start(String name, Map<String, String> env, boolean replace, List<String> command, Path workDir) {
        try {
            Path log = Files.createDirectories(logDir).resolve(name + ".log");
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            if (workDir != null) pb.directory(workDir.toFile());
            Map<String, String> environment = pb.environment();
            if (replace) environment.clear();
            // Nothing may go through a proxy: all the traffic stays on loopback.
            Stream.of("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY").forEach(environment::remove);
            environment.putAll(env);
            Daemon d = new Daemon(name, pb.start(), log);
            started.addFirst(d);
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException("starting " + name + " (" + command.get(0) + "; its package installed?)", e);
        }
    }

    /** Waits until ready, failing at once with the program's log when it exits, or after bound. */
    public static void awaitStart(Daemon d, Duration bound, BooleanSupplier ready) {
        long deadline = System.nanoTime() + bound.toNanos();
        while (!ready.getAsBoolean()) {
            if (!d.process().isAlive()) throw new AssertionError(d.name() + " exited with " + d.process().exitValue() + ":\n" + d.tail());
            if (System.nanoTime() > deadline) throw new AssertionError(d.name() + " not ready within " + bound.toSeconds() + " s:\n" + d.tail());
            pause(100);
        }
    }

    /** Every program's log tail, oldest first, for failure messages. */
    public String logs() {
        StringBuilder s = new StringBuilder();
        List<Daemon> oldestFirst = new ArrayList<>(started);
        java.util.Collections.reverse(oldestFirst);
        for (Daemon d : oldestFirst) {
            s.append("--- ").append(d.name()).append(d.process().isAlive() ? "" : " (exited " + d.process().exitValue() + ")").append('\n')
                    .append(d.tail()).append('\n');
        }
        return s.toString();
    }

    @Override
    public void close() {
        Daemon d;
        while ((d = started.pollFirst()) != null) d.stop();
    }

    public static void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

package dev.rig.apply;

import dev.rig.ssh.ExecResult;
import dev.rig.ssh.SshException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A host reached without SSH: the operator's own machine ({@code ansible_connection: local}, or
 * the implicit {@code localhost}). Runs the same command lines through {@code sh -c}.
 */
final class LocalRemote implements Remote {
    private final AtomicInteger runs = new AtomicInteger();

    @Override
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws SshException {
        return execReading(command, dev.rig.core.Payload.of(stdin), timeout);
    }

    /** Streams input to the command (a local copy's src may be larger than memory). */
    @Override
    public ExecResult execReading(String command, dev.rig.core.Payload input, Duration timeout) throws SshException {
        Process p = start(command);
        CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        try (OutputStream in = p.getOutputStream()) {
            if (input != null) {
                try (java.io.InputStream from = input.open()) {
                    from.transferTo(in);
                }
            }
        } catch (IOException e) {
            // The command exited without reading all its input; its exit status says what happened.
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new SshException(SshException.Kind.TIMEOUT, "local command timed out after " + timeout.toSeconds() + " s");
            }
            return new ExecResult(p.exitValue(), out.join(), err.join());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new SshException(SshException.Kind.CHANNEL, "interrupted", e);
        }
    }

    @Override
    public AutoCloseable hold(String command, String readyMarker, Duration timeout) throws SshException {
        Process p = start(command);
        CompletableFuture<Boolean> ready = CompletableFuture.supplyAsync(() -> {
            try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(p.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))) {
                for (String l = lines.readLine(); l != null; l = lines.readLine()) {
                    if (l.contains(readyMarker)) return true;
                }
            } catch (IOException e) {
                return false;
            }
            return false;
        });
        try {
            if (Boolean.TRUE.equals(ready.get(timeout.toMillis(), TimeUnit.MILLISECONDS))) {
                return () -> {
                    p.getOutputStream().close();
                    p.destroy();
                };
            }
            String err = new String(readAll(p.getErrorStream()), java.nio.charset.StandardCharsets.UTF_8).strip();
            throw new SshException(SshException.Kind.CHANNEL, err.isEmpty() ? "local held command ended before it was ready" : err);
        } catch (java.util.concurrent.TimeoutException e) {
            p.destroyForcibly();
            throw new SshException(SshException.Kind.TIMEOUT, "local held command not ready within " + timeout.toSeconds() + " s");
        } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
            p.destroyForcibly();
            throw new SshException(SshException.Kind.CHANNEL, "local held command failed: " + e.getMessage(), e);
        }
    }

    private Process start(String command) throws SshException {
        runs.incrementAndGet();
        try {
            return new ProcessBuilder("sh", "-c", command).start();
        } catch (IOException e) {
            throw new SshException(SshException.Kind.CHANNEL, "cannot run a local command: " + e.getMessage(), e);
        }
    }

    private static byte[] readAll(InputStream s) {
        try (s) {
            return s.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    @Override
    public int channelsOpened() {
        return runs.get();
    }

    @Override
    public void close() {
    }
}

package dev.rig.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * OpenSSH's ProxyCommand for MINA, which only connects sockets: the command runs as ssh runs it
 * ({@code /bin/sh -c "exec COMMAND"}), and a one-connection listener on the loopback joins the socket MINA
 * opens to the command's stdin and stdout. The relay ends with the connection: either side closing closes
 * the other, and the command is stopped. Its stderr is kept (the last few kilobytes) to say why a connection
 * through it failed.
 */
final class ProxyCommandRelay {
    private static final int STDERR_KEPT = 4096;

    private final String command;
    private final ServerSocket listener;
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private volatile Process process;
    private volatile Thread stderrReader;

    private ProxyCommandRelay(String command, ServerSocket listener) {
        this.command = command;
        this.listener = listener;
    }

    /**
     * ProxyCommand's %-tokens as ssh expands them: %h the host name to connect to, %p the port, %r the remote
     * user, %n the host as originally given, %% a percent sign.
     *
     * @throws IllegalArgumentException naming a token ssh would not expand there
     */
    static String expand(String command, String hostName, int port, String user, String originalHost) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < command.length(); i++) {
            char c = command.charAt(i);
            if (c != '%') {
                out.append(c);
                continue;
            }
            if (i + 1 == command.length()) throw new IllegalArgumentException("ProxyCommand ends with a lone %: write %% for a percent sign");
            char token = command.charAt(++i);
            switch (token) {
                case 'h' -> out.append(hostName);
                case 'p' -> out.append(port);
                case 'r' -> out.append(user);
                case 'n' -> out.append(originalHost);
                case '%' -> out.append('%');
                default -> throw new IllegalArgumentException("ProxyCommand token %" + token + " is not one rig expands (%h, %p, %r, %n, %%)");
            }
        }
        return out.toString();
    }

    /** Listens on a free loopback port for MINA's one connection; gives up listening after acceptWithin. */
    static ProxyCommandRelay start(String command, Duration acceptWithin) throws IOException {
        ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        listener.setSoTimeout((int) Math.max(1, Math.min(Integer.MAX_VALUE, acceptWithin.toMillis())));
        ProxyCommandRelay relay = new ProxyCommandRelay(command, listener);
        Thread acceptor = new Thread(relay::acceptAndRelay, "rig-proxy-command");
        acceptor.setDaemon(true);
        acceptor.start();
        return relay;
    }

    InetSocketAddress address() {
        return new InetSocketAddress(listener.getInetAddress(), listener.getLocalPort());
    }

    /**
     * Why the command is no longer there, when it is not: its exit status and the end of its stderr. Asked when a
     * connection failed, so it gives a command that is on its way out a moment to finish.
     */
    Optional<String> ended() {
        Process p = process;
        if (p == null) return Optional.empty();
        try {
            if (!p.waitFor(500, java.util.concurrent.TimeUnit.MILLISECONDS)) return Optional.empty();
            Thread reader = stderrReader;
            if (reader != null) reader.join(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
        String said;
        synchronized (stderr) {
            said = stderr.toString(StandardCharsets.UTF_8).strip();
        }
        List<String> lines = said.lines().toList();
        String last = lines.isEmpty() ? "" : ": " + lines.get(lines.size() - 1);
        return Optional.of("ProxyCommand '" + command + "' exited with status " + p.exitValue() + last);
    }

    private void acceptAndRelay() {
        try (ServerSocket server = listener; Socket socket = server.accept()) {
            server.close(); // one connection only
            socket.setTcpNoDelay(true);
            Process p = new ProcessBuilder("/bin/sh", "-c", "exec " + command).start();
            process = p;
            Thread toCommand = pump(socket.getInputStream(), p.getOutputStream(), "rig-proxy-command-in");
            Thread keepStderr = new Thread(() -> keep(p.getErrorStream()), "rig-proxy-command-err");
            keepStderr.setDaemon(true);
            stderrReader = keepStderr;
            keepStderr.start();
            copy(p.getInputStream(), socket.getOutputStream());
            socket.shutdownOutput();
            toCommand.join(1000);
            keepStderr.join(1000);
            p.destroy();
            p.waitFor();
        } catch (IOException | InterruptedException e) {
            // MINA never connected, or one side went away: the connection reports it.
        } finally {
            Process p = process;
            if (p != null) p.destroy();
        }
    }

    private static Thread pump(InputStream in, OutputStream out, String name) {
        Thread thread = new Thread(() -> {
            try (out) {
                copy(in, out);
            } catch (IOException e) {
                // the other side closed: the relay ends
            }
        }, name);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    /** Copies until end of input, flushing each read: SSH packets must not wait in a buffer. */
    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buffer = new byte[32 * 1024];
        for (int n; (n = in.read(buffer)) >= 0; ) {
            out.write(buffer, 0, n);
            out.flush();
        }
    }

    private void keep(InputStream err) {
        byte[] buffer = new byte[1024];
        try (err) {
            for (int n; (n = err.read(buffer)) >= 0; ) {
                synchronized (stderr) {
                    stderr.write(buffer, 0, n);
                    if (stderr.size() > 2 * STDERR_KEPT) {
                        byte[] all = stderr.toByteArray();
                        stderr.reset();
                        stderr.write(all, all.length - STDERR_KEPT, STDERR_KEPT);
                    }
                }
            }
        } catch (IOException e) {
            // the command ended
        }
    }
}

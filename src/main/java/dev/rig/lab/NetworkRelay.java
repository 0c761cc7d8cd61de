package dev.rig.lab;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The way into a lab host that has a network namespace of its own: listens on the host's address:22 in
 * the lab's network and serves each connection with a fresh `sshd -i` (sshd as inetd runs it) entered
 * into the host's namespaces, its stdin and stdout piped to the socket. The host's commands then run in
 * its own network, so what they change there (a sysctl under net., a route) never reaches the machine's.
 */
public final class NetworkRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final List<Process> sessions = new ArrayList<>();

    private NetworkRelay(ServerSocket listener) {
        this.listener = listener;
    }

    /**
     * Starts relaying address:port. sshdArgv is the sshd -i command line including the nsenter that enters
     * the host (asked afresh per connection); while up says false, connections are closed at once, as a
     * stopped host refuses them.
     */
    static NetworkRelay start(String name, String address, int port, Supplier<List<String>> sshdArgv, BooleanSupplier up, File console) {
        ServerSocket listener;
        try {
            listener = new ServerSocket();
            listener.setReuseAddress(true);
            listener.bind(new InetSocketAddress(address, port));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on " + address + ":" + port + " for " + name, e);
        }
        NetworkRelay relay = new NetworkRelay(listener);
        Thread acceptor = new Thread(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    if (up.getAsBoolean()) {
                        relay.serve(socket, sshdArgv.get(), console);
                    } else {
                        socket.close();
                    }
                } catch (IOException | RuntimeException e) {
                    if (listener.isClosed()) return;
                    // one connection failed to start; the next may not
                }
            }
        }, "lab-relay-" + name);
        acceptor.setDaemon(true);
        acceptor.start();
        return relay;
    }

    private void serve(Socket socket, List<String> argv, File console) throws IOException {
        Process sshd;
        try {
            sshd = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.appendTo(console)).start();
        } catch (IOException e) {
            socket.close();
            throw e;
        }
        synchronized (sessions) {
            sessions.removeIf(p -> !p.isAlive());
            sessions.add(sshd);
        }
        pump(socket.getInputStream(), sshd.getOutputStream(), socket, sshd, "lab-relay-pump");
        pump(sshd.getInputStream(), socket.getOutputStream(), socket, sshd, "lab-relay-pump");
    }

    /** Copies until either side ends, then ends both: one direction of a socket relayed to an {@code sshd -i}. */
    public static void pump(InputStream from, OutputStream to, Socket socket, Process sshd, String threadName) {
        Thread thread = new Thread(() -> {
            try (from; to) {
                byte[] buffer = new byte[32 * 1024];
                for (int read = from.read(buffer); read >= 0; read = from.read(buffer)) {
                    to.write(buffer, 0, read);
                    to.flush(); // a process's stdin is buffered: SSH's small packets must go at once
                }
            } catch (IOException e) {
                // the other side went away
            } finally {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                sshd.destroy();
            }
        }, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Stops listening and ends every session it started. */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // nothing more to release
        }
        synchronized (sessions) {
            sessions.forEach(Process::destroyForcibly);
            sessions.clear();
        }
    }
}

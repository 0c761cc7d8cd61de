package dev.rig.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.session.ClientSession;

/**
 * A command kept running on its own channel until it is closed — a host lock held for the
 * session, say. It counts as started once it prints a marker line; closing sends end of input
 * and closes the channel, and if rig dies the connection drops and the host ends it all the same.
 */
public final class HeldCommand implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(20);
    private final ChannelExec channel;

    private HeldCommand(ChannelExec channel) {
        this.channel = channel;
    }

    static HeldCommand start(ClientSession session, String label, String command, String marker, Duration timeout) throws SshException {
        return start(session, label, command, null, marker, timeout, "taking the host lock").held();
    }

    /** A held command and what it printed up to its marker (stdout, then stderr). */
    public record Started(HeldCommand held, String out, String err) {}

    /**
     * As {@link #start(ClientSession, String, String, String, Duration)}, with input (activity: what it does, in the
     * operator's words, for a connection lost before it is ready) written to the
     * command's stdin at once and stdin left open (the command reads a script from it, say, and then
     * waits for end of input); ready once stdout shows marker at the start of a line.
     */
    static Started start(ClientSession session, String label, String command, byte[] input, String marker, Duration timeout,
                         String activity) throws SshException {
        long deadline = System.nanoTime() + timeout.toNanos();
        MarkerWatch out = new MarkerWatch(marker);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ChannelExec channel;
        try {
            channel = session.createExecChannel(command);
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(timeout);
            if (input != null) {
                OutputStream in = channel.getInvertedIn();
                in.write(input);
                in.flush();
            }
        } catch (IOException | RuntimeException e) {
            throw new SshException(SshException.Kind.CHANNEL, "cannot start a held command on " + label + ": " + e.getMessage(), e);
        }
        try {
            while (!out.seen.await(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                if (channel.isClosing() || channel.isClosed() || channel.getExitStatus() != null) {
                    channel.waitFor(java.util.EnumSet.of(org.apache.sshd.client.channel.ClientChannelEvent.CLOSED), Duration.ofSeconds(2));
                    String why = err.toString(StandardCharsets.UTF_8).strip();
                    if (!session.isOpen()) {
                        // The host went away: say what rig was doing, not that a command of its own misbehaved.
                        throw new SshException(SshException.Kind.UNREACHABLE, "connection to " + label + " was lost while " + activity);
                    }
                    throw new SshException(SshException.Kind.CHANNEL, why.isEmpty()
                            ? "held command on " + label + " ended before it was ready (exit " + channel.getExitStatus() + ")" : why);
                }
                if (System.nanoTime() > deadline) {
                    channel.close(true);
                    throw new SshException(SshException.Kind.TIMEOUT, "held command on " + label + " not ready within " + timeout.toSeconds() + " s");
                }
            }
        } catch (InterruptedException e) {
            channel.close(true);
            Thread.currentThread().interrupt();
            throw new SshException(SshException.Kind.CHANNEL, "interrupted", e);
        }
        return new Started(new HeldCommand(channel), out.text(), err.toString(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {
        try {
            channel.getInvertedIn().close(); // end of input: the held command finishes by itself
        } catch (IOException | RuntimeException e) {
            // Already gone; closing the channel below is all that is left.
        }
        channel.close(false);
    }

    /**
     * Collects stdout as bytes and signals once the marker line has been printed; only the newly
     * written tail is searched, so a long output costs linear time.
     */
    private static final class MarkerWatch extends OutputStream {
        final CountDownLatch seen = new CountDownLatch(1);
        private final byte[] marker;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final byte[] lastBytes;
        private int lastLength;

        MarkerWatch(String marker) {
            this.marker = marker.getBytes(StandardCharsets.UTF_8);
            this.lastBytes = new byte[this.marker.length];
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (seen.getCount() == 0) return;
            // the marker may straddle two writes: search the end of what came before and this write
            byte[] before = bytes.size() == 0 ? new byte[0] : java.util.Arrays.copyOfRange(lastBytes, 0, lastLength);
            bytes.write(b, off, len);
            byte[] window = new byte[before.length + len];
            System.arraycopy(before, 0, window, 0, before.length);
            System.arraycopy(b, off, window, before.length, len);
            if (contains(window, marker, 0)) seen.countDown();
            lastLength = Math.min(marker.length - 1, window.length);
            System.arraycopy(window, window.length - lastLength, lastBytes, 0, lastLength);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }

        private static boolean contains(byte[] haystack, byte[] needle, int from) {
            outer:
            for (int i = from; i <= haystack.length - needle.length; i++) {
                for (int j = 0; j < needle.length; j++) {
                    if (haystack[i + j] != needle[j]) continue outer;
                }
                return true;
            }
            return false;
        }
    }
}

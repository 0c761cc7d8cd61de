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
        long deadline = System.nanoTime() + timeout.toNanos();
        MarkerWatch out = new MarkerWatch(marker);
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        ChannelExec channel;
        try {
            channel = session.createExecChannel(command);
            channel.setOut(out);
            channel.setErr(err);
            channel.open().verify(timeout);
        } catch (IOException | RuntimeException e) {
            throw new SshException(SshException.Kind.CHANNEL, "cannot start a held command on " + label + ": " + e.getMessage(), e);
        }
        try {
            while (!out.seen.await(POLL.toMillis(), TimeUnit.MILLISECONDS)) {
                if (channel.isClosing() || channel.isClosed() || channel.getExitStatus() != null) {
                    channel.waitFor(java.util.EnumSet.of(org.apache.sshd.client.channel.ClientChannelEvent.CLOSED), Duration.ofSeconds(2));
                    String why = err.toString(StandardCharsets.UTF_8).strip();
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
        return new HeldCommand(channel);
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

    /** Collects stdout and signals when the marker line has been printed. */
    private static final class MarkerWatch extends OutputStream {
        final CountDownLatch seen = new CountDownLatch(1);
        private final String marker;
        private final StringBuilder text = new StringBuilder();

        MarkerWatch(String marker) {
            this.marker = marker;
        }

        @Override
        public synchronized void write(int b) {
            write(new byte[]{(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            if (seen.getCount() == 0) return;
            text.append(new String(b, off, len, StandardCharsets.UTF_8));
            if (text.indexOf(marker) >= 0) seen.countDown();
        }
    }
}

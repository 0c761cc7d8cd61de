package dev.rig.ssh;

import dev.rig.core.Payload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.channel.exception.SshChannelOpenException;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * One authenticated SSH connection to a host, shared by every thread working on it: each exec() is a
 * channel of its own over it, at most {@value #MAX_OPEN_CHANNELS} open at once.
 */
public final class Connection implements AutoCloseable {
    /** Below OpenSSH's default MaxSessions (10), which refuses further channels on a connection. */
    public static final int MAX_OPEN_CHANNELS = 8;

    private static final Duration CLOSE_GRACE = Duration.ofSeconds(2);
    private static final Duration FIRST_REOPEN_PAUSE = Duration.ofMillis(5);
    private static final Duration MAX_REOPEN_PAUSE = Duration.ofMillis(200);
    /** A shell reports death by signal N as status 128+N; so does exec() when the host sends exit-signal. */
    private static final Map<String, Integer> SIGNAL_NUMBERS = Map.ofEntries(
            Map.entry("HUP", 1), Map.entry("INT", 2), Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("ABRT", 6),
            Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12),
            Map.entry("PIPE", 13), Map.entry("ALRM", 14), Map.entry("TERM", 15));
    private static final int UNKNOWN_SIGNAL_STATUS = 255;
    /** sudo's own exit status when authentication fails. */
    private static final int SUDO_FAILURE_STATUS = 1;

    private final String name;
    private final String label;
    private final ClientSession session;
    private final ScheduledExecutorService timeouts;
    private final Semaphore channelSlots = new Semaphore(MAX_OPEN_CHANNELS, true);
    private final AtomicInteger channelsOpened = new AtomicInteger();

    Connection(String name, String label, ClientSession session, ScheduledExecutorService timeouts) {
        this.name = name;
        this.label = label;
        this.session = session;
        this.timeouts = timeouts;
    }

    /**
     * Runs command through the remote user's shell, as `ssh host command` does, feeding it stdin (null:
     * none, end of input at once) and collecting all it prints. A command that exits without reading all
     * of stdin is not an error. timeout bounds the whole call, waiting for a free channel included; on
     * expiry the channel is closed and TIMEOUT thrown. OpenSSH does not signal the command for that: one
     * that neither reads nor writes runs on until it ends, holding one of the host's MaxSessions.
     */
    public ExecResult exec(String command, byte[] stdin, Duration timeout) throws SshException {
        return exec(command, stdin, null, timeout);
    }

    /**
     * exec() for a command that starts with sudo asking for a password (see {@link SudoPassword}): the
     * password goes to stdin after sudo's prompt, stdin only once the command runs. When sudo rejects the
     * password the command is abandoned at once and the result is sudo's failure, status 1, with what sudo
     * said on stderr (its prompts removed). sudo null: exec() as above.
     */
    public ExecResult exec(String command, byte[] stdin, SudoPassword sudo, Duration timeout) throws SshException {
        return exec(command, Payload.of(stdin), sudo, timeout, null);
    }

    /**
     * exec() with stdin streamed from input (never held whole in memory) and, for messages, what the
     * operator would call the work ("writing /srv/big.bin"): a lost connection says that, with how much
     * of the input was sent, instead of quoting the command line. activity null: the command is quoted.
     */
    public ExecResult exec(String command, Payload input, SudoPassword sudo, Duration timeout, String activity) throws SshException {
        long deadline = Durations.deadlineAfter(timeout);
        Work work = new Work(command, activity, input);
        acquireChannelSlot(work, timeout);
        try {
            return runChannel(work, sudo, timeout, deadline);
        } finally {
            channelSlots.release();
        }
    }

    /**
     * Starts command on a channel of its own and keeps it running until the handle is closed; it is
     * ready once it prints readyMarker. Not counted against exec()'s channel slots (8 of OpenSSH's 10).
     */
    public HeldCommand hold(String command, String readyMarker, Duration timeout) throws SshException {
        channelsOpened.incrementAndGet();
        return HeldCommand.start(session, label, command, readyMarker, timeout);
    }

    /**
     * hold() for a command that reads input from stdin, answers on stdout up to doneMarker and then
     * keeps running until the handle is closed: the host lock taken and the host's state read in one
     * channel. Not counted against exec()'s channel slots either.
     */
    public HeldCommand.Started holdAnswering(String command, byte[] input, String doneMarker, Duration timeout) throws SshException {
        channelsOpened.incrementAndGet();
        return HeldCommand.start(session, label, command, input, doneMarker, timeout);
    }

    /**
     * Forwards an ephemeral port on the operator's 127.0.0.1 to host:port as the remote host reaches it
     * (ssh -L); the forward ends with the connection. For services bound to a private address only.
     */
    public InetSocketAddress forward(String host, int port) throws SshException {
        try {
            SshdSocketAddress local = session.startLocalPortForwarding(new SshdSocketAddress("127.0.0.1", 0), new SshdSocketAddress(host, port));
            return new InetSocketAddress(local.getHostName(), local.getPort());
        } catch (IOException | RuntimeException e) {
            throw new SshException(SshException.Kind.CHANNEL, label + ": cannot forward a local port to " + host + ":" + port + " (sshd's AllowTcpForwarding must allow it): " + e.getMessage());
        }
    }

    /**
     * Copies a remote file to a local one over SFTP, streaming (archives may be larger than memory);
     * returns the bytes copied. The local file is written as given: callers write to a temporary name
     * and rename.
     */
    public long download(String remotePath, java.nio.file.Path local) throws SshException {
        channelsOpened.incrementAndGet();
        try (org.apache.sshd.sftp.client.SftpClient sftp = org.apache.sshd.sftp.client.SftpClientFactory.instance().createSftpClient(session);
             java.io.InputStream in = sftp.read(remotePath)) {
            return java.nio.file.Files.copy(in, local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new SshException(SshException.Kind.CHANNEL, label + ": cannot download " + remotePath + ": " + e.getMessage());
        }
    }

    /** Copies a local file to the host over SFTP, streaming; the remote file is written as given. */
    public void upload(java.nio.file.Path local, String remotePath) throws SshException {
        channelsOpened.incrementAndGet();
        try (org.apache.sshd.sftp.client.SftpClient sftp = org.apache.sshd.sftp.client.SftpClientFactory.instance().createSftpClient(session);
             OutputStream out = sftp.write(remotePath)) {
            java.nio.file.Files.copy(local, out);
        } catch (IOException e) {
            throw new SshException(SshException.Kind.CHANNEL, label + ": cannot upload to " + remotePath + ": " + e.getMessage());
        }
    }

    /** How many channels this connection has opened so far (for benchmarks). */
    public int channelsOpened() {
        return channelsOpened.get();
    }

    /** The host's name, as the target gave it. */
    public String name() {
        return name;
    }

    @Override
    public void close() {
        try {
            if (!session.close(false).await(CLOSE_GRACE)) session.close(true);
        } catch (IOException e) {
            session.close(true);
        }
    }

    private void acquireChannelSlot(Work work, Duration timeout) throws SshException {
        try {
            if (!channelSlots.tryAcquire(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new SshException(SshException.Kind.TIMEOUT, "timed out after " + Durations.describe(timeout)
                        + " waiting for a free channel on " + label + " for " + work.describe());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(work, e);
        }
    }

    /** A command, what it does in the operator's words (null: quote the command) and its stdin, with how much of it was sent. */
    private static final class Work {
        final String command;
        final String activity;
        final Payload input;
        final java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();

        Work(String command, String activity, Payload input) {
            this.command = command;
            this.activity = activity;
            this.input = input;
        }

        /** "writing /srv/big.bin, 31 MB of 200 MB sent", or the quoted command. */
        String describe() {
            if (activity == null) return abbreviate(command);
            if (input == null || input.size() < 1024 * 1024) return activity;
            return activity + ", " + Payload.describeSize(sent.get()) + " of " + Payload.describeSize(input.size()) + " sent";
        }
    }

    private ExecResult runChannel(Work work, SudoPassword sudo, Duration timeout, long deadline) throws SshException {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        SudoDialogue dialogue = sudo == null ? null : new SudoDialogue(sudo, stderr);
        ChannelExec channel = openChannel(work, stdout, dialogue == null ? stderr : dialogue, timeout, deadline);
        channelsOpened.incrementAndGet();
        if (dialogue != null) channel.addCloseFutureListener(closed -> dialogue.ended());
        // One timer covers every blocking step below, writing stdin to a command that does not read it included.
        AtomicBoolean timedOut = new AtomicBoolean();
        ScheduledFuture<?> expiry = timeouts.schedule(() -> {
            timedOut.set(true);
            channel.close(true);
        }, Durations.remaining(deadline).toNanos(), TimeUnit.NANOSECONDS);
        try {
            SudoDialogue.Outcome outcome = dialogue == null ? SudoDialogue.Outcome.READY : dialogue.converse(channel.getInvertedIn());
            if (outcome == SudoDialogue.Outcome.REJECTED) return new ExecResult(SUDO_FAILURE_STATUS, new byte[0], dialogue.sudoSaid());
            if (outcome == SudoDialogue.Outcome.ENDED) stderr.writeBytes(dialogue.sudoSaid());
            else sendStdin(channel, work);
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), Durations.remaining(deadline).plus(CLOSE_GRACE));
        } catch (IOException | RuntimeException e) {
            if (!timedOut.get()) throw failed(work, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(work, e);
        } finally {
            expiry.cancel(false);
            channel.close(true);
        }
        boolean finished = channel.getExitStatus() != null || channel.getExitSignal() != null;
        if (timedOut.get() && !finished) throw timeout(work, timeout, "");
        return new ExecResult(exitCode(work, channel), stdout.toByteArray(), stderr.toByteArray());
    }

    /**
     * Opens an exec channel, trying again after a pause while the host refuses one. OpenSSH refuses
     * channels beyond its MaxSessions, which counts a channel until it has processed our close of it:
     * a channel opened right after another ended can still find the host full, and a host may also
     * allow fewer sessions than {@value #MAX_OPEN_CHANNELS}.
     */
    private ChannelExec openChannel(Work work, OutputStream stdout, OutputStream stderr, Duration timeout, long deadline)
            throws SshException {
        Duration pause = FIRST_REOPEN_PAUSE;
        while (true) {
            ChannelExec channel;
            try {
                channel = session.createExecChannel(work.command);
            } catch (IOException | IllegalStateException e) {
                throw lost(work, e);
            }
            channel.setOut(stdout);
            channel.setErr(stderr);
            // MINA gives up writing stdin after 30 s without window space; a slow reader may take longer within our timeout.
            CoreModuleProperties.WAIT_FOR_SPACE_TIMEOUT.set(channel, Durations.remaining(deadline));
            try {
                channel.open().verify(Durations.remaining(deadline));
                return channel;
            } catch (IOException | RuntimeException e) {
                channel.close(true);
                Throwable refusal = SshException.causeOfType(e, SshChannelOpenException.class);
                if (refusal == null) {
                    throw Durations.passed(deadline) ? timeout(work, timeout, "") : failed(work, e);
                }
                if (Durations.passed(deadline - pause.toNanos())) { // no time left to pause and try again
                    throw timeout(work, timeout, ": the host kept refusing new channels (" + refusal.getMessage() + ")");
                }
            }
            sleep(work, pause);
            pause = pause.multipliedBy(2).compareTo(MAX_REOPEN_PAUSE) > 0 ? MAX_REOPEN_PAUSE : pause.multipliedBy(2);
        }
    }

    /** Streams the work's input to the command, counting what was sent; a local file is read as it goes, never whole. */
    private void sendStdin(ChannelExec channel, Work work) throws IOException {
        try (OutputStream in = channel.getInvertedIn()) {
            if (work.input == null) return;
            try (InputStream from = work.input.open()) {
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = from.read(buffer)) > 0; ) {
                    in.write(buffer, 0, n);
                    work.sent.addAndGet(n);
                }
            }
        } catch (IOException e) {
            // A dropped connection is reported as such; otherwise the command exited or closed its
            // input before reading all of it, and its exit status tells.
            if (!session.isOpen()) throw e;
        }
    }

    private int exitCode(Work work, ChannelExec channel) throws SshException {
        Integer status = channel.getExitStatus();
        if (status != null) return status;
        String signal = channel.getExitSignal();
        if (signal != null) {
            Integer number = SIGNAL_NUMBERS.get(signal);
            return number == null ? UNKNOWN_SIGNAL_STATUS : 128 + number;
        }
        if (!session.isOpen()) throw lost(work, null);
        throw new SshException(SshException.Kind.CHANNEL, "channel for " + work.describe() + " on " + label
                + " closed without an exit status");
    }

    private SshException failed(Work work, Exception e) {
        if (!session.isOpen()) return lost(work, e);
        return new SshException(SshException.Kind.CHANNEL, "cannot run " + work.describe() + " on " + label
                + ": " + e.getMessage(), e);
    }

    private SshException lost(Work work, Exception e) {
        return new SshException(SshException.Kind.UNREACHABLE, "connection to " + label + " was lost"
                + (work.activity != null ? " while " + work.describe() : " before " + work.describe() + " finished"), e);
    }

    private SshException timeout(Work work, Duration timeout, String detail) {
        return new SshException(SshException.Kind.TIMEOUT, work.describe() + " on " + label
                + " did not finish within " + Durations.describe(timeout) + detail);
    }

    private void sleep(Work work, Duration pause) throws SshException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw interrupted(work, e);
        }
    }

    private SshException interrupted(Work work, InterruptedException e) {
        return new SshException(SshException.Kind.CHANNEL, "interrupted while " + (work.activity != null ? work.describe() : "running " + work.describe()) + " on " + label, e);
    }

    /** Commands can be long scripts: messages quote their start. */
    private static String abbreviate(String command) {
        String oneLine = command.strip().replaceAll("\\s+", " ");
        return "`" + (oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 57) + "...") + "`";
    }
}

package dev.rig.ssh;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * The channel's stderr while sudo decides, and the answers to it: on sudo's first prompt the password goes
 * to stdin; a second prompt means the password was wrong, and rig gives up at once instead of feeding sudo
 * more lines (which would be the command's own input) or waiting for its other tries. Once the command's
 * shell prints the ready marker, stderr passes through to the command's own sink.
 */
final class SudoDialogue extends OutputStream {
    /** How the dialogue ended: the command runs, sudo asked again, or the channel closed before either. */
    enum Outcome { READY, REJECTED, ENDED }

    private final SudoPassword sudo;
    private final OutputStream commandStderr;
    private final ByteArrayOutputStream beforeReady = new ByteArrayOutputStream();
    private int promptsSeen;
    private boolean ready;
    private boolean ended;

    SudoDialogue(SudoPassword sudo, OutputStream commandStderr) {
        this.sudo = sudo;
        this.commandStderr = commandStderr;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    /** MINA's thread delivers stderr here. */
    @Override
    public synchronized void write(byte[] bytes, int offset, int length) throws IOException {
        if (ready) {
            commandStderr.write(bytes, offset, length);
            return;
        }
        beforeReady.write(bytes, offset, length);
        String seen = beforeReady.toString(StandardCharsets.ISO_8859_1); // byte for byte; prompt and marker are ASCII
        int marker = seen.indexOf(sudo.readyMarker());
        promptsSeen = count(marker < 0 ? seen : seen.substring(0, marker), sudo.prompt());
        if (marker >= 0) {
            ready = true;
            int after = marker + sudo.readyMarker().length();
            if (after < seen.length() && seen.charAt(after) == '\n') after++;
            byte[] all = beforeReady.toByteArray();
            commandStderr.write(all, after, all.length - after);
        }
        notifyAll();
    }

    /** The channel closed. */
    synchronized void ended() {
        ended = true;
        notifyAll();
    }

    /** Answers sudo on stdin until the command runs, sudo asks again, or the channel closes (the caller's timer closes it at its deadline). */
    Outcome converse(OutputStream stdin) throws IOException, InterruptedException {
        boolean answered = false;
        while (true) {
            synchronized (this) {
                while (!ready && !ended && promptsSeen == (answered ? 1 : 0)) wait();
                if (ready) return Outcome.READY;
                if (promptsSeen > 1) return Outcome.REJECTED;
                if (ended) return Outcome.ENDED;
            }
            // Written outside the lock: MINA's thread must be able to deliver stderr meanwhile.
            stdin.write((sudo.password() + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
            answered = true;
        }
    }

    /** What sudo printed before the command could run, its prompts removed: its reason for refusing, say. */
    synchronized byte[] sudoSaid() {
        return beforeReady.toString(StandardCharsets.ISO_8859_1).replace(sudo.prompt(), "").getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int count(String text, String part) {
        int count = 0;
        for (int at = text.indexOf(part); at >= 0; at = text.indexOf(part, at + part.length())) count++;
        return count;
    }
}

package dev.rig.ssh;

import java.nio.charset.StandardCharsets;

/** What a remote command left: its exit status and everything it wrote, byte for byte. */
public record ExecResult(int exitCode, byte[] stdout, byte[] stderr) {
    public String out() {
        return new String(stdout, StandardCharsets.UTF_8);
    }

    public String err() {
        return new String(stderr, StandardCharsets.UTF_8);
    }
}

package dev.rig.plan;

import dev.rig.core.Payload;

import java.util.Objects;

/**
 * One POSIX shell script to run on a host, with optional bytes for its stdin (file uploads
 * stream through stdin, so no SFTP round trips). Built by modules; only the engine runs it.
 * {@code writes}: the remote file an upload writes, so that an operator is told what was being
 * written when a connection drops; null for other commands.
 */
public record HostCommand(String script, Payload input, String description, String writes) {
    public HostCommand {
        Objects.requireNonNull(script, "script");
        if (description == null) description = script;
    }

    public static HostCommand of(String script) {
        return new HostCommand(script, null, script, null);
    }

    public static HostCommand of(String script, String description) {
        return new HostCommand(script, null, description, null);
    }

    public static HostCommand withInput(String script, byte[] stdin, String description) {
        return new HostCommand(script, Payload.of(stdin), description, null);
    }

    public static HostCommand withInput(String script, Payload input, String description) {
        return new HostCommand(script, input, description, null);
    }

    /** An upload of input into the remote file dest. */
    public static HostCommand upload(String script, Payload input, String description, String dest) {
        return new HostCommand(script, input, description, dest);
    }

    /** The stdin bytes in memory (small payloads and tests; uploads stream {@link #input()}). */
    public byte[] stdin() {
        return input == null ? null : input.bytes();
    }

    /** sha256 of what runs: the script and its stdin. A saved plan keeps it, so apply can refuse a plan whose scripts changed. */
    public String digest() {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        sha.update(script.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update((byte) 0);
        if (input != null) {
            try (java.io.InputStream in = input.open()) { // streamed: an upload may be larger than memory
                byte[] buffer = new byte[64 * 1024];
                for (int n; (n = in.read(buffer)) > 0; ) sha.update(buffer, 0, n);
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public String toString() {
        return description;
    }
}

package dev.rig.plan;

import java.util.Arrays;
import java.util.Objects;

/**
 * One POSIX shell script to run on a host, with optional bytes for its stdin (file uploads
 * stream through stdin, so no SFTP round trips). Built by modules; only the engine runs it.
 */
public record HostCommand(String script, byte[] stdin, String description) {
    public HostCommand {
        Objects.requireNonNull(script, "script");
        if (description == null) description = script;
    }

    public static HostCommand of(String script) {
        return new HostCommand(script, null, script);
    }

    public static HostCommand of(String script, String description) {
        return new HostCommand(script, null, description);
    }

    public static HostCommand withInput(String script, byte[] stdin, String description) {
        return new HostCommand(script, stdin, description);
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
        if (stdin != null) sha.update(stdin);
        return java.util.HexFormat.of().formatHex(sha.digest());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof HostCommand c && script.equals(c.script) && Arrays.equals(stdin, c.stdin)
                && description.equals(c.description);
    }

    @Override
    public int hashCode() {
        return Objects.hash(script, Arrays.hashCode(stdin), description);
    }

    @Override
    public String toString() {
        return description;
    }
}

package dev.rig.plan;

import java.util.Optional;

/**
 * One file a task would put on a host, as {@code rig render} writes it for review: the absolute
 * path on the host, the content (a copy's src stays a file on disk, streamed), the mode the task sets (if any), and whether it holds secrets
 * (a compose project's .env, a file written with no_log), which render masks.
 */
public record RenderedFile(String path, dev.rig.core.Payload content, Optional<String> mode, boolean secret) {
    public RenderedFile {
        if (!path.startsWith("/")) throw new IllegalArgumentException("a rendered file's path must be absolute: " + path);
    }

    public RenderedFile(String path, byte[] content, Optional<String> mode, boolean secret) {
        this(path, dev.rig.core.Payload.of(content), mode, secret);
    }
}

package dev.rig.core;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * Bytes a command reads on its stdin: small ones held in memory, a local file streamed from disk
 * (a copy src or an image tarball may be larger than the heap). Its sha256 is known up front, so
 * that the host can check what arrived; a file's is computed streaming, once.
 */
public sealed interface Payload permits Payload.Bytes, Payload.LocalFile {
    long size();

    String sha256();

    InputStream open() throws IOException;

    /** The whole content in memory: for small payloads only (diffs, tests). */
    byte[] bytes();

    static Payload of(byte[] bytes) {
        return bytes == null ? null : new Bytes(bytes);
    }

    /** A local file, hashed now by streaming it; sent by streaming it again. */
    static Payload file(Path file) {
        try {
            return new LocalFile(file, Files.size(file), Digests.sha256(file));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    record Bytes(byte[] content) implements Payload {
        @Override
        public long size() {
            return content.length;
        }

        @Override
        public String sha256() {
            return Digests.sha256(content);
        }

        @Override
        public InputStream open() {
            return new ByteArrayInputStream(content);
        }

        @Override
        public byte[] bytes() {
            return content;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Bytes b && Arrays.equals(content, b.content);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(content);
        }

        @Override
        public String toString() {
            return content.length + " bytes";
        }
    }

    record LocalFile(Path path, long size, String sha256) implements Payload {
        @Override
        public InputStream open() throws IOException {
            return Files.newInputStream(path);
        }

        @Override
        public byte[] bytes() {
            try {
                return Files.readAllBytes(path);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path, e);
            }
        }
    }

    /** "31 MB", "512 KB", "80 bytes": sizes as an operator reads them. */
    static String describeSize(long bytes) {
        if (bytes >= 1024 * 1024) return bytes / (1024 * 1024) + " MB";
        if (bytes >= 1024) return bytes / 1024 + " KB";
        return bytes + " bytes";
    }
}

package dev.rig.modules;


import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * What a local archive holds, read on the operator's machine: each member's path and kind, with the
 * sha256 of a file's content or a link's target — so the host only hashes the files already at the
 * destination and the archive is uploaded only when something differs. Tar (plain, gzip, xz, zstd:
 * xz and zstd through the local {@code xz}/{@code zstd}) and zip.
 */
final class ArchiveMembers {
    enum Format { TAR, ZIP }

    /** F: a file and its sha256; D: a directory; L: a symlink and its target. */
    record Member(char kind, String value) {}

    record Listing(Format format, Map<String, Member> members) {}

    private ArchiveMembers() {}

    static Listing read(Path archive) {
        try {
            byte[] head = new byte[6];
            try (InputStream in = Files.newInputStream(archive)) {
                in.readNBytes(head, 0, 6);
            }
            if (head[0] == 'P' && head[1] == 'K') return new Listing(Format.ZIP, zip(archive));
            InputStream tar;
            if ((head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) tar = new GZIPInputStream(Files.newInputStream(archive), 65536);
            else if ((head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X' && head[4] == 'Z') tar = decompressed("xz", archive);
            else if ((head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f && (head[3] & 0xff) == 0xfd) tar = decompressed("zstd", archive);
            else tar = Files.newInputStream(archive);
            try (tar) {
                return new Listing(Format.TAR, tar(tar));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read archive " + archive + ": " + e.getMessage(), e);
        }
    }

    /** The tool's output as it comes (an archive may unpack to more than memory); closing it checks the tool's exit. */
    private static InputStream decompressed(String tool, Path archive) throws IOException {
        Process p = new ProcessBuilder(tool, "-dc", archive.toString()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        return new java.io.FilterInputStream(new java.io.BufferedInputStream(p.getInputStream(), 65536)) {
            @Override
            public void close() throws IOException {
                // tar's end blocks may come before the tool's last output: drain it, so the tool never dies of a closed pipe.
                in.transferTo(java.io.OutputStream.nullOutputStream());
                super.close();
                try {
                    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) throw new IOException(tool + " -dc failed on " + archive);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException(e);
                }
            }
        };
    }

    private static Map<String, Member> zip(Path archive) throws IOException {
        Map<String, Member> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(archive))) {
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                String name = clean(e.getName());
                if (name.isEmpty()) continue;
                out.put(name, e.isDirectory() ? new Member('D', "") : new Member('F', sha256(in, Long.MAX_VALUE)));
            }
        }
        return out;
    }

    /** POSIX ustar with GNU long names and pax path/linkpath records, as GNU tar writes them. */
    private static Map<String, Member> tar(InputStream in) throws IOException {
        Map<String, Member> out = new LinkedHashMap<>();
        String longName = null;
        String longLink = null;
        byte[] header = new byte[512];
        while (in.readNBytes(header, 0, 512) == 512) {
            if (allZero(header)) break;
            String name = field(header, 0, 100);
            String prefix = new String(header, 257, 6, StandardCharsets.US_ASCII).startsWith("ustar") ? field(header, 345, 155) : "";
            if (!prefix.isEmpty()) name = prefix + "/" + name;
            long size = octal(header, 124, 12);
            char type = (char) header[156];
            String link = field(header, 157, 100);
            boolean regular = type == '0' || type == '\0' || type == '7';
            // A regular member is hashed as it streams (it may be larger than memory); only small headers are kept.
            String hash = regular ? sha256(in, size) : null;
            if (regular) in.skipNBytes((size + 511) / 512 * 512 - size);
            byte[] data = regular ? new byte[0] : readPadded(in, size, type == 'L' || type == 'K' || type == 'x');
            switch (type) {
                case 'L' -> { longName = cString(data); continue; }
                case 'K' -> { longLink = cString(data); continue; }
                case 'x' -> {
                    Map<String, String> pax = pax(data);
                    if (pax.containsKey("path")) longName = pax.get("path");
                    if (pax.containsKey("linkpath")) longLink = pax.get("linkpath");
                    continue;
                }
                case 'g' -> { continue; }
                default -> { }
            }
            if (longName != null) name = longName;
            if (longLink != null) link = longLink;
            longName = null;
            longLink = null;
            String path = clean(name);
            if (path.isEmpty()) continue;
            switch (type) {
                case '0', '\0', '7' -> out.put(path, new Member('F', hash));
                case '5' -> out.put(path, new Member('D', ""));
                case '2' -> {
                    refuseEscapingLink(path, link);
                    out.put(path, new Member('L', link));
                }
                case '1' -> {
                    Member target = out.get(clean(link));
                    if (target != null) out.put(path, target);
                }
                default -> { } // devices and fifos: tar makes them; rig does not compare them
            }
        }
        return out;
    }

    private static byte[] readPadded(InputStream in, long size, boolean keep) throws IOException {
        long padded = (size + 511) / 512 * 512;
        if (keep) {
            if (size > Integer.MAX_VALUE - 8) throw new IOException("archive member over 2 GiB");
            byte[] data = in.readNBytes((int) size);
            in.skipNBytes(padded - size);
            return data;
        }
        in.skipNBytes(padded);
        return new byte[0];
    }

    private static Map<String, String> pax(byte[] data) {
        Map<String, String> out = new LinkedHashMap<>();
        String s = new String(data, StandardCharsets.UTF_8);
        int i = 0;
        while (i < s.length()) {
            int space = s.indexOf(' ', i);
            if (space < 0) break;
            int len = Integer.parseInt(s.substring(i, space));
            String record = new String(data, 0, data.length, StandardCharsets.UTF_8).substring(space + 1, i + len - 1);
            int eq = record.indexOf('=');
            if (eq > 0) out.put(record.substring(0, eq), record.substring(eq + 1));
            i += len;
        }
        return out;
    }

    private static String clean(String name) {
        String n = name;
        while (n.startsWith("./")) n = n.substring(2);
        while (n.endsWith("/")) n = n.substring(0, n.length() - 1);
        if (n.equals(".")) return "";
        if (n.startsWith("/") || n.equals("..") || n.startsWith("../") || n.contains("/../") || n.endsWith("/..") || n.contains("\n")) {
            throw new Args.ArgumentException("archive member '" + name + "' would land outside dest; rig refuses such archives");
        }
        return n;
    }

    /**
     * A symlink member whose target leaves dest (absolute, or enough ../ to climb out from where it sits):
     * a later member written through it would land outside dest, so such archives are refused whole.
     */
    private static void refuseEscapingLink(String path, String link) {
        boolean escapes = link.startsWith("/");
        if (!escapes) {
            int depth = path.split("/").length - 1; // directories above the link, inside dest
            for (String part : link.split("/")) {
                if (part.isEmpty() || part.equals(".")) continue;
                depth += part.equals("..") ? -1 : 1;
                if (depth < 0) {
                    escapes = true;
                    break;
                }
            }
        }
        if (escapes) {
            throw new Args.ArgumentException("archive member '" + path + "' is a link to '" + link + "', outside dest; rig refuses such archives");
        }
    }

    private static String field(byte[] h, int off, int len) {
        int end = off;
        while (end < off + len && h[end] != 0) end++;
        return new String(h, off, end - off, StandardCharsets.UTF_8);
    }

    private static String cString(byte[] data) {
        int end = 0;
        while (end < data.length && data[end] != 0) end++;
        return new String(data, 0, end, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] h, int off, int len) {
        String s = field(h, off, len).strip();
        return s.isEmpty() ? 0 : Long.parseLong(s, 8);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) if (x != 0) return false;
        return true;
    }

    /** sha256 of the next size bytes of in (to its end when fewer), read in blocks. */
    private static String sha256(InputStream in, long size) throws IOException {
        java.security.MessageDigest md;
        try {
            md = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        byte[] buffer = new byte[65536];
        long left = size;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) break;
            md.update(buffer, 0, n);
            left -= n;
        }
        return java.util.HexFormat.of().formatHex(md.digest());
    }

    @SuppressWarnings("unused")
    private static byte[] drain(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}

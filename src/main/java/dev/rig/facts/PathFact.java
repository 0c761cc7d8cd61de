package dev.rig.facts;

import dev.rig.core.Shell;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * State of one path on a host: kind, mode, owner, group, size, link target, and the sha256 of a
 * regular file — computed on the host, so content is never downloaded to be compared. Content
 * comes back only when asked for: always (lineinfile) or only when it differs from an expected
 * checksum and is small (for a readable diff).
 */
public final class PathFact {
    private PathFact() {}

    /** What the probe should report beyond the metadata. */
    public record Want(boolean sha256, String contentUnlessSha, long maxContentBytes, boolean contentAlways) {
        public static final Want METADATA = new Want(false, null, 0, false);
        public static Want checksum() { return new Want(true, null, 0, false); }
        public static Want contentIfDifferent(String expectedSha, long max) { return new Want(true, expectedSha, max, false); }
        public static Want content(long max) { return new Want(true, null, max, true); }
    }

    public record State(String kind, String mode, String owner, String group, long size, String target,
                        String sha256, byte[] content) {
        public boolean exists() { return !"absent".equals(kind); }
        public boolean isFile() { return "file".equals(kind); }
        public boolean isDirectory() { return "directory".equals(kind); }
        public boolean isLink() { return "link".equals(kind); }
        public String contentText() { return content == null ? null : new String(content, StandardCharsets.UTF_8); }
        public static State absent() { return new State("absent", null, null, null, 0, null, null, null); }
    }

    public static Probe probe(String path, Want want) {
        StringBuilder s = new StringBuilder();
        s.append("p=").append(Shell.quote(path)).append('\n');
        s.append("if [ -L \"$p\" ]; then echo kind=link; printf 'target=%s\\n' \"$(readlink -- \"$p\")\"\n");
        s.append("elif [ -d \"$p\" ]; then echo kind=directory\n");
        s.append("elif [ -f \"$p\" ]; then echo kind=file\n");
        s.append("elif [ -e \"$p\" ]; then echo kind=other\n");
        s.append("else echo kind=absent; exit 0; fi\n");
        s.append("stat -c 'mode=%a\nowner=%U\ngroup=%G\nsize=%s' -- \"$p\" || exit 1\n");
        if (want.sha256() || want.contentAlways()) {
            s.append("if [ -f \"$p\" ] && [ ! -L \"$p\" ]; then\n");
            s.append("  h=$(sha256sum < \"$p\") || exit 1; h=${h%% *}; echo sha256=$h\n");
            if (want.contentAlways()) {
                s.append("  if [ \"$(stat -c %s -- \"$p\")\" -le ").append(want.maxContentBytes())
                        .append(" ]; then printf 'content='; base64 -w0 < \"$p\"; echo; fi\n");
            } else if (want.contentUnlessSha() != null && want.maxContentBytes() > 0) {
                s.append("  if [ \"$h\" != ").append(Shell.quote(want.contentUnlessSha())).append(" ] && [ \"$(stat -c %s -- \"$p\")\" -le ")
                        .append(want.maxContentBytes()).append(" ]; then printf 'content='; base64 -w0 < \"$p\"; echo; fi\n");
            }
            s.append("fi\n");
        }
        return new Probe(s.toString());
    }

    public static State parse(String output) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) kv.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
        }
        String kind = kv.get("kind");
        if (kind == null) throw new IllegalStateException("unexpected probe output: " + output.strip());
        if (kind.equals("absent")) return State.absent();
        String mode = kv.get("mode");
        if (mode != null) mode = normalizeMode(mode);
        byte[] content = kv.containsKey("content") ? Base64.getDecoder().decode(kv.get("content").strip()) : null;
        long size = kv.containsKey("size") ? Long.parseLong(kv.get("size").strip()) : 0;
        return new State(kind, mode, kv.get("owner"), kv.get("group"), size, kv.get("target"), kv.get("sha256"), content);
    }

    /** "644" → "0644"; "4755" stays. */
    public static String normalizeMode(String mode) {
        String m = mode.strip();
        while (m.length() < 4) m = "0" + m;
        return m;
    }
}

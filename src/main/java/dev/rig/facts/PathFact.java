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

    /**
     * One stat and, for a regular file whose checksum is wanted, one sha256sum; no subshell, no exit
     * (the probe runs inline in a batch, see {@link Probe#inline()}): the stat's output is kept in a
     * variable, which also gives the size that decides whether content comes back.
     */
    public static Probe probe(String path, Want want) {
        StringBuilder s = new StringBuilder();
        s.append("rig_p=").append(Shell.quote(path)).append('\n');
        s.append("if [ -L \"$rig_p\" ]; then echo kind=link; printf 'target=%s\\n' \"$(readlink -- \"$rig_p\")\"; rig_k=link\n");
        s.append("elif [ -d \"$rig_p\" ]; then echo kind=directory; rig_k=directory\n");
        s.append("elif [ -f \"$rig_p\" ]; then echo kind=file; rig_k=file\n");
        s.append("elif [ -e \"$rig_p\" ]; then echo kind=other; rig_k=other\n");
        s.append("else echo kind=absent; rig_k=; fi\n");
        s.append("[ -z \"$rig_k\" ] || { rig_s=$(stat -c 'mode=%a\nowner=%U\ngroup=%G\nsize=%s' -- \"$rig_p\") && printf '%s\\n' \"$rig_s\"");
        if (want.sha256() || want.contentAlways()) {
            // a regular file, not a link (the link case is taken first above)
            s.append(" && { [ \"$rig_k\" != file ] || { rig_h=$(sha256sum < \"$rig_p\") && rig_h=${rig_h%% *} && echo sha256=$rig_h");
            String small = "[ \"${rig_s##*size=}\" -gt " + want.maxContentBytes() + " ]";
            if (want.contentAlways()) {
                s.append(" && { ").append(small).append(" || { printf 'content='; base64 -w0 < \"$rig_p\"; echo; }; }");
            } else if (want.contentUnlessSha() != null && want.maxContentBytes() > 0) {
                s.append(" && { [ \"$rig_h\" = ").append(Shell.quote(want.contentUnlessSha())).append(" ] || ").append(small)
                        .append(" || { printf 'content='; base64 -w0 < \"$rig_p\"; echo; }; }");
            }
            s.append("; }; }");
        }
        s.append("; }\n");
        return new Probe(s.toString(), java.util.Set.of(path), true);
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

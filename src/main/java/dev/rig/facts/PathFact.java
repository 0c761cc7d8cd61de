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

        /** Whether a regular file's sha256 is read: asked for, or needed to send content back. */
        boolean needsChecksum() { return sha256 || contentAlways; }
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

    /** A path and what is wanted of it: what a batch needs to read many paths at once. */
    public record Query(String path, Want want) {}

    /**
     * One stat and, for a regular file whose checksum is wanted, one sha256sum; no subshell, no exit
     * (the probe runs inline in a batch, see {@link Probe#inline()}): the stat's output is kept in a
     * variable, which also gives the size that decides whether content comes back.
     */
    public static Probe probe(String path, Want want) {
        String s = "rig_p=" + Shell.quote(path) + "\n" + KIND
                + "[ -z \"$rig_k\" ] || { rig_s=$(stat -c 'mode=%a\nowner=%U\ngroup=%G\nsize=%s' -- \"$rig_p\") && printf '%s\\n' \"$rig_s\""
                + checksumAndContent(want, "rig_h=$(sha256sum < \"$rig_p\") && rig_h=${rig_h%% *}", "\"${rig_s##*size=}\"")
                + "; }\n";
        return new Probe(s, java.util.Set.of(path), true, new Query(path, want));
    }

    private static final String KIND =
            "if [ -L \"$rig_p\" ]; then echo kind=link; printf 'target=%s\\n' \"$(readlink -- \"$rig_p\")\"; rig_k=link\n"
            + "elif [ -d \"$rig_p\" ]; then echo kind=directory; rig_k=directory\n"
            + "elif [ -f \"$rig_p\" ]; then echo kind=file; rig_k=file\n"
            + "elif [ -e \"$rig_p\" ]; then echo kind=other; rig_k=other\n"
            + "else echo kind=absent; rig_k=; fi\n";

    /** The sha256 line and the content for a regular file, given how the checksum is got into rig_h and the size. */
    private static String checksumAndContent(Want want, String hashIntoRigH, String size) {
        if (!want.needsChecksum()) return "";
        StringBuilder s = new StringBuilder();
        // a regular file, not a link (the link case is taken first above)
        s.append(" && { [ \"$rig_k\" != file ] || { ").append(hashIntoRigH).append(" && echo sha256=$rig_h");
        String small = "[ " + size + " -gt " + want.maxContentBytes() + " ]";
        if (want.contentAlways()) {
            s.append(" && { ").append(small).append(" || { printf 'content='; base64 -w0 < \"$rig_p\"; echo; }; }");
        } else if (want.contentUnlessSha() != null && want.maxContentBytes() > 0) {
            s.append(" && { [ \"$rig_h\" = ").append(Shell.quote(want.contentUnlessSha())).append(" ] || ").append(small)
                    .append(" || { printf 'content='; base64 -w0 < \"$rig_p\"; echo; }; }");
        }
        s.append("; }; }");
        return s.toString();
    }

    /**
     * Many path probes of one batch as one stat and one sha256sum for all their paths instead of one
     * of each per path: process start-up is most of what a no-op costs a host. {@code preamble} runs
     * first and leaves each path's kind, mode, owner, group, size and checksum in rig_-variables
     * numbered by the path's place in {@code paths}; {@code parts.get(i)} then prints exactly what
     * {@code probe(queries.get(i))} prints. Should a path change between the stat and the checksum (a
     * line missing), rig_bad is set and every part runs its own probe instead.
     */
    public record Batched(String preamble, java.util.List<String> parts) {}

    public static Batched batched(java.util.List<Query> queries) {
        java.util.List<String> paths = new java.util.ArrayList<>();
        java.util.Map<String, Integer> index = new java.util.HashMap<>();
        java.util.Set<Integer> hashed = new java.util.TreeSet<>();
        for (Query q : queries) {
            int j = index.computeIfAbsent(q.path(), p -> { paths.add(p); return paths.size() - 1; });
            if (q.want().needsChecksum()) hashed.add(j);
        }
        StringBuilder pre = new StringBuilder("rig_bad=; rig_x=; set --\n");
        for (int j = 0; j < paths.size(); j++) {
            String p = Shell.quote(paths.get(j));
            pre.append("if [ -L ").append(p).append(" ]; then rig_k").append(j).append("=link")
                    .append("; elif [ -d ").append(p).append(" ]; then rig_k").append(j).append("=directory")
                    .append("; elif [ -f ").append(p).append(" ]; then rig_k").append(j).append("=file")
                    .append("; elif [ -e ").append(p).append(" ]; then rig_k").append(j).append("=other")
                    .append("; else rig_k").append(j).append("=; fi; [ -z \"$rig_k").append(j)
                    .append("\" ] || { set -- \"$@\" ").append(p).append("; rig_x=\"$rig_x ").append(j).append("\"; }\n");
        }
        pre.append("[ $# -eq 0 ] || { rig_o=$(stat -c '%a %U %G %s' -- \"$@\" 2>/dev/null); set -- $rig_x\n")
                .append(readLines("rig_a rig_b rig_c rig_d", "rig_m$1=\\$rig_a rig_u$1=\\$rig_b rig_g$1=\\$rig_c rig_z$1=\\$rig_d"))
                .append("}\n");
        pre.append("rig_x=; set --\n");
        for (int j : hashed) {
            pre.append("[ \"$rig_k").append(j).append("\" != file ] || { set -- \"$@\" ").append(Shell.quote(paths.get(j)))
                    .append("; rig_x=\"$rig_x ").append(j).append("\"; }\n");
        }
        // sha256sum starts the line of a name it had to escape with a backslash
        pre.append("[ $# -eq 0 ] || { rig_o=$(sha256sum -- \"$@\" 2>/dev/null); set -- $rig_x\n")
                .append(readLines("rig_a rig_b", "rig_h$1=\\${rig_a#\\\\\\\\}"))
                .append("}\nset --\n");
        java.util.List<String> parts = new java.util.ArrayList<>();
        for (Query q : queries) {
            int j = index.get(q.path());
            String own = probe(q.path(), q.want()).script();
            String s = "if [ -n \"$rig_bad\" ]; then\n" + own + "else\nrig_p=" + Shell.quote(q.path()) + "; rig_k=$rig_k" + j + "\n"
                    + "case $rig_k in link) echo kind=link; printf 'target=%s\\n' \"$(readlink -- \"$rig_p\")\";; "
                    + "directory|file|other) echo kind=$rig_k;; *) echo kind=absent;; esac\n"
                    + "[ -z \"$rig_k\" ] || { printf 'mode=%s\\nowner=%s\\ngroup=%s\\nsize=%s\\n' \"$rig_m" + j + "\" \"$rig_u" + j
                    + "\" \"$rig_g" + j + "\" \"$rig_z" + j + "\""
                    + checksumAndContent(q.want(), "rig_h=$rig_h" + j, "\"$rig_z" + j + "\"")
                    + "; }\nfi\n";
            parts.add(s);
        }
        return new Batched(pre.toString(), parts);
    }

    /** Reads $rig_o line by line into the numbered variables of the indexes in "$@"; a line too few or too many sets rig_bad. */
    private static String readLines(String names, String assignments) {
        return "while read -r " + names + "; do [ $# -gt 0 ] && [ -n \"$rig_a\" ] || { rig_bad=1; break; }; eval \"" + assignments + "\"; shift; done <<rig_EOF\n"
                + "$rig_o\nrig_EOF\n[ $# -eq 0 ] || rig_bad=1\n";
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

package dev.rig.facts;

import dev.rig.core.Shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The state of many paths under one directory on a host, read in one round trip: for each relative
 * path asked about, its kind, mode, owner and group, and the sha256 of each regular file among them
 * (one stat and one sha256sum process for the whole tree, however many files). Also, for a copy whose
 * source is on the host ({@code remote_src}), the source tree itself: every entry under it and each
 * file's sha256, with the destination's state of the same relative paths.
 *
 * <p>Relative paths must not contain a newline or a backslash (sha256sum escapes those); callers refuse them.
 */
public final class TreeFact {
    private TreeFact() {}

    /** What the probe found: the root's kind, the source tree (remote probe only) and each existing path's state. */
    public record State(String rootKind, String sourceKind, List<Entry> source, Map<String, PathFact.State> paths, String target) {
        public boolean rootExists() {
            return !"absent".equals(rootKind);
        }

        /** A relative path's state; absent when the probe did not see it. */
        public PathFact.State path(String rel) {
            return paths.getOrDefault(rel, PathFact.State.absent());
        }
    }

    /** One entry of a source tree on the host: a directory, or a file with its mode and sha256. */
    public record Entry(String rel, boolean directory, String mode, String sha256) {}

    /** The state of root and of each of rels (relative to root; "" is not one of them). */
    public static Probe probe(String root, List<String> rels) {
        List<String> files = new ArrayList<>(rels);
        StringBuilder s = new StringBuilder();
        s.append("d=").append(Shell.quote(root)).append('\n');
        s.append(ROOT_KIND);
        if (!rels.isEmpty()) {
            s.append("cd \"$d\" || exit 1\n");
            s.append("set --");
            for (String rel : files) s.append(' ').append(Shell.quote(rel));
            s.append('\n');
            s.append(STAT_AND_HASH_ARGS);
        }
        s.append("exit 0\n");
        return new Probe(s.toString());
    }

    /**
     * A source on the host (remote_src). A directory: every directory and file below it (files with their
     * sha256), and the state under root of the same relative paths. A file: its sha256, and the state of
     * where it goes (root, or root/NAME when root is a directory, as "target=").
     */
    public static Probe remoteSourceProbe(String src, String root) {
        StringBuilder s = new StringBuilder();
        s.append("s=").append(Shell.quote(src)).append("; d=").append(Shell.quote(root)).append('\n');
        s.append("if [ -d \"$s\" ]; then echo source=directory; elif [ -f \"$s\" ]; then echo source=file; "
                + "elif [ -e \"$s\" ]; then echo source=other; exit 0; else echo source=absent; exit 0; fi\n");
        s.append("if [ -f \"$s\" ]; then\n");
        s.append("  h=$(sha256sum < \"$s\") || exit 1; printf 'sf|%s|\\nsh|%s  \\n' \"$(stat -c %a -- \"$s\")\" \"${h%% *}\"\n");
        s.append("  t=\"$d\"; case \"$d\" in */) t=\"${d%/}/${s##*/}\" ;; *) if [ -d \"$d\" ] && [ ! -L \"$d\" ]; then t=\"$d/${s##*/}\"; fi ;; esac; printf 'target=%s\\n' \"$t\"\n");
        s.append("  if [ -d \"$d\" ]; then echo root=directory; elif [ -e \"$d\" ]; then echo root=other; else echo root=absent; fi; set -- \"$t\"\n");
        s.append("  ").append(STAT_AND_HASH_ARGS.replace("\n", "\n  ").stripTrailing()).append('\n');
        s.append("  exit 0\nfi\n");
        // A directory "dir" lands in dest/dir, its contents "dir/" in dest itself (Ansible's rule).
        s.append("case \"$s\" in */) ;; *) d=\"${d%/}/${s##*/}\" ;; esac\n");
        s.append("(cd \"$s\" && find . -mindepth 1 \\( -type d -printf 'sd|%m|%P\\n' \\) -o \\( -type f -printf 'sf|%m|%P\\n' \\) -o -printf 'so|%y|%P\\n') || exit 1\n");
        s.append("(cd \"$s\" && find . -mindepth 1 -type f -exec sha256sum -- {} +) | sed 's/^/sh|/'\n");
        s.append(ROOT_KIND);
        s.append("(cd \"$s\" && find . -mindepth 1 -printf '%P\\0') | (cd \"$d\" && xargs -0 -r stat -c 'e|%F|%a|%U|%G|%n' -- 2>/dev/null)\n");
        s.append("(cd \"$s\" && find . -mindepth 1 -type f -printf '%P\\0') | (cd \"$d\" && xargs -0 -r sha256sum -- 2>/dev/null) | sed 's/^/h|/'\n");
        s.append("exit 0\n");
        return new Probe(s.toString());
    }

    private static final String ROOT_KIND = "if [ -L \"$d\" ]; then echo root=link; exit 0; elif [ -d \"$d\" ]; then echo root=directory;"
            + " elif [ -e \"$d\" ]; then echo root=other; exit 0; else echo root=absent; exit 0; fi\n";

    /** stat and sha256sum of "$@" (relative to the current directory), one process each; missing paths print nothing. */
    private static final String STAT_AND_HASH_ARGS = "stat -c 'e|%F|%a|%U|%G|%n' -- \"$@\" 2>/dev/null\n"
            + "for p in \"$@\"; do [ -f \"$p\" ] && [ ! -L \"$p\" ] && printf '%s\\0' \"$p\"; done | xargs -0 -r sha256sum -- 2>/dev/null | sed 's/^/h|/'\n";

    public static State parse(String output) {
        String rootKind = null;
        String target = null;
        String sourceKind = null;
        List<Entry> source = new ArrayList<>();
        Map<String, String> sourceHashes = new LinkedHashMap<>();
        Map<String, String[]> stats = new LinkedHashMap<>();
        Map<String, String> hashes = new LinkedHashMap<>();
        List<String[]> sourceLines = new ArrayList<>();
        for (String line : output.split("\n")) {
            if (line.startsWith("root=")) rootKind = line.substring(5).strip();
            else if (line.startsWith("source=")) sourceKind = line.substring(7).strip();
            else if (line.startsWith("target=")) target = line.substring(7);
            else if (line.startsWith("e|")) {
                String[] f = line.split("\\|", 6);
                if (f.length == 6) stats.put(f[5], f);
            } else if (line.startsWith("h|")) {
                putHash(hashes, line.substring(2), false);
            } else if (line.startsWith("sh|")) {
                putHash(sourceHashes, line.substring(3), true);
            } else if (line.startsWith("sd|") || line.startsWith("sf|") || line.startsWith("so|")) {
                sourceLines.add(line.split("\\|", 3));
            }
        }
        // A remote source that is missing or not a file or directory: nothing further was read.
        if (rootKind == null && ("absent".equals(sourceKind) || "other".equals(sourceKind))) rootKind = "unknown";
        if (rootKind == null) throw new IllegalStateException("unexpected probe output: " + output.strip());
        for (String[] f : sourceLines) {
            if (f.length < 3) continue;
            switch (f[0]) {
                case "sd" -> source.add(new Entry(f[2], true, PathFact.normalizeMode(f[1]), null));
                case "sf" -> source.add(new Entry(f[2], false, PathFact.normalizeMode(f[1]), sourceHashes.get(f[2])));
                default -> source.add(new Entry(f[2], false, null, null)); // neither: the module refuses it by name
            }
        }
        Map<String, PathFact.State> paths = new LinkedHashMap<>();
        stats.forEach((rel, f) -> paths.put(rel, new PathFact.State(kind(f[1]), PathFact.normalizeMode(f[2]), f[3], f[4], 0, null,
                hashes.get(rel), null)));
        return new State(rootKind, sourceKind, source, paths, target);
    }

    /** "HASH  NAME" (or "HASH *NAME"); with strip, NAME's leading "./" (find's) goes. */
    private static void putHash(Map<String, String> into, String line, boolean strip) {
        if (line.length() < 66) return;
        String name = line.substring(66);
        if (strip && name.startsWith("./")) name = name.substring(2);
        into.put(name, line.substring(0, 64));
    }

    private static String kind(String statKind) {
        return switch (statKind) {
            case "regular file", "regular empty file" -> "file";
            case "directory" -> "directory";
            case "symbolic link" -> "link";
            default -> "other";
        };
    }
}

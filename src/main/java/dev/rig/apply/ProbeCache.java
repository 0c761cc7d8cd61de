package dev.rig.apply;

import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Probe answers read ahead of the tasks that need them, each kept until a change may have made it
 * stale: a change drops the answers that read a path it touched, a directory above one, a path below
 * a tree it touched, or a path of the same name (the same file reached through a symlinked directory).
 * An answer whose reads are unknown, or any answer after a change whose touches are unknown, is dropped.
 */
final class ProbeCache {
    private record Entry(ProbeBatch.Output output, Set<String> reads) {}

    private final Map<String, Entry> entries = new HashMap<>();

    void put(String key, Set<String> reads, ProbeBatch.Output output) {
        entries.put(key, new Entry(output, reads == null ? null : normalized(reads)));
    }

    /**
     * The answer for key. One that says what it reads stays for the next task that asks the same (two
     * edits of one file: the first one's change drops it); any other is given once (a port or a service
     * may change by itself), a later ask reads the host again.
     */
    ProbeBatch.Output take(String key) {
        Entry e = entries.get(key);
        if (e == null) return null;
        if (e.reads() == null) entries.remove(key);
        return e.output();
    }

    void clear() {
        entries.clear();
    }

    int size() {
        return entries.size();
    }

    /** A change touched these (null: it may have touched anything). */
    void touched(dev.rig.plan.Change.Touched touched) {
        if (touched == null) {
            entries.clear();
            return;
        }
        Set<String> paths = normalized(touched.paths());
        Set<String> trees = normalized(touched.trees());
        if (paths == null || trees == null) {
            entries.clear();
            return;
        }
        if (paths.isEmpty() && trees.isEmpty()) return;
        for (Iterator<Entry> it = entries.values().iterator(); it.hasNext(); ) {
            Set<String> reads = it.next().reads();
            if (reads == null || reads.stream().anyMatch(r -> paths.stream().anyMatch(t -> mayAffect(t, r, false))
                    || trees.stream().anyMatch(t -> mayAffect(t, r, true)))) it.remove();
        }
    }

    /**
     * Whether changing {@code touched} (with what is below it, when {@code tree}) may change what a probe
     * of {@code read} says: the same path; a directory above it (its entries changed); a path below it,
     * for a tree; or the same name, on its own or above (one path reached under two spellings through
     * a symlinked directory: /var/run and /run).
     */
    static boolean mayAffect(String touched, String read, boolean tree) {
        if (touched.equals(read) || isUnder(touched, read) || tree && isUnder(read, touched)) return true;
        String name = baseName(read);
        for (String t = touched; !t.equals("/"); t = parent(t)) {
            if (baseName(t).equals(name)) return true;
        }
        if (tree) {
            String top = baseName(touched);
            for (String r = parent(read); !r.equals("/"); r = parent(r)) {
                if (baseName(r).equals(top)) return true;
            }
        }
        return false;
    }

    private static boolean isUnder(String path, String dir) {
        return dir.equals("/") ? !path.equals("/") : path.startsWith(dir + "/");
    }

    private static String baseName(String path) {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "/" : path.substring(0, slash);
    }

    /** Absolute paths with //, /./ and a trailing / removed; null when one is relative or has "..". */
    static Set<String> normalized(Set<String> paths) {
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        for (String p : paths) {
            String n = normalize(p);
            if (n == null) return null;
            out.add(n);
        }
        return out;
    }

    static String normalize(String path) {
        if (path == null || !path.startsWith("/")) return null;
        StringBuilder s = new StringBuilder();
        for (String part : path.split("/")) {
            if (part.isEmpty() || part.equals(".")) continue;
            if (part.equals("..")) return null;
            s.append('/').append(part);
        }
        return s.length() == 0 ? "/" : s.toString();
    }
}

package dev.rig.facts;

import dev.rig.core.Shell;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Everything Ansible's {@code stat} reports of one path, read by one {@code stat} call on the host:
 * type and permission bits (from the raw mode), ids and names, size, times, link target, access for
 * the connecting user, and optionally a checksum and the MIME type.
 */
public final class StatFact {
    private StatFact() {}

    public static final Set<String> ALGORITHMS = Set.of("md5", "sha1", "sha224", "sha256", "sha384", "sha512");

    /** What the probe reads beyond metadata. */
    public record Want(boolean follow, String checksumAlgorithm, boolean mime) {}

    /** The path's state; {@code fields} is null when the path does not exist. */
    public record Stat(String path, Map<String, Object> fields) {
        public boolean exists() {
            return fields != null;
        }

        /** Ansible's stat dictionary: {@code exists} plus, for an existing path, every field. */
        public Map<String, Object> asResult() {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("exists", exists());
            if (exists()) out.putAll(fields);
            return out;
        }
    }

    public static Probe probe(String path, Want want) {
        String l = want.follow() ? "-L " : "";
        StringBuilder s = new StringBuilder("p=").append(Shell.quote(path)).append('\n');
        s.append("if [ ! -e \"$p\" ] && [ ! -L \"$p\" ]; then echo exists=false; exit 0; fi\n");
        s.append("stat ").append(l).append("-c 'raw=%f\nuid=%u\ngid=%g\nsize=%s\ninode=%i\ndev=%d\nnlink=%h\natime=%X\nmtime=%Y\nctime=%Z\npw_name=%U\ngr_name=%G' -- \"$p\" || exit 1\n");
        s.append("if [ -L \"$p\" ]; then printf 'lnk_target=%s\\n' \"$(readlink -- \"$p\")\"; printf 'lnk_source=%s\\n' \"$(readlink -f -- \"$p\")\"; fi\n");
        s.append("[ -r \"$p\" ] && echo readable=true || echo readable=false\n");
        s.append("[ -w \"$p\" ] && echo writeable=true || echo writeable=false\n");
        s.append("[ -x \"$p\" ] && echo executable=true || echo executable=false\n");
        if (want.checksumAlgorithm() != null) {
            String tool = want.checksumAlgorithm() + "sum";
            s.append("if [ -f \"$p\" ] && [ -r \"$p\" ]").append(want.follow() ? "" : " && [ ! -L \"$p\" ]").append("; then h=$(").append(tool)
                    .append(" < \"$p\") || exit 1; echo checksum=${h%% *}; fi\n");
        }
        if (want.mime()) {
            s.append("if command -v file >/dev/null 2>&1; then printf 'mimetype=%s\\n' \"$(file ").append(want.follow() ? "-L " : "")
                    .append("-b --mime-type -- \"$p\")\"; printf 'charset=%s\\n' \"$(file ").append(want.follow() ? "-L " : "")
                    .append("-b --mime-encoding -- \"$p\")\"; fi\n");
        }
        return new Probe(s.toString());
    }

    public static Stat parse(String path, String output) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) kv.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
        }
        if ("false".equals(kv.get("exists"))) return new Stat(path, null);
        if (!kv.containsKey("raw")) throw new IllegalStateException("unexpected output of the stat probe: " + output.strip());
        int raw = Integer.parseInt(kv.get("raw").strip(), 16);
        int type = raw & 0170000;
        Map<String, Object> f = new LinkedHashMap<>();
        f.put("path", path);
        f.put("mode", String.format("%04o", raw & 07777));
        f.put("isdir", type == 0040000);
        f.put("ischr", type == 0020000);
        f.put("isblk", type == 0060000);
        f.put("isreg", type == 0100000);
        f.put("isfifo", type == 0010000);
        f.put("islnk", type == 0120000);
        f.put("issock", type == 0140000);
        for (String n : new String[] {"uid", "gid", "size", "inode", "dev", "nlink"}) f.put(n, Long.parseLong(kv.get(n).strip()));
        for (String n : new String[] {"atime", "mtime", "ctime"}) f.put(n, (double) Long.parseLong(kv.get(n).strip()));
        String[] who = {"usr", "grp", "oth"};
        for (int i = 0; i < 3; i++) {
            int shift = 6 - 3 * i;
            f.put("r" + who[i], (raw >> shift & 4) != 0);
            f.put("w" + who[i], (raw >> shift & 2) != 0);
            f.put("x" + who[i], (raw >> shift & 1) != 0);
        }
        f.put("isuid", (raw & 04000) != 0);
        f.put("isgid", (raw & 02000) != 0);
        f.put("pw_name", kv.get("pw_name"));
        f.put("gr_name", kv.get("gr_name"));
        for (String n : new String[] {"readable", "writeable", "executable"}) f.put(n, "true".equals(kv.get(n)));
        for (String n : new String[] {"lnk_target", "lnk_source", "checksum", "mimetype", "charset"}) {
            if (kv.containsKey(n)) f.put(n, kv.get(n));
        }
        return new Stat(path, f);
    }
}

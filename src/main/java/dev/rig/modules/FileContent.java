package dev.rig.modules;

import dev.rig.core.Digests;
import dev.rig.core.Payload;
import dev.rig.core.Shell;
import dev.rig.facts.PathFact;
import dev.rig.facts.Probe;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Converging a file's content, shared by copy, template and lineinfile: compare by sha256 on the
 * host; upload through the channel's stdin into a temp file in the same directory, verify its
 * checksum, set its attributes, then rename it over the destination — so an interrupted upload
 * leaves the old file intact.
 */
final class FileContent {
    /** Old content is fetched for the diff only when it differs and is at most this big. */
    static final long DIFF_LIMIT = 256 * 1024;

    private FileContent() {}

    static Probe probe(String dest, byte[] desired) {
        return probe(dest, Payload.of(desired));
    }

    static Probe probe(String dest, Payload desired) {
        return PathFact.probe(dest, PathFact.Want.contentIfDifferent(desired.sha256(), DIFF_LIMIT));
    }

    /**
     * How a write is guarded: {@code validate} (a command with {@code %s}, run on the uploaded temp file
     * before the rename, so content that fails it never replaces the old file) and {@code backup} (a copy
     * of the old file beside it, named as Ansible names it: {@code FILE.PID.YYYY-MM-DD@HH:MM:SS~}).
     */
    record Guard(String validate, boolean backup) {
        static final Guard NONE = new Guard(null, false);

        static Guard from(Args args) {
            String validate = args.optString("validate").orElse(null);
            if (validate != null && !validate.contains("%s")) throw new Args.ArgumentException("validate must contain %s (the file to check): '" + validate + "'");
            return new Guard(validate, args.bool("backup", false));
        }

        /** The validate command with %s as the temp file {@code "$t"}, split as Ansible splits it (no shell). */
        String validateScript() {
            StringBuilder s = new StringBuilder();
            for (String word : Shlex.split(validate)) {
                if (s.length() > 0) s.append(' ');
                String[] pieces = word.split("%s", -1);
                for (int i = 0; i < pieces.length; i++) {
                    if (i > 0) s.append("\"$t\"");
                    if (!pieces[i].isEmpty()) s.append(Shell.quote(pieces[i]));
                }
            }
            return s.toString();
        }
    }

    static Outcome converge(String dest, byte[] desired, FileAttributes attrs, PathFact.State cur, boolean noLog) {
        return converge(dest, desired, attrs, cur, noLog, Guard.NONE);
    }

    static Outcome converge(String dest, byte[] desired, FileAttributes attrs, PathFact.State cur, boolean noLog, Guard guard) {
        return converge(dest, Payload.of(desired), attrs, cur, noLog, guard, false);
    }

    static Outcome converge(String dest, byte[] desired, FileAttributes attrs, PathFact.State cur, boolean noLog, Guard guard, boolean inPlace) {
        return converge(dest, Payload.of(desired), attrs, cur, noLog, guard, inPlace);
    }

    static Outcome converge(String dest, Payload desired, FileAttributes attrs, PathFact.State cur, boolean noLog, Guard guard) {
        return converge(dest, desired, attrs, cur, noLog, guard, false);
    }

    /**
     * desired may be a local file larger than memory: it is streamed to the host, and diffed as text only
     * when small. inPlace: an existing file keeps its inode (see upload).
     */
    static Outcome converge(String dest, Payload desired, FileAttributes attrs, PathFact.State cur, boolean noLog, Guard guard, boolean inPlace) {
        String sha = desired.sha256();
        Map<String, Object> result = Map.of("dest", dest, "checksum", sha);
        if (cur.exists() && !cur.isFile()) return Outcome.fail(dest + " exists and is a " + cur.kind() + ", not a regular file");
        Map<String, String> before = new LinkedHashMap<>();
        Map<String, String> after = new LinkedHashMap<>();
        List<HostCommand> cmds = new ArrayList<>();
        Action action;
        String beforeText = null;
        String afterText = null;
        if (!cur.exists() || !sha.equals(cur.sha256())) {
            action = cur.exists() ? Action.UPDATE : Action.CREATE;
            before.put("state", cur.exists() ? "file" : "absent");
            after.put("state", "file");
            if (cur.exists()) before.put("sha256", cur.sha256());
            after.put("sha256", sha);
            if (cur.exists()) {
                attrs.fix(dest, cur, before, after); // the upload sets them; only the diff is wanted here
            } else {
                attrs.describeNew(after);
            }
            if (!noLog && (desired instanceof Payload.Bytes || desired.size() <= DIFF_LIMIT)) {
                afterText = text(desired.bytes());
                beforeText = cur.exists() ? (cur.content() != null ? text(cur.content()) : null) : "";
                if (afterText == null || (cur.exists() && beforeText == null)) {
                    beforeText = null;
                    afterText = null;
                }
            }
            cmds.add(upload(dest, desired, sha, attrs, cur.exists(), guard, inPlace));
        } else {
            action = Action.UPDATE;
            cmds.addAll(attrs.fix(dest, cur, before, after));
        }
        if (cmds.isEmpty()) return Outcome.ok(dest + " is up to date").withResult(result);
        Diff diff = new Diff(dest, before, after, beforeText, afterText);
        // dest is absent or a regular file (a link fails above), and every command acts on dest alone
        return Outcome.of(Change.of(action, cmds, List.of(diff), FileModule.summary(action, dest)).touching(java.util.Set.of(dest))).withResult(result);
    }

    /** The atomic upload script; content arrives on stdin. */
    static HostCommand upload(String dest, byte[] content, String sha, FileAttributes attrs, boolean exists) {
        return upload(dest, content, sha, attrs, exists, Guard.NONE);
    }

    static HostCommand upload(String dest, byte[] content, String sha, FileAttributes attrs, boolean exists, Guard guard) {
        return upload(dest, Payload.of(content), sha, attrs, exists, guard, false);
    }

    static HostCommand upload(String dest, byte[] content, String sha, FileAttributes attrs, boolean exists, Guard guard, boolean inPlace) {
        return upload(dest, Payload.of(content), sha, attrs, exists, guard, inPlace);
    }

    /**
     * content is streamed (never held whole). inPlace: an existing file is overwritten through its inode
     * instead of renamed over, after the upload arrived whole: a container that bind-mounts the file sees
     * the new content (it would keep the old inode after a rename). Readers may see it half-written for an
     * instant: only for small files read again and again.
     */
    static HostCommand upload(String dest, Payload content, String sha, FileAttributes attrs, boolean exists, Guard guard, boolean inPlace) {
        String script = writeScript(dest, "cat > \"$t\"\n", "'upload of '\"$f\"' arrived damaged'", sha, attrs, exists, guard, inPlace);
        return HostCommand.upload(script, content, "write " + dest + " (" + content.size() + " bytes)", dest);
    }

    /**
     * remote_src: the file src already on the host becomes dest, by the same atomic steps as an upload. The
     * copy is checked against the sha256 the plan saw, so a source that changed since is not installed unseen.
     */
    static HostCommand copyOnHost(String src, String dest, String sha, FileAttributes attrs, boolean exists, Guard guard) {
        String script = writeScript(dest, "cat -- " + Shell.quote(src) + " > \"$t\"\n",
                Shell.quote(src) + "' changed since the plan read it'", sha, attrs, exists, guard, false);
        return HostCommand.of(script, "copy " + src + " to " + dest + " on the host");
    }

    private static String writeScript(String dest, String fill, String damaged, String sha, FileAttributes attrs, boolean exists, Guard guard,
                                      boolean inPlace) {
        String dir = parent(dest);
        StringBuilder s = new StringBuilder();
        s.append("set -e\n");
        s.append("d=").append(Shell.quote(dir)).append("; f=").append(Shell.quote(dest)).append('\n');
        s.append("[ -d \"$d\" ] || { echo \"destination directory $d does not exist\" >&2; exit 1; }\n");
        s.append(tempFile("\"$d\"", ".rig-", ".tmp"));
        s.append(fill);
        s.append("h=$(sha256sum < \"$t\"); [ \"${h%% *}\" = ").append(sha)
                .append(" ] || { echo ").append(damaged).append(" >&2; exit 1; }\n");
        if (attrs.mode().isPresent()) {
            s.append("chmod ").append(attrs.mode().get()).append(" \"$t\"\n");
        } else if (exists) {
            s.append("chmod --reference=\"$f\" \"$t\"\n");
        } else {
            s.append("chmod \"$(printf '%o' $((0666 & ~$(umask))))\" \"$t\"\n");
        }
        String ownership = attrs.owner().orElse("") + attrs.group().map(g -> ":" + g).orElse("");
        if (!ownership.isEmpty()) {
            s.append("chown ").append(Shell.quote(ownership)).append(" \"$t\"\n");
        } else if (exists) {
            s.append("chown --reference=\"$f\" \"$t\" 2>/dev/null || true\n");
        }
        if (guard.validate() != null) {
            s.append("if ! out=$(").append(guard.validateScript()).append(" 2>&1); then printf 'failed to validate %s with %s:\\n%s\\n' \"$f\" ")
                    .append(Shell.quote(guard.validate())).append(" \"$out\" >&2; exit 1; fi\n");
        }
        if (guard.backup() && exists) {
            s.append("b=\"$f.$$.$(date +%Y-%m-%d@%H:%M:%S)~\"; cp -p -- \"$f\" \"$b\"; echo \"backup_file=$b\"\n");
        }
        if (inPlace && exists) {
            s.append("cat \"$t\" > \"$f\"; chmod --reference=\"$t\" \"$f\"; chown --reference=\"$t\" \"$f\" 2>/dev/null || true\n");
        } else {
            s.append("mv -f \"$t\" \"$f\"\ntrap - EXIT\n");
        }
        s.append("exec 8<&-\n");
        return s.toString();
    }

    /**
     * Script lines that remove rig's stale temp files in DIR (a shell word) and then take a fresh one as "$t",
     * removed on exit. A dropped connection runs no trap, so temp files of cut-off uploads stay behind; which of
     * them are stale cannot be told by the host lock (connection: local takes none and runs hosts side by side),
     * so each script holds a flock on its own temp file for as long as it lives (fd 8), and only files nobody
     * holds are removed. A cleaner can catch a file between its mktemp and its flock: the taker then finds its
     * path gone (or locked by that cleaner) and takes another.
     */
    static String tempFile(String dir, String prefix, String suffix) {
        return "find " + dir + " -maxdepth 1 -type f -name '" + prefix + "????????" + suffix + "' -exec flock -n {} rm -f -- {} \\; 2>/dev/null || true\n"
                + "n=0\n"
                + "while :; do\n"
                + "  t=$(mktemp " + dir + "/" + prefix + "XXXXXXXX" + suffix + ")\n"
                + "  exec 8<>\"$t\"\n"
                + "  if flock -n 8 && [ \"$t\" -ef /proc/$$/fd/8 ]; then break; fi\n"
                + "  n=$((n+1)); [ $n -lt 5 ] || { echo \"cannot keep a temp file in \"" + dir + "\" (removed as soon as made)\" >&2; exit 1; }\n"
                + "done\n"
                + "trap 'rm -f \"$t\"' EXIT\n";
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        if (slash < 0) return ".";
        if (slash == 0) return "/";
        return path.substring(0, slash);
    }

    /** UTF-8 text, or null for binary content (no text diff for it). */
    static String text(byte[] data) {
        try {
            String s = StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(data)).toString();
            return s.indexOf('\0') >= 0 ? null : s;
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}

package dev.rig.modules;

import dev.rig.core.Digests;
import dev.rig.core.Shell;
import dev.rig.facts.Probe;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;
import dev.rig.playbook.ArgSpec;
import dev.rig.playbook.LocalFiles;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * Unpacks a tar (plain, gzip, xz, zstd) or zip archive into an existing directory, idempotent by
 * content. A local {@code src} is listed and hashed on the operator's machine; the probe hashes only
 * the files at the destination, and the archive is uploaded (through stdin, checked by sha256) only
 * when some member differs or is missing. With {@code remote_src} the archive is on the host, and the
 * probe compares it there: {@code tar --compare} (contents, types, links; not times) or, for a zip,
 * each member's bytes against the file. {@code creates} skips everything when its path exists.
 */
public final class UnarchiveModule implements Module {
    private static final String CREATES = "creates";
    private static final String DEST = "dest";
    private static final String MEMBERS = "members";
    private static final String REMOTE = "remote";

    @Override
    public String name() {
        return "unarchive";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("src", STRING), ArgSpec.required("dest", STRING), ArgSpec.optional("remote_src", BOOL),
                ArgSpec.optional("creates", STRING), ArgSpec.optional("owner", STRING), ArgSpec.optional("group", STRING),
                ArgSpec.optional("list_files", BOOL));
    }

    /**
     * With remote_src the comparison is tar -d's (or unzip's), which this module reads for content, type and
     * link target only: an owner or group it cannot compare is refused rather than set once and never checked.
     */
    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        if (!args.containsKey("remote_src") || String.valueOf(args.get("remote_src")).matches("(?i)false|no")) return List.of();
        List<String> problems = new ArrayList<>();
        for (String a : List.of("owner", "group")) {
            if (args.containsKey(a)) problems.add("'" + a + "' with remote_src is not implemented (rig compares a remote archive's content only); set it with the file module");
        }
        return problems;
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        ProbeParts parts = new ProbeParts();
        args.optString("creates").ifPresent(c -> parts.add(CREATES, "[ -e " + Shell.quote(c) + " ] && echo exists=yes || echo exists=no"));
        String dest = args.string("dest");
        parts.add(DEST, "[ -d " + Shell.quote(dest) + " ] && echo dest=dir || echo dest=missing");
        if (args.bool("remote_src", false)) {
            String src = Shell.quote(args.string("src"));
            parts.add(REMOTE, "[ -f " + src + " ] || { echo src=missing; exit 0; }\n[ -d " + Shell.quote(dest) + " ] || exit 0\n"
                    + "if [ \"$(head -c 2 " + src + ")\" = PK ]; then\n"
                    + "  command -v unzip >/dev/null 2>&1 || { echo 'this host has no unzip: unarchive needs it for zip files'; exit 3; }\n"
                    + "  unzip -Z1 " + src + " | while IFS= read -r m; do case $m in */) [ -d " + Shell.quote(dest) + "/\"$m\" ] || printf 'differs=%s\\n' \"$m\";;"
                    + " *) if [ -L " + Shell.quote(dest) + "/\"$m\" ]; then [ \"$(readlink -- " + Shell.quote(dest) + "/\"$m\")\" = \"$(unzip -p " + src + " \"$m\")\" ];"
                    + " else unzip -p " + src + " \"$m\" | cmp -s - " + Shell.quote(dest) + "/\"$m\"; fi || printf 'differs=%s\\n' \"$m\";; esac; done\n"
                    + "else\n"
                    + "  tar -d -f " + src + " -C " + Shell.quote(dest) + " 2>&1 | grep -v -e 'Mod time differs' -e 'Uid differs' -e 'Gid differs' -e 'Mode differs'"
                    + " -e '^tar: Exiting with failure' | sed 's/^/differs=/'\n"
                    + "fi\n"
                    + (args.bool("list_files", false)
                        ? "if [ \"$(head -c 2 " + src + ")\" = PK ]; then unzip -Z1 " + src + "; else tar -tf " + src + "; fi | sed 's/^/member=/'\n" : "")
                    + "true");
        } else {
            ArchiveMembers.Listing listing = listing(args, ctx);
            StringBuilder s = new StringBuilder("cd " + Shell.quote(dest) + " 2>/dev/null || exit 0\n");
            s.append("while IFS= read -r m; do\n")
                    .append("  if [ -L \"$m\" ]; then printf 'L\\t%s\\t%s\\t%s\\n' \"$m\" \"$(readlink -- \"$m\")\" \"$(stat -c %U:%G -- \"$m\")\"\n")
                    .append("  elif [ -f \"$m\" ]; then h=$(sha256sum < \"$m\") || exit 1; printf 'F\\t%s\\t%s\\t%s\\n' \"$m\" \"${h%% *}\" \"$(stat -c %U:%G -- \"$m\")\"\n")
                    .append("  elif [ -d \"$m\" ]; then printf 'D\\t%s\\t\\t%s\\n' \"$m\" \"$(stat -c %U:%G -- \"$m\")\"\n")
                    .append("  else printf 'A\\t%s\\n' \"$m\"; fi\n")
                    .append("done <<'RIG_MEMBERS'\n");
            listing.members().keySet().forEach(m -> s.append(m).append('\n'));
            s.append("RIG_MEMBERS\n");
            parts.add(MEMBERS, s.toString());
        }
        return parts.probe();
    }

    private static Path localArchive(Args args, ModuleContext ctx) {
        String src = args.string("src");
        return LocalFiles.find(src, ctx.fileDirs())
                .orElseThrow(() -> new Args.ArgumentException("archive '" + src + "' not found; looked in " + LocalFiles.describe(src, ctx.fileDirs())));
    }

    private static ArchiveMembers.Listing listing(Args args, ModuleContext ctx) {
        Path file = localArchive(args, ctx);
        return (ArchiveMembers.Listing) ctx.memo().computeIfAbsent("unarchive:" + file, k -> ArchiveMembers.read(file));
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        Map<String, String> parts = ProbeParts.parse(probeOutput);
        String dest = args.string("dest");
        String src = args.string("src");
        if (args.has("creates") && ProbeParts.part(parts, CREATES).contains("exists=yes")) {
            return Outcome.ok("skipped, since " + args.string("creates") + " exists");
        }
        if (ProbeParts.part(parts, DEST).contains("dest=missing")) return Outcome.fail("dest '" + dest + "' must be an existing directory");
        String ownership = args.optString("owner").orElse("") + args.optString("group").map(g -> ":" + g).orElse("");
        List<String> differing = new ArrayList<>();
        List<HostCommand> cmds = new ArrayList<>();
        List<String> files;
        if (args.bool("remote_src", false)) {
            String remote = ProbeParts.part(parts, REMOTE);
            if (remote.contains("src=missing")) return Outcome.fail("src '" + src + "' does not exist on the host");
            List<String> members = new ArrayList<>();
            for (String line : remote.split("\n")) {
                if (line.startsWith("differs=")) differing.add(line.substring(8));
                if (line.startsWith("member=")) members.add(line.substring(7));
            }
            files = List.copyOf(members);
            if (!differing.isEmpty()) cmds.add(HostCommand.of(extract(Shell.quote(src), dest, ownership, null), "unpack " + src + " into " + dest));
        } else {
            ArchiveMembers.Listing listing = listing(args, ctx);
            Map<String, String[]> found = new LinkedHashMap<>();
            for (String line : ProbeParts.part(parts, MEMBERS).split("\n")) {
                String[] f = line.split("\t", -1);
                if (f.length >= 2) found.put(f[1], f);
            }
            listing.members().forEach((name, m) -> {
                String[] cur = found.get(name);
                // A zip stores a symlink as a member whose content is the link's target (java.util.zip cannot tell them apart).
                boolean zipLink = cur != null && cur[0].equals("L") && m.kind() == 'F' && listing.format() == ArchiveMembers.Format.ZIP
                        && cur.length > 2 && Digests.sha256(cur[2]).equals(m.value());
                boolean same = cur != null && (zipLink || cur[0].charAt(0) == m.kind() && (m.kind() == 'D' || (cur.length > 2 && cur[2].equals(m.value()))))
                        && (ownership.isEmpty() || (cur.length > 3 && owned(cur[3], args)));
                if (!same) differing.add(name);
            });
            files = List.copyOf(listing.members().keySet());
            if (!differing.isEmpty()) {
                // Streamed from disk when sent, hashed as read: an archive may be larger than memory.
                dev.rig.core.Payload archive = dev.rig.core.Payload.file(localArchive(args, ctx));
                cmds.add(HostCommand.withInput(upload(archive.sha256(), dest, ownership, files), archive,
                        "upload " + src + " (" + archive.size() + " bytes) and unpack it into " + dest));
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("dest", dest);
        result.put("src", src);
        if (args.bool("list_files", false)) result.put("files", files);
        if (cmds.isEmpty()) return Outcome.ok(dest + " already holds " + src).withResult(result);
        Map<String, String> before = new LinkedHashMap<>();
        Map<String, String> after = new LinkedHashMap<>();
        for (String m : differing.subList(0, Math.min(differing.size(), 20))) {
            before.put(m, "differs");
            after.put(m, "from " + src);
        }
        if (differing.size() > 20) after.put("…", (differing.size() - 20) + " more");
        return Outcome.of(Change.of(Action.UPDATE, cmds, List.of(Diff.attributes(dest, before, after)),
                "unpack " + src + " into " + dest + " (" + differing.size() + " member" + (differing.size() == 1 ? "" : "s") + " differ)")).withResult(result);
    }

    private static boolean owned(String ownerGroup, Args args) {
        String[] og = ownerGroup.split(":", 2);
        return args.optString("owner").map(o -> o.equals(og[0])).orElse(true) && args.optString("group").map(g -> og.length > 1 && g.equals(og[1])).orElse(true);
    }

    private static String upload(String sha, String dest, String ownership, List<String> members) {
        return "set -e\n" + FileContent.tempFile("/tmp", ".rig-unarchive-", "") + "cat > \"$t\"\n"
                + "h=$(sha256sum < \"$t\"); [ \"${h%% *}\" = " + sha + " ] || { echo 'the archive arrived damaged' >&2; exit 1; }\n"
                + extract("\"$t\"", dest, ownership, members);
    }

    /** Unpacks ARCHIVE (a shell word) into dest; tar recognizes gzip, xz and zstd by itself. */
    private static String extract(String archive, String dest, String ownership, List<String> members) {
        String d = Shell.quote(dest);
        StringBuilder s = new StringBuilder();
        s.append("if [ \"$(head -c 2 ").append(archive).append(")\" = PK ]; then\n")
                .append("  command -v unzip >/dev/null 2>&1 || { echo 'this host has no unzip: unarchive needs it for zip files' >&2; exit 1; }\n")
                .append("  unzip -o -q ").append(archive).append(" -d ").append(d).append('\n')
                .append("else tar -xf ").append(archive).append(" -C ").append(d).append("; fi\n");
        if (!ownership.isEmpty()) {
            s.append("cd ").append(d).append('\n');
            if (members != null) {
                s.append("while IFS= read -r m; do chown -h ").append(Shell.quote(ownership)).append(" -- \"$m\"; done <<'RIG_MEMBERS'\n");
                members.forEach(m -> s.append(m).append('\n'));
                s.append("RIG_MEMBERS\n");
            } else {
                s.append("{ if [ \"$(head -c 2 ").append(archive).append(")\" = PK ]; then unzip -Z1 ").append(archive).append("; else tar -tf ").append(archive)
                        .append("; fi; } | while IFS= read -r m; do chown -h ").append(Shell.quote(ownership)).append(" -- \"$m\"; done\n");
            }
        }
        return s.toString();
    }
}

package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.PathFact;
import dev.rig.facts.Probe;
import dev.rig.facts.StatFact;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;
import dev.rig.playbook.ArgSpec;
import dev.rig.template.Templates;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
import static dev.rig.playbook.ArgSpec.ArgType.INT;
import static dev.rig.playbook.ArgSpec.ArgType.MAP;
import static dev.rig.playbook.ArgSpec.ArgType.MODE;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * Downloads a URL on the host (with curl, or wget when the host has no curl), as Ansible's get_url:
 * an existing file is kept unless {@code checksum} says it differs ({@code ALGORITHM:HEX}, or
 * {@code ALGORITHM:URL} of a checksum file naming the URL's file) or {@code force} is set; with
 * {@code force} the probe hashes the remote content without storing it, so a converged host is
 * downloaded from once and reported "ok". The download goes to a temp file beside the destination,
 * is checked against the checksum, gets its attributes, then is renamed over the destination.
 * Headers and credentials reach curl through a config on stdin, never its command line.
 */
public final class GetUrlModule implements Module {
    private static final String TARGET = "target";
    private static final String SUMS = "sums";
    private static final String REMOTE = "remote";

    @Override
    public String name() {
        return "get_url";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("url", STRING), ArgSpec.required("dest", STRING), ArgSpec.optional("checksum", STRING),
                ArgSpec.optional("force", BOOL).alias("thirsty"), ArgSpec.optional("backup", BOOL), ArgSpec.optional("timeout", INT),
                ArgSpec.optional("headers", MAP), ArgSpec.optional("url_username", STRING).alias("username"),
                ArgSpec.optional("url_password", STRING).alias("password"), ArgSpec.optional("validate_certs", BOOL),
                ArgSpec.optional("mode", MODE), ArgSpec.optional("owner", STRING), ArgSpec.optional("group", STRING));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        if (args.get("checksum") instanceof String c && !Templates.isTemplated(c)) {
            try {
                checksum(c);
            } catch (Args.ArgumentException e) {
                return List.of(e.getMessage());
            }
        }
        return List.of();
    }

    /** ALGORITHM and the rest (a hex digest or a URL). */
    record Checksum(String algorithm, String value) {
        boolean isUrl() {
            return value.matches("(?i)(https?|ftp|file)://.*");
        }
    }

    static Checksum checksum(String spec) {
        int colon = spec.indexOf(':');
        if (colon < 0) throw new Args.ArgumentException("checksum must be ALGORITHM:CHECKSUM or ALGORITHM:URL, not '" + spec + "'");
        String algorithm = spec.substring(0, colon).strip().toLowerCase(Locale.ROOT);
        if (!StatFact.ALGORITHMS.contains(algorithm)) throw new Args.ArgumentException("unknown checksum algorithm '" + algorithm + "'");
        Checksum c = new Checksum(algorithm, spec.substring(colon + 1).strip());
        if (!c.isUrl() && !normalized(c.value()).matches("[0-9a-f]+")) throw new Args.ArgumentException("the checksum format is invalid: '" + c.value() + "'");
        return c;
    }

    /** As Ansible: non-word characters (a zero-width space, a colon) dropped, lower case. */
    private static String normalized(String hex) {
        return hex.replaceAll("\\W+", "").toLowerCase(Locale.ROOT);
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        Checksum checksum = args.optString("checksum").map(GetUrlModule::checksum).orElse(null);
        String algorithm = checksum == null ? "sha256" : checksum.algorithm();
        ProbeParts parts = new ProbeParts();
        parts.add(TARGET, "p=" + Shell.quote(args.string("dest")) + "\n"
                + "if [ -d \"$p\" ]; then p=\"${p%/}/\"" + Shell.quote(fileName(args.string("url"))) + "; fi\n"
                + "printf 'path=%s\\n' \"$p\"\n"
                + "if [ -L \"$p\" ] || [ -e \"$p\" ] && [ ! -f \"$p\" ]; then echo kind=other; exit 0; fi\n"
                + "[ -f \"$p\" ] || { echo kind=absent; exit 0; }\n"
                + "echo kind=file\nstat -c 'mode=%a\nowner=%U\ngroup=%G' -- \"$p\" || exit 1\n"
                + "h=$(" + algorithm + "sum < \"$p\") || exit 1; echo hash=${h%% *}\n");
        if (checksum != null && checksum.isUrl()) {
            parts.add(SUMS, fetcher(args) + "s=$(fetch " + Shell.quote(checksum.value()) + ") || { echo 'could not fetch the checksum file " + checksum.value().replace("'", "")
                    + "' >&2; exit 1; }\nprintf '%s\\n' \"$s\" | base64 -w0; echo");
        }
        if (args.bool("force", false) && checksum == null) {
            // The body is hashed as it streams, never stored; fetch's own status comes back on fd 3 (sh has no pipefail).
            parts.add(REMOTE, fetcher(args) + "exec 4>&1\nrc=$( { { fetch " + Shell.quote(args.string("url")) + "; echo $? >&3; } | sha256sum | sed 's/ .*//; s/^/remote=/' >&4; } 3>&1 )\n"
                    + "[ \"$rc\" = 0 ] || { echo 'could not download " + args.string("url").replace("'", "") + "' >&2; exit 1; }");
        }
        return parts.probe();
    }

    /** A shell function {@code fetch URL} writing the body to stdout: curl when there, else wget (without headers or credentials). */
    private static String fetcher(Args args) {
        return "fetch() {\n"
                + "  if command -v curl >/dev/null 2>&1; then curl " + curlOptions(args) + " -K - -- \"$1\" <<'RIG_CURL_CONFIG'\n" + curlConfig(args) + "RIG_CURL_CONFIG\n"
                + "  elif command -v wget >/dev/null 2>&1; then " + wgetCommand(args) + " -O - -- \"$1\"\n"
                + "  else echo 'this host has neither curl nor wget: get_url downloads with one of them' >&2; return 3; fi\n"
                + "}\n";
    }

    private static String curlOptions(Args args) {
        return "-fsSL --max-time " + args.integer("timeout", 10) + (args.bool("validate_certs", true) ? "" : " -k");
    }

    private static String wgetCommand(Args args) {
        if (args.has("headers") || args.has("url_username")) {
            return "{ echo 'this host has no curl: get_url sends headers and credentials with curl only' >&2; return 3; } #";
        }
        return "wget -q -T " + args.integer("timeout", 10) + (args.bool("validate_certs", true) ? "" : " --no-check-certificate");
    }

    /** curl's config syntax: one option a line, values in double quotes with \ and " escaped. */
    private static String curlConfig(Args args) {
        StringBuilder c = new StringBuilder();
        if (args.values().get("headers") instanceof Map<?, ?> headers) {
            headers.forEach((k, v) -> c.append("header = ").append(curlQuote(k + ": " + v)).append('\n'));
        }
        if (args.has("url_username")) c.append("user = ").append(curlQuote(args.string("url_username") + ":" + args.string("url_password", ""))).append('\n');
        return c.toString();
    }

    private static String curlQuote(String s) {
        if (s.contains("\n") || s.contains("RIG_CURL_CONFIG")) throw new Args.ArgumentException("a header or credential may not contain a line break");
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** The URL path's last segment, as Ansible names a file downloaded into a directory. */
    static String fileName(String url) {
        String path = URI.create(url.strip()).getPath();
        String name = path == null ? "" : path.substring(path.lastIndexOf('/') + 1);
        return name.isEmpty() ? "index.html" : name;
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        String url = args.string("url");
        Checksum checksum = args.optString("checksum").map(GetUrlModule::checksum).orElse(null);
        Map<String, String> parts = ProbeParts.parse(probeOutput);
        Map<String, String> target = keyValues(ProbeParts.part(parts, TARGET));
        String path = target.get("path");
        String kind = target.getOrDefault("kind", "absent");
        if (kind.equals("other")) return Outcome.fail(path + " exists and is not a regular file");
        boolean exists = kind.equals("file");
        String expected = null;
        if (checksum != null) {
            expected = checksum.isUrl() ? fromChecksumFile(ProbeParts.part(parts, SUMS), fileName(url), checksum.value()) : normalized(checksum.value());
            if (expected == null) return Outcome.fail("Unable to find a checksum for file '" + fileName(url) + "' in '" + checksum.value() + "'");
        }
        boolean force = args.bool("force", false);
        String current = target.get("hash");
        boolean download;
        if (!exists) {
            download = true;
        } else if (force && checksum == null) {
            String remote = keyValues(ProbeParts.part(parts, REMOTE)).get("remote");
            download = !current.equals(remote);
        } else {
            download = force || (expected != null && !expected.equals(current));
        }
        FileAttributes attrs = FileAttributes.from(args);
        PathFact.State cur = exists ? new PathFact.State("file", PathFact.normalizeMode(target.get("mode")), target.get("owner"), target.get("group"),
                0, null, null, null) : PathFact.State.absent();
        Map<String, String> before = new LinkedHashMap<>();
        Map<String, String> after = new LinkedHashMap<>();
        List<HostCommand> cmds = new ArrayList<>();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("dest", path);
        result.put("url", url);
        if (download) {
            String algorithm = checksum == null ? "sha256" : checksum.algorithm();
            before.put("state", exists ? "file" : "absent");
            after.put("state", "file");
            if (exists) before.put(algorithm, current);
            after.put(algorithm, expected != null ? expected : "(the download's)");
            if (exists) attrs.fix(path, cur, before, after); else attrs.describeNew(after);
            cmds.add(download(args, url, path, algorithm, expected, attrs, exists));
        } else {
            cmds.addAll(attrs.fix(path, cur, before, after));
            if (expected != null) result.put("checksum_dest", current);
        }
        if (cmds.isEmpty()) return Outcome.ok(path + " already exists" + (expected != null ? " with the expected checksum" : "")).withResult(result);
        Action action = !exists ? Action.CREATE : Action.UPDATE;
        String summary = download ? "download " + url + " to " + path : "fix attributes of " + path;
        return Outcome.of(Change.of(action, cmds, List.of(Diff.attributes(path, before, after)), summary)).withResult(result);
    }

    private static HostCommand download(Args args, String url, String path, String algorithm, String expected, FileAttributes attrs, boolean exists) {
        StringBuilder s = new StringBuilder("set -e\n");
        s.append(fetcher(args));
        s.append("f=").append(Shell.quote(path)).append("; d=").append(Shell.quote(FileContent.parent(path))).append('\n');
        s.append("[ -d \"$d\" ] || { echo \"destination directory $d does not exist\" >&2; exit 1; }\n");
        s.append(FileContent.tempFile("\"$d\"", ".rig-", ".tmp"));
        s.append("fetch ").append(Shell.quote(url)).append(" > \"$t\" || { echo 'could not download ").append(url.replace("'", "")).append("' >&2; exit 1; }\n");
        if (expected != null) {
            s.append("h=$(").append(algorithm).append("sum < \"$t\"); h=${h%% *}\n");
            s.append("[ \"$h\" = ").append(expected).append(" ] || { echo \"the ").append(algorithm).append(" checksum of the download ($h) is not ")
                    .append(expected).append("\" >&2; exit 1; }\n");
        }
        if (attrs.mode().isPresent()) s.append("chmod ").append(attrs.mode().get()).append(" \"$t\"\n");
        else if (exists) s.append("chmod --reference=\"$f\" \"$t\"\n");
        else s.append("chmod \"$(printf '%o' $((0666 & ~$(umask))))\" \"$t\"\n");
        String ownership = attrs.owner().orElse("") + attrs.group().map(g -> ":" + g).orElse("");
        if (!ownership.isEmpty()) s.append("chown ").append(Shell.quote(ownership)).append(" \"$t\"\n");
        else if (exists) s.append("chown --reference=\"$f\" \"$t\" 2>/dev/null || true\n");
        if (exists && args.bool("backup", false)) s.append("cp -p -- \"$f\" \"$f.$$.$(date +%Y-%m-%d@%H:%M:%S)~\"\n");
        s.append("mv -f \"$t\" \"$f\"\ntrap - EXIT\n");
        return HostCommand.of(s.toString(), "download " + url + " to " + path);
    }

    /** Ansible's reading of a checksum file: a lone digest, or "DIGEST [ *]NAME" lines, the first naming the file. */
    static String fromChecksumFile(String base64, String fileName, String source) {
        String text = new String(Base64.getDecoder().decode(base64.strip().split("\n")[0].strip()), StandardCharsets.UTF_8);
        List<String> lines = text.lines().toList();
        if (lines.size() == 1 && lines.get(0).strip().split("\\s+").length == 1) return normalized(lines.get(0));
        for (String line : lines) {
            int space = line.indexOf(' ');
            if (space < 0) continue;
            String name = line.substring(space + 1);
            if (name.startsWith(" ") || name.startsWith("*")) name = name.substring(1);
            name = name.replaceFirst("^[./]+", "");
            if (name.equals(fileName)) return normalized(line.substring(0, space));
        }
        return null;
    }

    private static Map<String, String> keyValues(String text) {
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) kv.putIfAbsent(line.substring(0, eq).strip(), line.substring(eq + 1));
        }
        return kv;
    }
}

package dev.rig.facts;

import dev.rig.core.Shell;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A user's authorized_keys file: whether the user exists, their primary group, the file's path (by
 * default under their home), whether its directory exists, and the file's state with its text.
 */
public record AuthorizedKeysFile(boolean userExists, String home, String group, String path, boolean directoryExists,
                                 PathFact.State file, String text) {
    /** The file of user: path, or ~user/.ssh/authorized_keys when empty. */
    public static Fact<AuthorizedKeysFile> of(String user, Optional<String> path) {
        String u = Shell.quote(user);
        String file = path.map(Shell::quote).orElse("\"$h/.ssh/authorized_keys\"");
        return Fact.of(new Probe("e=$(getent passwd " + u + ") || { echo user=missing; exit 0; }\n"
                + "h=$(printf '%s' \"$e\" | cut -d: -f6); echo home=$h; printf 'group=%s\\n' \"$(id -gn " + u + ")\"\n"
                + "f=" + file + "; printf 'file=%s\\n' \"$f\"; d=$(dirname -- \"$f\")\n"
                + "[ -d \"$d\" ] && echo dir=yes || echo dir=no\n"
                + "if [ -f \"$f\" ]; then stat -c 'mode=%a\nowner=%U\nfgroup=%G' -- \"$f\"; s=$(sha256sum < \"$f\"); echo sha256=${s%% *};"
                + " printf 'content='; base64 -w0 < \"$f\"; echo; else echo absent=yes; fi\n"), AuthorizedKeysFile::parse);
    }

    static AuthorizedKeysFile parse(String output) {
        // Values are kept as printed (a path may end in a space); only the base64 content is stripped.
        Map<String, String> kv = new LinkedHashMap<>();
        for (String line : (output == null ? "" : output).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) kv.putIfAbsent(line.substring(0, eq), line.substring(eq + 1));
        }
        if (kv.containsKey("user")) return new AuthorizedKeysFile(false, null, null, null, false, PathFact.State.absent(), "");
        boolean exists = !kv.containsKey("absent");
        String text = exists ? new String(Base64.getDecoder().decode(kv.getOrDefault("content", "").strip()), StandardCharsets.UTF_8) : "";
        PathFact.State file = exists ? new PathFact.State("file", PathFact.normalizeMode(kv.get("mode")), kv.get("owner"), kv.get("fgroup"), 0, null,
                kv.get("sha256"), text.getBytes(StandardCharsets.UTF_8)) : PathFact.State.absent();
        return new AuthorizedKeysFile(true, kv.get("home"), kv.get("group"), kv.get("file"), !"no".equals(kv.get("dir")), file, text);
    }
}

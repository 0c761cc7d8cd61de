package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.AuthorizedKeysFile;
import dev.rig.facts.Probe;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;
import dev.rig.playbook.ArgSpec;
import dev.rig.template.Templates;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * SSH public keys in a user's authorized_keys (ansible.posix.authorized_key): a key is identified by
 * its type and blob; a present key with other options or comment is rewritten in place, a new one
 * appended; {@code exclusive} removes every key not given; {@code state: absent} removes the given
 * ones. Other lines (comments) stay. {@code manage_dir} makes ~/.ssh (0700, the user's) first; the
 * file is written atomically, mode 0600, owned by the user. Keys from a URL are not fetched: give
 * the keys themselves.
 */
public final class AuthorizedKeyModule implements Module {
    private static final Pattern KEY = Pattern.compile("^(?:(.*?)\\s+)?((?:sk-)?(?:ssh|ecdsa)-[a-z0-9@.-]+)\\s+([A-Za-z0-9+/=]+)(?:\\s+(.*))?$");

    @Override
    public String name() {
        return "authorized_key";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("user", STRING), ArgSpec.required("key", STRING), ArgSpec.optional("path", STRING),
                ArgSpec.optional("manage_dir", BOOL), ArgSpec.choice("state", false, "present", "absent"), ArgSpec.optional("key_options", STRING),
                ArgSpec.optional("exclusive", BOOL), ArgSpec.optional("comment", STRING));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        if (args.get("key") instanceof String k && !Templates.isTemplated(k) && k.strip().matches("(?i)https?://.*")) {
            return List.of("key: rig does not fetch keys from a URL; give the keys themselves (a lookup of a local file works)");
        }
        return List.of();
    }

    /** One key line: options, type, blob, comment. */
    record Key(String options, String type, String blob, String comment) {
        String line() {
            return (options == null || options.isEmpty() ? "" : options + " ") + type + " " + blob + (comment == null || comment.isEmpty() ? "" : " " + comment);
        }

        String id() {
            return type + " " + blob;
        }
    }

    static Optional<Key> parse(String line) {
        String l = line.strip();
        if (l.isEmpty() || l.startsWith("#")) return Optional.empty();
        Matcher m = KEY.matcher(l);
        if (!m.matches()) return Optional.empty();
        return Optional.of(new Key(m.group(1), m.group(2), m.group(3), m.group(4)));
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return AuthorizedKeysFile.of(args.string("user"), args.optString("path")).probe();
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        AuthorizedKeysFile keys = AuthorizedKeysFile.of(args.string("user"), args.optString("path")).parse(probeOutput);
        String user = args.string("user");
        if (!keys.userExists()) return Outcome.fail("no user " + user + " on this host");
        String file = keys.path();
        boolean exists = keys.file().exists();
        String text = keys.text();
        boolean present = args.string("state", "present").equals("present");
        List<Key> wanted = new ArrayList<>();
        for (String line : args.string("key").split("\n")) {
            if (line.isBlank() || line.strip().startsWith("#")) continue;
            Key k = parse(line).orElseThrow(() -> new Args.ArgumentException("not an SSH public key: '" + line.strip() + "'"));
            String options = args.optString("key_options").orElse(k.options());
            String comment = args.optString("comment").orElse(k.comment());
            wanted.add(new Key(options, k.type(), k.blob(), comment));
        }
        Map<String, Key> byId = new LinkedHashMap<>();
        wanted.forEach(k -> byId.put(k.id(), k));
        boolean exclusive = args.bool("exclusive", false);
        List<String> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        int added = 0;
        int removed = 0;
        for (String line : text.split("\n", -1)) {
            Optional<Key> k = parse(line);
            if (k.isEmpty()) {
                out.add(line);
                continue;
            }
            Key want = byId.get(k.get().id());
            if (present && want != null && !seen.contains(want.id())) {
                out.add(want.line());
                seen.add(want.id());
            } else if ((present && exclusive) || (!present && want != null) || (present && want != null)) {
                removed++;
            } else {
                out.add(line);
            }
        }
        if (!out.isEmpty() && out.get(out.size() - 1).isEmpty()) out.remove(out.size() - 1);
        if (present) {
            for (Key k : wanted) {
                if (!seen.contains(k.id())) {
                    out.add(k.line());
                    seen.add(k.id());
                    added++;
                }
            }
        }
        String edited = out.isEmpty() ? "" : String.join("\n", out) + "\n";
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("user", user);
        result.put("key_file", file);
        result.put("exclusive", exclusive);
        if (!exists && !present) return Outcome.ok(file + " does not exist").withResult(result);
        List<HostCommand> cmds = new ArrayList<>();
        String dir = FileContent.parent(file);
        String group = keys.group();
        if (!keys.directoryExists()) {
            if (!args.bool("manage_dir", true)) return Outcome.fail("directory " + dir + " does not exist (manage_dir is false)");
            cmds.add(HostCommand.of("mkdir -m 0700 -- " + Shell.quote(dir) + " && chown " + Shell.quote(user + ":" + group) + " -- " + Shell.quote(dir),
                    "mkdir " + dir));
        }
        FileAttributes attrs = new FileAttributes(Optional.of("0600"), Optional.of(user), Optional.ofNullable(group));
        Outcome write = FileContent.converge(file, edited.getBytes(StandardCharsets.UTF_8), attrs, keys.file(), ctx.noLog());
        if (write.failed()) return write;
        cmds.addAll(write.change().commands());
        if (cmds.isEmpty()) return Outcome.ok(file + ": keys as wanted").withResult(result);
        List<Diff> diffs = write.change().diffs();
        String summary = file + ": " + (added > 0 ? added + " key(s) added" : "") + (added > 0 && removed > 0 ? ", " : "")
                + (removed > 0 ? removed + " key line(s) removed or rewritten" : "") + (added == 0 && removed == 0 ? "attributes fixed" : "");
        return Outcome.of(Change.of(exists ? Action.UPDATE : Action.CREATE, cmds, diffs, summary)).withResult(result);
    }
}

package dev.rig.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.core.Digests;
import dev.rig.core.Secrets;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What a plan decided for one task (or loop item) on one host. {@code fingerprint} digests every decision
 * (status, action, diffs, commands and their scripts) of the unmasked task, so a plan whose readable parts
 * are masked is still compared in full with a fresh one. {@code delegate}: the host a delegated task
 * ({@code delegate_to}) runs on, shown as Ansible's {@code [web1 -> db1]}; null when it is not delegated.
 */
public record PlannedTask(String play, String task, String item, Status status, Action action, String message,
                          List<Diff> diffs, List<PlannedCommand> commands, boolean ignored, boolean handler, String delegate,
                          String fingerprint) {
    /** The result a plan gives a task; the names are the ones of the engine's task results and of the file. */
    public enum Status { OK, CHANGED, SKIPPED, FAILED, UNREACHABLE, KNOWN_AFTER_APPLY }

    private static final ObjectMapper CANONICAL = new ObjectMapper();

    public PlannedTask {
        diffs = List.copyOf(diffs);
        commands = List.copyOf(commands);
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(action, "action");
    }

    /** A task as planned, with the fingerprint of exactly these (unmasked) fields. */
    public static PlannedTask of(String play, String task, String item, Status status, Action action, String message,
                                 List<Diff> diffs, List<PlannedCommand> commands, boolean ignored, boolean handler, String delegate) {
        PlannedTask t = new PlannedTask(play, task, item, status, action, message, diffs, commands, ignored, handler, delegate, null);
        return new PlannedTask(play, task, item, status, action, message, diffs, commands, ignored, handler, delegate, t.computedFingerprint());
    }

    /** Where the task runs as Ansible prints it: the host, or "host -> delegate". */
    public String where(String host) {
        return delegate == null ? host : host + " -> " + delegate;
    }

    /** The descriptions a plan shows (no_log hides them). */
    public List<String> descriptions() {
        return commands.stream().map(PlannedCommand::description).filter(Objects::nonNull).toList();
    }

    /** The sha256 of each script the task runs, in order. */
    public List<String> scripts() {
        return commands.stream().map(PlannedCommand::sha256).filter(Objects::nonNull).toList();
    }

    /** "task 'Config'" or "task 'Users' (item=bob)": how a refusal names the task. */
    public String named() {
        return "task '" + task + "'" + (item != null ? " (item=" + item + ")" : "");
    }

    /** A copy whose readable text has every secret masked; the fingerprint stays that of the unmasked task. */
    public PlannedTask redacted(Secrets secrets) {
        return new PlannedTask(secrets.redact(play), secrets.redact(task), secrets.redact(item), status, action, secrets.redact(message),
                diffs.stream().map(d -> redacted(d, secrets)).toList(),
                commands.stream().map(c -> new PlannedCommand(secrets.redact(c.description()), c.sha256())).toList(),
                ignored, handler, secrets.redact(delegate), fingerprint);
    }

    private static Diff redacted(Diff d, Secrets secrets) {
        Map<String, String> before = new LinkedHashMap<>();
        d.before().forEach((k, v) -> before.put(k, secrets.redact(v)));
        Map<String, String> after = new LinkedHashMap<>();
        d.after().forEach((k, v) -> after.put(k, secrets.redact(v)));
        return new Diff(secrets.redact(d.resource()), before, after, secrets.redact(d.beforeText()), secrets.redact(d.afterText()));
    }

    /**
     * The digest of the decision, the same as format version 2 computed it (a version 2 plan made by the
     * previous rig still applies): JSON of play, task, item, status, action, message, diffs, descriptions,
     * handler and script digests; and the delegate when there is one (absent otherwise, so a task that is not
     * delegated keeps the fingerprint it had before delegation to hosts).
     */
    String computedFingerprint() {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("play", play);
        canonical.put("task", task);
        canonical.put("item", item);
        canonical.put("status", status);
        canonical.put("action", action);
        canonical.put("message", message);
        canonical.put("diffs", diffs);
        canonical.put("commands", descriptions());
        canonical.put("handler", handler);
        canonical.put("scripts", scripts());
        if (delegate != null) canonical.put("delegate", delegate);
        try {
            return Digests.sha256(CANONICAL.writeValueAsString(canonical));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

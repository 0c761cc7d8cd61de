package dev.rig.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.apply.Event;
import dev.rig.apply.HostRecap;
import dev.rig.core.Digests;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Secrets;
import dev.rig.core.Source;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A saved plan ({@code rig plan --out plan.json}), format version {@value #FORMAT_VERSION}:
 * the inputs it was made from, a sha256 of every input file, and per host the planned result of
 * each task (status, action, before/after, commands, and the sha256 of each script those commands
 * run) with a fingerprint. Secrets are masked in the readable parts and kept only as digests.
 * {@code rig apply plan.json} re-plans from the same inputs and applies a host only when the scripts
 * it would run and its fingerprint are unchanged.
 */
public final class PlanFile {
    public static final String FORMAT = "rig-plan";
    /** 2: each task also keeps the sha256 of every script it would run ("scripts"). */
    public static final int FORMAT_VERSION = 2;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** What a plan was computed from; extra vars with secret names are kept as digests only. */
    public record Inputs(String inventory, List<String> playbooks, String limit, List<String> tags, List<String> skipTags,
                         Map<String, Object> extraVars) {}

    private PlanFile() {}

    public static ObjectNode build(String rigVersion, Instant createdAt, Inputs inputs, Map<String, String> fileDigests,
                                   RunRecord record, Secrets secrets) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("rig_version", rigVersion);
        root.put("created_at", createdAt.toString());
        ObjectNode in = root.putObject("inputs");
        in.put("inventory", inputs.inventory());
        in.set("playbooks", JSON.valueToTree(inputs.playbooks()));
        in.put("limit", inputs.limit());
        in.set("tags", JSON.valueToTree(inputs.tags()));
        in.set("skip_tags", JSON.valueToTree(inputs.skipTags()));
        ObjectNode extra = in.putObject("extra_vars");
        inputs.extraVars().forEach((k, v) -> {
            if (secrets.isSecret(k)) extra.putObject(k).put("sha256", Digests.sha256(String.valueOf(v)));
            else extra.set(k, JSON.valueToTree(v));
        });
        root.set("files", JSON.valueToTree(new java.util.TreeMap<>(fileDigests)));
        ArrayNode hosts = root.putArray("hosts");
        int toChange = 0, problems = 0;
        for (HostRecap r : record.recaps()) {
            ObjectNode h = hosts.addObject();
            h.put("host", r.host());
            h.put("status", r.hasProblem() ? (r.unreachable() > 0 ? "unreachable" : "failed") : r.converging() > 0 ? "changes" : "in_sync");
            if (r.failure() != null) h.put("failure", secrets.redact(r.failure()));
            h.put("fingerprint", hostFingerprint(record.tasks(r.host())));
            ArrayNode tasks = h.putArray("tasks");
            for (Event.TaskDone t : record.tasks(r.host())) {
                ObjectNode node = JSON.valueToTree(t);
                node.set("scripts", JSON.valueToTree(t.scripts()));
                node.put("fingerprint", taskFingerprint(t));
                tasks.add(RedactedJson.redact(node, secrets));
            }
            toChange += r.converging();
            if (r.hasProblem()) problems++;
        }
        ObjectNode summary = root.putObject("summary");
        summary.put("hosts", record.recaps().size());
        summary.put("to_change", toChange);
        summary.put("hosts_with_problems", problems);
        return root;
    }

    public static String toJson(JsonNode plan) {
        try {
            return JSON.writeValueAsString(plan) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Reads and checks a saved plan; a file that is not one, or of another version, is an input error. */
    public static JsonNode read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new InvalidInputException(new Source(file.toString(), 0, 0), "cannot read saved plan: " + e.getMessage());
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new InvalidInputException(new Source(file.toString(), 0, 0), "not a rig plan (expected \"format\": \"" + FORMAT + "\")");
        }
        int version = root.path("format_version").asInt(-1);
        if (version != FORMAT_VERSION) {
            throw new InvalidInputException(new Source(file.toString(), 0, 0), "plan format version " + version
                    + " is not supported; this rig reads version " + FORMAT_VERSION);
        }
        return root;
    }

    /** The planned task results of a saved plan, as events, for rendering with a reporter. */
    public static List<Event.TaskDone> tasks(JsonNode host) {
        List<Event.TaskDone> out = new ArrayList<>();
        for (JsonNode t : host.path("tasks")) {
            ObjectNode copy = t.deepCopy();
            copy.remove("fingerprint");
            copy.remove("scripts");
            try {
                out.add(JSON.treeToValue(copy, Event.TaskDone.class).withScripts(scripts(t)));
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("saved plan has an unreadable task: " + e.getOriginalMessage(), e);
            }
        }
        return out;
    }

    /** Files whose content differs from the digests saved in the plan (or that are gone, or new). */
    public static List<String> changedFiles(JsonNode plan, Map<String, String> now) {
        List<String> out = new ArrayList<>();
        Map<String, String> saved = new LinkedHashMap<>();
        plan.path("files").fields().forEachRemaining(e -> saved.put(e.getKey(), e.getValue().asText()));
        for (Map.Entry<String, String> e : saved.entrySet()) {
            String current = now.get(e.getKey());
            if (current == null) out.add(e.getKey() + " (gone)");
            else if (!current.equals(e.getValue())) out.add(e.getKey());
        }
        for (String f : now.keySet()) if (!saved.containsKey(f)) out.add(f + " (new)");
        return out;
    }

    /**
     * Why a host's fresh plan no longer matches the saved one, or null when it matches: names the
     * first task whose planned result differs, with both summaries.
     */
    public static String staleReason(JsonNode savedHost, List<Event.TaskDone> now) {
        List<JsonNode> saved = new ArrayList<>();
        savedHost.path("tasks").forEach(saved::add);
        for (int i = 0; i < Math.max(saved.size(), now.size()); i++) {
            if (i >= saved.size()) return "task '" + now.get(i).task() + "' was not in the plan";
            if (i >= now.size()) return "task '" + saved.get(i).path("task").asText() + "' no longer runs";
            JsonNode s = saved.get(i);
            Event.TaskDone t = now.get(i);
            // The scripts are compared on their own, not only through the fingerprint: what runs must be what the plan showed.
            boolean otherScripts = !scripts(s).equals(t.scripts());
            if (!otherScripts && s.path("fingerprint").asText().equals(taskFingerprint(t))) continue;
            String task = "task '" + t.task() + "'" + (t.item() != null ? " (item=" + t.item() + ")" : "");
            boolean sameDecision = s.path("status").asText().equals(t.status().name()) && s.path("message").asText().equals(String.valueOf(t.message()));
            if (otherScripts && sameDecision) {
                return task + " would run other scripts than the plan holds (their sha256 differ): rig or the module changed since the plan";
            }
            return task + " was planned as: " + describe(s.path("status").asText(), s.path("message").asText())
                    + "; now: " + describe(t.status().name(), t.message()) + " (the host's state changed since the plan)";
        }
        if (savedHost.path("fingerprint").asText().equals(hostFingerprint(now))) return null;
        return "the host's state changed since the plan";
    }

    /**
     * The same check for a plan still in memory (an interactive apply: what it showed against what it
     * would run now), or null when every task would do and run exactly what was shown.
     */
    public static String staleReason(List<Event.TaskDone> shown, List<Event.TaskDone> now) {
        for (int i = 0; i < Math.max(shown.size(), now.size()); i++) {
            if (i >= shown.size()) return "task '" + now.get(i).task() + "' was not in the plan shown";
            if (i >= now.size()) return "task '" + shown.get(i).task() + "' no longer runs";
            Event.TaskDone s = shown.get(i);
            Event.TaskDone t = now.get(i);
            if (taskFingerprint(s).equals(taskFingerprint(t))) continue;
            String task = "task '" + t.task() + "'" + (t.item() != null ? " (item=" + t.item() + ")" : "");
            if (s.status() == t.status() && java.util.Objects.equals(s.message(), t.message()) && !s.scripts().equals(t.scripts())) {
                return task + " would run other scripts than the plan shown (their sha256 differ)";
            }
            return task + " was shown as: " + describe(s.status().name(), s.message())
                    + "; now: " + describe(t.status().name(), t.message()) + " (the host's state changed since the plan was shown)";
        }
        return null;
    }

    private static String describe(String status, String message) {
        return status.toLowerCase() + (message == null || message.isBlank() ? "" : " — " + message);
    }

    public static String hostFingerprint(List<Event.TaskDone> tasks) {
        StringBuilder b = new StringBuilder();
        for (Event.TaskDone t : tasks) b.append(taskFingerprint(t)).append('\n');
        return Digests.sha256(b.toString());
    }

    /** A digest of everything the plan decided for one task: status, action, diff data, commands. */
    public static String taskFingerprint(Event.TaskDone t) {
        Map<String, Object> canonical = new LinkedHashMap<>();
        canonical.put("play", t.play());
        canonical.put("task", t.task());
        canonical.put("item", t.item());
        canonical.put("status", t.status());
        canonical.put("action", t.action());
        canonical.put("message", t.message());
        canonical.put("diffs", t.diffs());
        canonical.put("commands", t.commands());
        canonical.put("handler", t.handler());
        canonical.put("scripts", t.scripts());
        try {
            return Digests.sha256(new ObjectMapper().writeValueAsString(canonical));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> scripts(JsonNode savedTask) {
        List<String> out = new ArrayList<>();
        savedTask.path("scripts").forEach(d -> out.add(d.asText()));
        return out;
    }

    /** Whether two extra-var values agree, the saved one possibly a digest. */
    public static boolean sameExtraVar(JsonNode saved, Object now) {
        if (saved.isObject() && saved.has("sha256")) return saved.get("sha256").asText().equals(Digests.sha256(String.valueOf(now)));
        return Objects.equals(saved, JSON.valueToTree(now));
    }
}

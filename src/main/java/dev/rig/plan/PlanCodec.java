package dev.rig.plan;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.core.InvalidInputException;
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

/**
 * The saved plan's file ({@code rig plan --out plan.json}): JSON, {@code "format": "rig-plan"}. Writes format
 * version {@value #FORMAT_VERSION}, where each command is its description and the sha256 of its script; reads
 * that and version 2, where the two were parallel lists ("commands" and "scripts"), so a plan made just before
 * an upgrade still applies.
 */
public final class PlanCodec {
    public static final String FORMAT = "rig-plan";
    /** 3: commands as {description, sha256}; 2: "commands" (descriptions) and "scripts" (digests) side by side. */
    public static final int FORMAT_VERSION = 3;
    private static final int OLDEST_READ = 2;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private PlanCodec() {}

    public static String write(Plan plan) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("format_version", FORMAT_VERSION);
        root.put("rig_version", plan.rigVersion());
        root.put("created_at", plan.createdAt().toString());
        ObjectNode in = root.putObject("inputs");
        Plan.Inputs inputs = plan.inputs();
        in.put("inventory", inputs.inventory());
        in.set("playbooks", JSON.valueToTree(inputs.playbooks()));
        in.put("limit", inputs.limit());
        in.set("tags", JSON.valueToTree(inputs.tags()));
        in.set("skip_tags", JSON.valueToTree(inputs.skipTags()));
        ObjectNode extra = in.putObject("extra_vars");
        inputs.extraVars().forEach((k, v) -> {
            if (v instanceof Plan.SecretDigest d) extra.putObject(k).put("sha256", d.sha256());
            else extra.set(k, JSON.valueToTree(v));
        });
        root.set("files", JSON.valueToTree(plan.files()));
        ArrayNode hosts = root.putArray("hosts");
        for (HostPlan h : plan.hosts()) {
            ObjectNode host = hosts.addObject();
            host.put("host", h.host());
            host.put("status", h.state().name().toLowerCase());
            if (h.failure() != null) host.put("failure", h.failure());
            host.put("fingerprint", h.fingerprint());
            ArrayNode tasks = host.putArray("tasks");
            for (PlannedTask t : h.tasks()) {
                ObjectNode task = tasks.addObject();
                task.put("play", t.play());
                task.put("task", t.task());
                task.put("item", t.item());
                task.put("status", t.status().name());
                task.put("action", t.action().name());
                task.put("message", t.message());
                task.set("diffs", JSON.valueToTree(t.diffs()));
                ArrayNode commands = task.putArray("commands");
                for (PlannedCommand c : t.commands()) commands.addObject().put("description", c.description()).put("sha256", c.sha256());
                task.put("ignored", t.ignored());
                task.put("handler", t.handler());
                if (t.delegate() != null) task.put("delegate", t.delegate()); // absent when not delegated, as in files written before delegation
                task.put("fingerprint", t.fingerprint());
            }
        }
        ObjectNode summary = root.putObject("summary");
        summary.put("hosts", plan.hosts().size());
        summary.put("to_change", plan.toChange());
        summary.put("hosts_with_problems", plan.hostsWithProblems());
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A plan as read, with the format version its file was written in. */
    public record Saved(int formatVersion, Plan plan) {}

    /** Reads a saved plan; a file that is not one, of a version this rig does not read, or damaged, is an input error. */
    public static Plan read(Path file) {
        return readSaved(file).plan();
    }

    public static Saved readSaved(Path file) {
        try {
            return read(Files.readString(file, StandardCharsets.UTF_8), file.toString());
        } catch (IOException e) {
            throw error(file.toString(), "cannot read saved plan: " + e.getMessage());
        }
    }

    public static Saved read(String text, String fileName) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw error(fileName, "cannot read saved plan: " + e.getOriginalMessage());
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw error(fileName, "not a rig plan (expected \"format\": \"" + FORMAT + "\")");
        }
        int version = root.path("format_version").asInt(-1);
        if (version < OLDEST_READ || version > FORMAT_VERSION) {
            throw error(fileName, "plan format version " + version + " is not supported; this rig reads versions "
                    + OLDEST_READ + " to " + FORMAT_VERSION + ": make a new plan");
        }
        try {
            JsonNode in = root.path("inputs");
            Map<String, Object> extra = new LinkedHashMap<>();
            in.path("extra_vars").fields().forEachRemaining(e -> extra.put(e.getKey(),
                    e.getValue().isObject() && e.getValue().size() == 1 && e.getValue().has("sha256")
                            ? new Plan.SecretDigest(e.getValue().get("sha256").asText())
                            : JSON.convertValue(e.getValue(), Object.class)));
            Plan.Inputs inputs = new Plan.Inputs(text(in, "inventory"), texts(in.path("playbooks")),
                    in.path("limit").isTextual() ? in.path("limit").asText() : null, texts(in.path("tags")), texts(in.path("skip_tags")), extra);
            Map<String, String> files = new LinkedHashMap<>();
            root.path("files").fields().forEachRemaining(e -> files.put(e.getKey(), e.getValue().asText()));
            List<HostPlan> hosts = new ArrayList<>();
            for (JsonNode h : root.path("hosts")) {
                List<PlannedTask> tasks = new ArrayList<>();
                for (JsonNode t : h.path("tasks")) tasks.add(task(t, version));
                hosts.add(new HostPlan(text(h, "host"), HostPlan.State.valueOf(text(h, "status").toUpperCase()),
                        h.path("failure").isTextual() ? h.path("failure").asText() : null, tasks, text(h, "fingerprint")));
            }
            return new Saved(version, new Plan(text(root, "rig_version"), Instant.parse(text(root, "created_at")), inputs, files, hosts));
        } catch (RuntimeException e) {
            // A damaged plan is refused as a whole: applying part of what someone reviewed is no better.
            throw error(fileName, "damaged saved plan: " + e.getMessage());
        }
    }

    private static PlannedTask task(JsonNode t, int version) throws IllegalArgumentException {
        List<Diff> diffs = new ArrayList<>();
        for (JsonNode d : t.path("diffs")) {
            try {
                diffs.add(JSON.treeToValue(d, Diff.class));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("unreadable diff: " + e.getOriginalMessage());
            }
        }
        List<PlannedCommand> commands = new ArrayList<>();
        if (version == 2) {
            // Parallel lists; no_log left the descriptions out, and a task could lack digests.
            List<String> descriptions = texts(t.path("commands"));
            List<String> scripts = texts(t.path("scripts"));
            for (int i = 0; i < Math.max(descriptions.size(), scripts.size()); i++) {
                commands.add(new PlannedCommand(i < descriptions.size() ? descriptions.get(i) : null, i < scripts.size() ? scripts.get(i) : null));
            }
        } else {
            for (JsonNode c : t.path("commands")) {
                commands.add(new PlannedCommand(c.path("description").isTextual() ? c.get("description").asText() : null,
                        c.path("sha256").isTextual() ? c.get("sha256").asText() : null));
            }
        }
        return new PlannedTask(text(t, "play"), text(t, "task"), t.path("item").isTextual() ? t.get("item").asText() : null,
                PlannedTask.Status.valueOf(text(t, "status")), Action.valueOf(text(t, "action")),
                t.path("message").isTextual() ? t.get("message").asText() : null, diffs, commands,
                t.path("ignored").asBoolean(), t.path("handler").asBoolean(), delegate(t), text(t, "fingerprint"));
    }

    /** A task's delegate: absent (not delegated, or a file written before delegation to hosts) or a host name. */
    private static String delegate(JsonNode t) {
        JsonNode d = t.get("delegate");
        if (d == null || d.isNull()) return null;
        if (!d.isTextual() || d.asText().isBlank()) throw new IllegalArgumentException("\"delegate\" is not a host name");
        return d.asText();
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || !v.isTextual()) throw new IllegalArgumentException("\"" + field + "\" missing or not a string");
        return v.asText();
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static InvalidInputException error(String file, String message) {
        return new InvalidInputException(new Source(file, 0, 0), message);
    }
}

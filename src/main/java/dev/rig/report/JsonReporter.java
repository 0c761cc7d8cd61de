package dev.rig.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.rig.apply.Event;
import dev.rig.apply.EventSink;
import dev.rig.core.Secrets;

import java.io.PrintWriter;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * One JSON object per line per event ({@code --json}). Each object has {@code "event"} (the
 * event's kind in snake_case: run_started, play_started, task_done, host_unreachable, warning,
 * run_finished) and the event's fields; every string is passed through the secrets filter.
 */
public final class JsonReporter implements EventSink {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintWriter out;
    private final Secrets secrets;

    public JsonReporter(PrintWriter out, Secrets secrets) {
        this.out = out;
        this.secrets = secrets;
    }

    @Override
    public synchronized void emit(Event event) {
        ObjectNode node = JSON.createObjectNode();
        node.put("event", snake(event.getClass().getSimpleName()));
        node.setAll((ObjectNode) JSON.valueToTree(event));
        out.println(redact(node).toString());
        out.flush();
    }

    private JsonNode redact(JsonNode n) {
        if (n.isTextual()) return new TextNode(secrets.redact(n.asText()));
        if (n instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(redact(e.getValue()));
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) a.set(i, redact(a.get(i)));
        }
        return n;
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}

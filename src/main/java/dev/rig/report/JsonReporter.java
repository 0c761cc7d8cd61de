package dev.rig.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.rig.apply.Event;
import dev.rig.apply.EventSink;
import dev.rig.core.Secrets;

import java.io.PrintWriter;
import java.util.Locale;

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
        if (event instanceof Event.HostFinished) return; // progress for people; the stream's task and recap events say it all
        ObjectNode node = JSON.createObjectNode();
        node.put("event", snake(event.getClass().getSimpleName()));
        node.setAll((ObjectNode) JSON.valueToTree(event));
        out.println(RedactedJson.redact(node, secrets).toString());
        out.flush();
    }

    static String snake(String camel) {
        return camel.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
    }
}

package dev.rig.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.rig.core.Secrets;

import java.util.Iterator;
import java.util.Map;

/** Masks secrets in every string of a JSON tree, in place, before it is printed or saved. */
final class RedactedJson {
    private RedactedJson() {}

    static JsonNode redact(JsonNode n, Secrets secrets) {
        if (n.isTextual()) return new TextNode(secrets.redact(n.asText()));
        if (n instanceof ObjectNode o) {
            for (Iterator<Map.Entry<String, JsonNode>> it = o.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                e.setValue(redact(e.getValue(), secrets));
            }
        } else if (n instanceof ArrayNode a) {
            for (int i = 0; i < a.size(); i++) a.set(i, redact(a.get(i), secrets));
        }
        return n;
    }
}

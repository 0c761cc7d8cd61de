package dev.rig.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rig.plan.LocalEffect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One API write as a plan shows it: method, path and body as data (never the token), sent only
 * when the engine runs the effect during apply.
 */
public final class ApiRequest implements LocalEffect {
    private final DigitalOceanClient client;
    private final String method;
    private final String path;
    private final Map<String, Object> body;
    private final String purpose;

    ApiRequest(DigitalOceanClient client, String method, String path, Map<String, Object> body, String purpose) {
        this.client = client;
        this.method = method;
        this.path = path;
        this.body = body;
        this.purpose = purpose;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    @Override
    public String description() {
        return method + " " + path + " (" + purpose + ")";
    }

    @Override
    public Map<String, Object> data() {
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("method", method);
        data.put("path", path);
        if (body != null) data.put("body", body);
        return data;
    }

    /** Sends the request; the answer's JSON (empty for 204) is the task's registered stdout. */
    @Override
    public String run() {
        try {
            JsonNode answer = client.send(method, path, body);
            return answer.isMissingNode() ? "" : answer.toString();
        } catch (DigitalOceanException e) {
            throw e.withoutRequest(); // the engine prefixes the failure with description(), which names the request
        }
    }
}

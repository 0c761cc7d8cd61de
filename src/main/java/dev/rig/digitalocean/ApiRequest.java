package dev.rig.digitalocean;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rig.plan.LocalEffect;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One API write as a value: the API it goes to, method, path and body as data (never the token in
 * what a plan shows), and what it is for. A plan computes these without any I/O; the engine sends
 * one only when it runs the effect during apply. The API (and its token) stays out of any JSON made of it.
 */
public record ApiRequest(@JsonIgnore ApiAccess api, String method, String path, Map<String, Object> body, String purpose) implements LocalEffect {
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
            JsonNode answer = new DigitalOceanClient(api).send(method, path, body);
            return answer.isMissingNode() ? "" : answer.toString();
        } catch (DigitalOceanException e) {
            throw e.withoutRequest(); // the engine prefixes the failure with description(), which names the request
        }
    }
}

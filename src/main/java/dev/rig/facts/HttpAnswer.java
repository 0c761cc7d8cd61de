package dev.rig.facts;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.OptionalInt;

/**
 * The answer to a read-only HTTP request made from the host: the body and the status code curl
 * printed after it on a line of its own ({@link #STATUS_MARK}CODE); no status when no answer came
 * (then {@code text} is what curl said). Read as base64, so any body survives the probe's framing.
 */
public record HttpAnswer(OptionalInt status, String content, String text) {
    /** What curl's {@code -w} prints before the status code; the request script must end its output with it. */
    public static final String STATUS_MARK = "@@rig-status ";

    /** The answer to request, a script printing the body then "\n" STATUS_MARK CODE (the module's curl command). */
    public static Fact<HttpAnswer> of(String request) {
        return Fact.of(new Probe("{\n" + request + "} | base64 -w0; echo"), HttpAnswer::parse);
    }

    static HttpAnswer parse(String output) {
        String raw = new String(Base64.getDecoder().decode((output == null ? "" : output).strip()), StandardCharsets.UTF_8);
        int at = raw.lastIndexOf("\n" + STATUS_MARK);
        if (at < 0) return new HttpAnswer(OptionalInt.empty(), "", raw);
        return new HttpAnswer(OptionalInt.of(Integer.parseInt(raw.substring(at + STATUS_MARK.length() + 1).strip())), raw.substring(0, at), raw);
    }
}

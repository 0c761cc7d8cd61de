package dev.rig.modules;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.core.Shell;
import dev.rig.facts.HttpAnswer;
import dev.rig.facts.Probe;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.HostCommand;
import dev.rig.playbook.ArgSpec;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import static dev.rig.playbook.ArgSpec.ArgType.ANY;
import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
import static dev.rig.playbook.ArgSpec.ArgType.INT;
import static dev.rig.playbook.ArgSpec.ArgType.LIST;
import static dev.rig.playbook.ArgSpec.ArgType.MAP;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * An HTTP request from the host, with curl. GET and HEAD change nothing, so they run in the probe: a
 * plan already knows the answer, {@code register} gets {@code status}, {@code content}
 * ({@code return_content}) and {@code json}, and the task is "ok" (Ansible reports uri unchanged too);
 * a status not in {@code status_code} fails it. Other methods (POST, PUT, DELETE...) act, so they run
 * at apply, are "changed", fail on an unexpected status, and register the body as stdout.
 * Headers, credentials and the body reach curl through a config and a here-document, never its command line.
 */
public final class UriModule implements Module {
    private static final String STATUS = HttpAnswer.STATUS_MARK;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "uri";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("url", STRING), ArgSpec.optional("method", STRING), ArgSpec.optional("body", ANY),
                ArgSpec.choice("body_format", false, "raw", "json", "form-urlencoded"), ArgSpec.optional("headers", MAP),
                ArgSpec.optional("status_code", LIST), ArgSpec.optional("return_content", BOOL), ArgSpec.optional("url_username", STRING).alias("user"),
                ArgSpec.optional("url_password", STRING).alias("password"), ArgSpec.optional("force_basic_auth", BOOL), ArgSpec.optional("timeout", INT),
                ArgSpec.optional("validate_certs", BOOL), ArgSpec.choice("follow_redirects", false, "all", "none", "safe", "urllib2", "yes", "no"));
    }

    private static String method(Args args) {
        String m = args.string("method", "GET").toUpperCase(Locale.ROOT);
        if (!m.matches("[A-Z]+")) throw new Args.ArgumentException("'" + m + "' is not an HTTP method");
        return m;
    }

    private static boolean readOnly(Args args) {
        return List.of("GET", "HEAD").contains(method(args));
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return readOnly(args) ? HttpAnswer.of(request(args)).probe() : null;
    }

    /** curl printing the body, then a last line with the status code. */
    private static String request(Args args) {
        String method = method(args);
        StringBuilder config = new StringBuilder();
        if (args.values().get("headers") instanceof Map<?, ?> headers) {
            headers.forEach((k, v) -> config.append("header = ").append(quote(k + ": " + v)).append('\n'));
        }
        String format = args.string("body_format", "raw");
        if (format.equals("json") && args.has("body")) config.append("header = \"Content-Type: application/json\"\n");
        if (format.equals("form-urlencoded") && args.has("body")) config.append("header = \"Content-Type: application/x-www-form-urlencoded\"\n");
        if (args.has("url_username")) config.append("user = ").append(quote(args.string("url_username") + ":" + args.string("url_password", ""))).append('\n');
        String follow = args.string("follow_redirects", "safe");
        StringBuilder s = new StringBuilder("command -v curl >/dev/null 2>&1 || { echo 'this host has no curl: uri requests with curl' >&2; exit 3; }\n");
        s.append("curl -sS -o /dev/stdout -w '\\n").append(STATUS).append("%{http_code}\\n' --max-time ").append(args.integer("timeout", 30))
                .append(method.equals("HEAD") ? " -I" : " -X " + method)
                .append(follow.equals("none") || follow.equals("no") ? "" : " -L")
                .append(args.bool("validate_certs", true) ? "" : " -k");
        String body = body(args);
        if (body != null) s.append(" --data-binary @-");
        // The config comes on fd 3, the body on stdin from printf, a shell builtin: neither is on a command line.
        s.append(" -K /dev/fd/3 -- ").append(Shell.quote(args.string("url"))).append(" 3<<'RIG_CURL_CONFIG'\n").append(config).append("RIG_CURL_CONFIG\n");
        if (body != null) s.insert(s.indexOf("curl -sS"), "printf '%s' " + Shell.quote(body) + " | ");
        return s.toString();
    }

    private static String body(Args args) {
        Object body = args.values().get("body");
        if (body == null) return null;
        String text;
        String format = args.string("body_format", "raw");
        if (format.equals("json") && !(body instanceof String)) {
            try {
                text = JSON.writeValueAsString(body);
            } catch (JsonProcessingException e) {
                throw new Args.ArgumentException("body cannot be written as JSON: " + e.getOriginalMessage());
            }
        } else if (format.equals("form-urlencoded") && body instanceof Map<?, ?> form) {
            StringJoiner j = new StringJoiner("&");
            form.forEach((k, v) -> j.add(java.net.URLEncoder.encode(String.valueOf(k), StandardCharsets.UTF_8) + "="
                    + java.net.URLEncoder.encode(String.valueOf(v), StandardCharsets.UTF_8)));
            text = j.toString();
        } else {
            text = String.valueOf(body);
        }
        return text;
    }

    private static String quote(String s) {
        if (s.contains("\n") || s.contains("RIG_CURL_CONFIG")) throw new Args.ArgumentException("a header or credential may not contain a line break");
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static List<Integer> expected(Args args) {
        List<String> codes = args.list("status_code");
        if (codes.isEmpty()) return List.of(200);
        List<Integer> out = new ArrayList<>();
        for (String c : codes) {
            try {
                out.add(Integer.parseInt(c.strip()));
            } catch (NumberFormatException e) {
                throw new Args.ArgumentException("status_code must be numbers, not '" + c + "'");
            }
        }
        return out;
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        String url = args.string("url");
        List<Integer> expected = expected(args);
        if (!readOnly(args)) {
            StringBuilder codes = new StringBuilder();
            expected.forEach(c -> codes.append(c).append(' '));
            String script = "set -e\nout=$(" + request(args) + ")\nstatus=${out##*" + STATUS + "}\nprintf '%s\\n' \"${out%" + STATUS + "*}\"\n"
                    + "case ' " + codes + "' in *\" $status \"*) ;; *) echo \"Status code was $status and not " + expected + "\" >&2; exit 1;; esac\n";
            Map<String, Object> result = new LinkedHashMap<>(Map.of("url", url));
            return Outcome.of(Change.of(Action.RUN, List.of(HostCommand.of(script, method(args) + " " + url)), List.of(), method(args) + " " + url))
                    .withResult(result);
        }
        HttpAnswer answer = HttpAnswer.of(request(args)).parse(probeOutput);
        if (answer.status().isEmpty()) return Outcome.fail("no answer from " + url + ": " + answer.text().strip());
        int status = answer.status().getAsInt();
        String content = answer.content();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("url", url);
        result.put("status", status);
        result.put("msg", "OK (" + content.getBytes(StandardCharsets.UTF_8).length + " bytes)");
        if (args.bool("return_content", false)) result.put("content", content);
        if (content.stripLeading().startsWith("{") || content.stripLeading().startsWith("[")) {
            try {
                result.put("json", JSON.readValue(content, Object.class));
            } catch (JsonProcessingException ignored) {
                // not JSON after all: no json key, as Ansible
            }
        }
        if (!expected.contains(status)) {
            return Outcome.fail("Status code was " + status + " and not " + expected + ": " + url).withResult(result);
        }
        return Outcome.ok(method(args) + " " + url + ": " + status).withResult(result);
    }
}

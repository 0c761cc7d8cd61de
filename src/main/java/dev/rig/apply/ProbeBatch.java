package dev.rig.apply;

import dev.rig.facts.PathFact;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Many read-only probes in one shell script, so gathering the state of a whole play costs one
 * round trip. Each probe runs in its own subshell (an inline one in a { } group, no fork) with stdin closed; its output is framed by
 * markers that carry a per-run nonce, so file content cannot forge a frame.
 */
public final class ProbeBatch {
    private ProbeBatch() {}

    public record Output(String text, int exitCode) {}

    /**
     * A probe's script, whether it may run in the batch's shell (see Probe.inline): no subshell forked
     * for it, and the path it reads when it is PathFact's (null otherwise).
     */
    public record Part(String script, boolean inline, PathFact.Query path) {
        public Part(String script, boolean inline) {
            this(script, inline, null);
        }
    }

    public static String script(List<String> probes, String nonce) {
        return scriptOfParts(probes.stream().map(p -> new Part(p, false)).toList(), nonce);
    }

    public static String scriptOfParts(List<Part> probes, String nonce) {
        StringBuilder s = new StringBuilder(probes.size() * 512);
        // two or more path probes share one stat and one sha256sum (PathFact.batched)
        Map<Integer, String> shared = new HashMap<>();
        List<Integer> pathParts = new ArrayList<>();
        for (int i = 0; i < probes.size(); i++) {
            if (probes.get(i).inline() && probes.get(i).path() != null) pathParts.add(i);
        }
        if (pathParts.size() >= 2) {
            PathFact.Batched batched = PathFact.batched(pathParts.stream().map(i -> probes.get(i).path()).toList());
            s.append(batched.preamble());
            for (int k = 0; k < pathParts.size(); k++) shared.put(pathParts.get(k), batched.parts().get(k));
        }
        for (int i = 0; i < probes.size(); i++) {
            s.append("printf '%s\\n' '@@rig:").append(nonce).append(":begin:").append(i).append("'\n");
            Part p = probes.get(i);
            s.append(p.inline() ? "{\n" : "(\n").append(shared.getOrDefault(i, p.script())).append(p.inline() ? "\n} </dev/null 2>&1\n" : "\n) </dev/null 2>&1\n");
            s.append("printf '\\n%s\\n' \"@@rig:").append(nonce).append(":end:").append(i).append(":$?\"\n");
        }
        return s.toString();
    }

    /** Splits a batch's stdout into each probe's output; a probe with no end marker is absent from the map. */
    public static Map<Integer, Output> parse(String stdout, String nonce) {
        Map<Integer, Output> out = new HashMap<>();
        String begin = "@@rig:" + nonce + ":begin:";
        String end = "@@rig:" + nonce + ":end:";
        int pos = 0;
        while (true) {
            int b = stdout.indexOf(begin, pos);
            if (b < 0) break;
            int nl = stdout.indexOf('\n', b);
            if (nl < 0) break;
            int index = Integer.parseInt(stdout.substring(b + begin.length(), nl).strip());
            String endMarker = end + index + ":";
            int e = stdout.indexOf("\n" + endMarker, nl);
            if (e < 0) break;
            int eol = stdout.indexOf('\n', e + 1);
            String codeText = stdout.substring(e + 1 + endMarker.length(), eol < 0 ? stdout.length() : eol).strip();
            String body = stdout.substring(nl + 1, e);
            if (body.endsWith("\n")) body = body.substring(0, body.length() - 1);
            out.put(index, new Output(body, Integer.parseInt(codeText)));
            pos = eol < 0 ? stdout.length() : eol;
        }
        return out;
    }
}

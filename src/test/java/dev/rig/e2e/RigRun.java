package dev.rig.e2e;

import dev.rig.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the real rig command line in-process and keeps what it printed. */
record RigRun(int exit, String out, String err) {
    static RigRun of(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        return new RigRun(code, out.toString(), err.toString());
    }

    static RigRun of(String... args) {
        return of(List.of(args));
    }

    String all() {
        return out + err;
    }

    /** The recap's figure for one host, e.g. changed("web1") from "web1 : ok=3 changed=2 ...". */
    int recap(String host, String field) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(host) + "\\s+:.*\\b" + field + "=(\\d+)").matcher(out);
        if (!m.find()) throw new AssertionError("no " + field + " for " + host + " in recap:\n" + out + err);
        return Integer.parseInt(m.group(1));
    }

    List<String> lines() {
        return new ArrayList<>(List.of(out.split("\n")));
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}

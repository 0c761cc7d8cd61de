package dev.rig.docker;

import dev.rig.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The real rig command line, run in-process against one inventory and known_hosts file; keeps what it printed. */
record Rig(int exit, String out, String err) {
    static Rig run(Path inventory, Path knownHosts, String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "-i", inventory.toString(), "--known-hosts", knownHosts.toString()));
        args.addAll(Arrays.asList(more));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        return new Rig(code, out.toString(), err.toString());
    }

    /** A figure of the recap line of one host, e.g. changed("dock1") from "dock1 : ok=3 changed=2 ...". */
    int recap(String host, String field) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(host) + "\\s+:.*\\b" + field + "=(\\d+)").matcher(out);
        if (!m.find()) throw new AssertionError("no " + field + " for " + host + " in the recap:\n" + this);
        return Integer.parseInt(m.group(1));
    }

    String all() {
        return out + err;
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}

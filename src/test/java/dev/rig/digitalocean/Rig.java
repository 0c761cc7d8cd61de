package dev.rig.digitalocean;

import dev.rig.cli.Main;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;

/** The real rig command line, in-process, with what it printed (dev.rig.e2e.RigRun is package-private). */
record Rig(int exit, String out, String err) {
    static Rig run(List<String> args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args.toArray(String[]::new));
        return new Rig(code, out.toString(), err.toString());
    }

    String all() {
        return out + err;
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }
}

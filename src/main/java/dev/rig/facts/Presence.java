package dev.rig.facts;

import dev.rig.core.Shell;

import java.util.Locale;

/**
 * Whether something is there now, by a shell test that is true while it is: a path that exists, a
 * TCP port some socket on the host listens on. The same test serves a module's wait loop.
 */
public record Presence(boolean present) {
    private static final String PRESENT = "present=yes";
    private static final String ABSENT = "present=no";

    /** The fact of test (a shell condition, e.g. {@link #pathExists} or {@link #listening}). */
    public static Fact<Presence> of(String test) {
        return Fact.of(new Probe("if " + test + "; then echo " + PRESENT + "; else echo " + ABSENT + "; fi\n"), Presence::parse);
    }

    public static String pathExists(String path) {
        return "[ -e " + Shell.quote(path) + " ]";
    }

    /**
     * A LISTEN socket (state 0A) on the port, in the kernel's socket tables: lines look like
     * "  0: 0100007F:1F90 00000000:0000 0A ...", the local port in upper-case hex.
     */
    public static String listening(int port) {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        String regex = "^ *[0-9]+: [0-9A-F]+:" + hexPort + " [0-9A-F]+:[0-9A-F]+ 0A ";
        return "grep -Eqs " + Shell.quote(regex) + " /proc/net/tcp /proc/net/tcp6";
    }

    static Presence parse(String output) {
        String out = output == null ? "" : output.strip();
        if (out.equals(PRESENT)) return new Presence(true);
        if (out.equals(ABSENT)) return new Presence(false);
        throw new IllegalStateException("unexpected probe output: " + out);
    }
}

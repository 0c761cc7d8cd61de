package dev.rig.apply;

import dev.rig.core.Shell;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds what is sent over an SSH exec channel: the command line and the stdin bytes. Pure
 * values, never touching SSH, so every quoting and sudo rule is tested as data.
 */
public final class RemoteCommands {
    /** Scripts longer than this travel on stdin: a single argument is capped by the kernel (128 KiB). */
    static final int MAX_INLINE_SCRIPT = 64 * 1024;

    private RemoteCommands() {}

    /** Run as another user through sudo; the password, when there is one, only ever travels on stdin. */
    public record Become(String user, String password, String nonce) {}

    public record Invocation(String command, byte[] stdin) {
        /** The command line without secrets, for logs. */
        public String describe() {
            return command;
        }
    }

    public static Invocation script(String script, byte[] stdin, Become become) {
        boolean viaStdin = stdin == null && script.length() > MAX_INLINE_SCRIPT;
        byte[] input = viaStdin ? script.getBytes(StandardCharsets.UTF_8) : stdin;
        if (become == null) {
            return new Invocation(viaStdin ? "sh -s" : "sh -c " + Shell.quote(script), input);
        }
        List<String> argv = new ArrayList<>(List.of("sudo", "-H", "-u", become.user()));
        if (become.password() == null) {
            argv.add(1, "-n");
            argv.addAll(viaStdin ? List.of("--", "sh", "-s") : List.of("--", "sh", "-c", script));
            return new Invocation(Shell.join(argv), input);
        }
        // sudo -S reads the password line from stdin; -k makes it always ask. When sudo does not
        // ask (NOPASSWD), the inner shell skips lines up to the sentinel, so the password is
        // never run as a command or echoed.
        String sentinel = "rig-stdin-" + become.nonce();
        argv.addAll(1, List.of("-k", "-S", "-p", "[rig-sudo-" + become.nonce() + "] "));
        String skip = "while IFS= read -r l; do [ \"$l\" = \"$1\" ] && break; done; ";
        if (viaStdin) {
            argv.addAll(List.of("--", "sh", "-c", skip + "exec sh -s", "rig", sentinel));
        } else {
            argv.addAll(List.of("--", "sh", "-c", skip + "exec sh -c \"$2\"", "rig", sentinel, script));
        }
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes((become.password() + "\n" + sentinel + "\n").getBytes(StandardCharsets.UTF_8));
        if (input != null) in.writeBytes(input);
        return new Invocation(Shell.join(argv), in.toByteArray());
    }

    /** Recognises sudo's own failures so they read as such, with its prompt removed. */
    public static String explainFailure(String stderr, Become become) {
        if (become == null || stderr == null) return stderr;
        String cleaned = stderr.replace("[rig-sudo-" + become.nonce() + "] ", "");
        if (cleaned.contains("incorrect password") || cleaned.contains("Sorry, try again")) {
            return "become: sudo rejected the password for user '" + become.user() + "'";
        }
        if (cleaned.contains("a password is required") || cleaned.contains("a terminal is required")) {
            return "become: sudo needs a password (set ansible_become_password)";
        }
        return cleaned;
    }
}

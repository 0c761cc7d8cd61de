package dev.rig.apply;

import dev.rig.core.Shell;
import dev.rig.inventory.Host;
import dev.rig.ssh.SudoPassword;

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
    public record Become(String user, String password, String nonce) {
        /** Running as user on a host rig logs in to as loginUser: null when that is the same user, so no sudo is needed. */
        public static Become asUser(String user, String loginUser, Host host, String nonce) {
            return user.equals(loginUser) ? null : new Become(user, host.becomePassword().orElse(null), nonce);
        }

        /** Never the password: records print their fields. */
        @Override
        public String toString() {
            return "Become[user=" + user + ", password=" + (password == null ? "none" : "********") + "]";
        }
    }

    /**
     * A command line and its stdin; with sudo set, the channel must answer sudo's password prompt before
     * sending stdin ({@link SudoPassword}). Neither command nor stdin ever holds the password.
     */
    public record Invocation(String command, dev.rig.core.Payload input, SudoPassword sudo, String activity) {
        /** The command line, for logs: it holds no secret. */
        public String describe() {
            return command;
        }

        /** The stdin bytes in memory (tests; the engine streams {@link #input()}). */
        public byte[] stdin() {
            return input == null ? null : input.bytes();
        }

        /** What the operator is told was being done if the connection drops ("reading the host's state"). */
        public Invocation doing(String what) {
            return new Invocation(command, input, sudo, what);
        }
    }

    /**
     * script run by sh, as the login user or through sudo. Without a password, `sudo -n` fails at once
     * where a password would be needed. With one, `sudo -S -p PROMPT` prints a prompt unique to this run on
     * stderr and reads the password from stdin, which the channel writes only after that prompt; the
     * command's shell then prints a ready marker, and only after it does the command's own stdin follow.
     * That way the password is never read by anything but sudo, nor any input by sudo as a password.
     */
    public static Invocation script(String script, byte[] stdin, Become become) {
        return scriptReading(script, dev.rig.core.Payload.of(stdin), become);
    }

    /** As {@link #script(String, byte[], Become)}, its stdin streamed from input (a file larger than memory). */
    public static Invocation scriptReading(String script, dev.rig.core.Payload stdin, Become become) {
        boolean viaStdin = stdin == null && script.length() > MAX_INLINE_SCRIPT;
        dev.rig.core.Payload input = viaStdin ? dev.rig.core.Payload.of(script.getBytes(StandardCharsets.UTF_8)) : stdin;
        if (become == null) {
            return new Invocation(viaStdin ? "sh -s" : "sh -c " + Shell.quote(script), input, null, null);
        }
        List<String> argv = new ArrayList<>(List.of("sudo", "-H", "-u", become.user(), "--", "sh"));
        if (become.password() == null) {
            argv.add(1, "-n");
            argv.addAll(viaStdin ? List.of("-s") : List.of("-c", script));
            return new Invocation(Shell.join(argv), input, null, null);
        }
        SudoPassword sudo = new SudoPassword(prompt(become), "rig-become-ready-" + become.nonce(), become.password());
        argv.addAll(1, List.of("-S", "-p", sudo.prompt()));
        String announce = "echo " + sudo.readyMarker() + " >&2\n";
        argv.addAll(List.of("-c", announce + (viaStdin ? "exec sh -s" : script)));
        return new Invocation(Shell.join(argv), input, sudo, null);
    }

    /** Recognises sudo's own failures so they read as such, with its prompt removed. */
    public static String explainFailure(String stderr, Become become) {
        if (become == null || stderr == null) return stderr;
        String cleaned = stderr.replace(prompt(become), "");
        if (cleaned.contains("incorrect password") || cleaned.contains("Sorry, try again")) {
            return "become " + become.user() + ": sudo rejected the password (ansible_become_password)";
        }
        if (cleaned.contains("a password is required") || cleaned.contains("a terminal is required")) {
            return "become " + become.user() + ": sudo needs a password; set ansible_become_password";
        }
        return cleaned;
    }

    private static String prompt(Become become) {
        return "[rig-sudo-" + become.nonce() + "] ";
    }
}

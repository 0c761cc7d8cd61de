package dev.rig.facts;

import dev.rig.core.Shell;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/**
 * A user's crontab as {@code crontab -l} prints it (crontab's own header lines included), "" when the
 * user has none. Read as base64, so any byte survives the probe's framing.
 */
public record Crontab(String text) {
    /** The crontab of user, or of the connecting user when none is named. */
    public static Fact<Crontab> of(Optional<String> user) {
        return Fact.of(new Probe("command -v crontab >/dev/null 2>&1 || { echo 'this host has no crontab command: the cron module needs cron installed'; exit 3; }\n"
                + "if out=$(crontab -l" + user.map(u -> " -u " + Shell.quote(u)).orElse("") + " 2>&1); then printf 'crontab='; printf '%s' \"$out\" | base64 -w0; echo\n"
                + "else case $out in 'no crontab for'*) echo crontab=;; *) printf '%s\\n' \"$out\" >&2; exit 1;; esac; fi\n"), Crontab::parse);
    }

    static Crontab parse(String output) {
        String out = output == null ? "" : output;
        String line = out.lines().filter(l -> l.startsWith("crontab=")).findFirst()
                .orElseThrow(() -> new IllegalStateException("unexpected output of crontab -l: " + out.strip()));
        String text = new String(Base64.getDecoder().decode(line.substring(8).strip()), StandardCharsets.UTF_8);
        return new Crontab(text.isEmpty() ? text : text + "\n"); // the shell's $(...) dropped the final newline crontab printed
    }
}

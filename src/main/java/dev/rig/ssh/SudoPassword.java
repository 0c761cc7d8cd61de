package dev.rig.ssh;

import java.util.Objects;

/**
 * What a command that starts with `sudo -S -p PROMPT ... sh -c 'echo READY >&2; ...'` needs from the channel:
 * the password, written to its stdin only once sudo has printed prompt, and the marker its shell prints to
 * stderr once sudo let it run, after which the command's own stdin follows. Both strings should carry a
 * random part, so that nothing else the host prints can be taken for them.
 */
public record SudoPassword(String prompt, String readyMarker, String password) {
    public SudoPassword {
        Objects.requireNonNull(prompt, "prompt");
        Objects.requireNonNull(readyMarker, "readyMarker");
        Objects.requireNonNull(password, "password");
        if (prompt.isEmpty() || readyMarker.isEmpty()) throw new IllegalArgumentException("prompt and marker must not be empty");
    }

    /** Never the password: records print their fields, and this one may end up in a message or a log. */
    @Override
    public String toString() {
        return "SudoPassword[prompt=" + prompt + ", readyMarker=" + readyMarker + ", password=********]";
    }
}

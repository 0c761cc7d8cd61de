package dev.rig.facts;

import dev.rig.core.Shell;

import java.util.Map;
import java.util.Optional;

/**
 * A git checkout at a path: its commit, the URL of one remote and whether tracked files are modified;
 * or that the path is absent (or an empty directory), or occupied by something that is no checkout.
 */
public record GitCheckout(State state, Optional<String> head, Optional<String> url, boolean modified) {
    public enum State { CHECKOUT, ABSENT, OCCUPIED }

    /**
     * The checkout at dest, with remote's URL. environment is shell the probe runs first (the module's
     * check that git exists and its GIT_SSH_COMMAND, so probe and commands run git alike).
     */
    public static Fact<GitCheckout> of(String dest, String remote, String environment) {
        String d = Shell.quote(dest);
        return Fact.of(new Probe(environment + "if [ -d " + d + "/.git ]; then printf 'head=%s\\n' \"$(git -C " + d + " rev-parse HEAD 2>/dev/null)\";"
                + " printf 'url=%s\\n' \"$(git -C " + d + " remote get-url " + Shell.quote(remote) + " 2>/dev/null)\";"
                + " [ -z \"$(git -C " + d + " status --porcelain --untracked-files=no)\" ] && echo modified=no || echo modified=yes;"
                + " elif [ -e " + d + " ] && [ -n \"$(ls -A " + d + " 2>/dev/null)\" ]; then echo state=occupied; else echo state=absent; fi"),
                GitCheckout::parse);
    }

    static GitCheckout parse(String output) {
        Map<String, String> kv = KeyValueLines.parse(output);
        if (kv.containsKey("head")) {
            return new GitCheckout(State.CHECKOUT, Optional.of(kv.get("head")), Optional.ofNullable(kv.get("url")), "yes".equals(kv.get("modified")));
        }
        if ("occupied".equals(kv.get("state"))) return new GitCheckout(State.OCCUPIED, Optional.empty(), Optional.empty(), false);
        if ("absent".equals(kv.get("state"))) return new GitCheckout(State.ABSENT, Optional.empty(), Optional.empty(), false);
        throw new IllegalStateException("unexpected output of the git checkout probe: " + String.valueOf(output).strip());
    }
}

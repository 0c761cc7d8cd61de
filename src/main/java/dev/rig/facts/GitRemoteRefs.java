package dev.rig.facts;

import dev.rig.core.Shell;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What a version names on a remote repository, from {@code git ls-remote REPO VERSION
 * refs/tags/VERSION^{}} (read-only): each matching ref and its object, an annotated tag's commit
 * under its peeled ref.
 */
public record GitRemoteRefs(Map<String, String> refs) {
    public GitRemoteRefs {
        refs = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(refs));
    }

    /** The refs of repo matching version (a branch or tag name, or HEAD); environment as in {@link GitCheckout#of}. */
    public static Fact<GitRemoteRefs> of(String repo, String version, String environment) {
        return Fact.of(new Probe(environment + "git ls-remote " + Shell.quote(repo) + " " + Shell.quote(version) + " "
                + Shell.quote("refs/tags/" + version + "^{}") + " || exit 1"), GitRemoteRefs::parse);
    }

    /** The commit version names: an annotated tag's peeled commit, a tag, a branch, or the ref itself (HEAD). */
    public Optional<String> commit(String version) {
        return Optional.ofNullable(refs.getOrDefault("refs/tags/" + version + "^{}", refs.getOrDefault("refs/tags/" + version,
                refs.getOrDefault("refs/heads/" + version, refs.get(version)))));
    }

    public boolean isBranch(String version) {
        return refs.containsKey("refs/heads/" + version);
    }

    /** ls-remote prints "OBJECT<TAB>REF" lines. */
    static GitRemoteRefs parse(String output) {
        Map<String, String> refs = new LinkedHashMap<>();
        for (String line : (output == null ? "" : output).split("\n")) {
            String[] f = line.split("\t");
            if (f.length == 2) refs.put(f[1].strip(), f[0].strip());
        }
        return new GitRemoteRefs(refs);
    }
}

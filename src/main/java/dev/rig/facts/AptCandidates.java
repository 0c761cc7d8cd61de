package dev.rig.facts;

import dev.rig.core.Shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The version apt would install of each package named ({@code apt-cache policy}'s "Candidate:"), from the cache as it is now. */
public record AptCandidates(Map<String, String> candidates) {
    public AptCandidates {
        candidates = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(candidates));
    }

    /** Names the cache does not know print nothing, which is not an error: that is what {@link #candidate} being empty says. */
    public static Fact<AptCandidates> of(List<String> names) {
        return Fact.of(new Probe("apt-cache policy " + Shell.join(names) + " 2>/dev/null; true"), AptCandidates::parse);
    }

    public Optional<String> candidate(String name) {
        return Optional.ofNullable(candidates.get(name));
    }

    /** From apt-cache policy's "NAME:" blocks, each name's "Candidate:" version; "(none)" counts as no candidate. */
    static AptCandidates parse(String output) {
        Map<String, String> out = new LinkedHashMap<>();
        String current = null;
        for (String line : (output == null ? "" : output).split("\n")) {
            if (!line.startsWith(" ") && line.endsWith(":")) {
                current = bareName(line.substring(0, line.length() - 1).strip());
            } else if (current != null && line.strip().startsWith("Candidate:")) {
                String v = line.strip().substring("Candidate:".length()).strip();
                if (!v.equals("(none)") && !v.isEmpty()) out.put(current, v);
            }
        }
        return new AptCandidates(out);
    }

    /** A foreign-architecture block is headed "libc6:i386:". */
    private static String bareName(String name) {
        return name.contains(":") ? name.substring(0, name.indexOf(':')) : name;
    }
}

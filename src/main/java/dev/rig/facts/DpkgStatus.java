package dev.rig.facts;

import dev.rig.core.Shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What dpkg's database says of some packages: each one's two-letter status and installed version.
 * A package dpkg has never heard of is absent from the map; {@link #get} gives it as not installed.
 */
public record DpkgStatus(Map<String, Package> packages) {
    public DpkgStatus {
        packages = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(packages));
    }

    /** dpkg's two-letter status: wanted state, then current state (i installed, c config files, n not installed, U/F/H/W/t partly). */
    public record Package(String status, String version) {
        public static final Package NONE = new Package("un", null);

        public boolean installed() {
            char current = current();
            return current == 'i' || current == 'W' || current == 't';
        }

        /** Anything of it on disk beyond its configuration files (installed, or half-way in or out). */
        public boolean present() {
            char current = current();
            return current != 'n' && current != 'c';
        }

        public boolean configOnly() {
            return current() == 'c';
        }

        private char current() {
            return status.length() > 1 ? status.charAt(1) : 'n';
        }
    }

    /** The packages named (bare names, as dpkg-query prints them); unknown names print nothing, which is not an error. */
    public static Fact<DpkgStatus> of(List<String> names) {
        return Fact.of(new Probe("dpkg-query -W -f='${Package}\\t${db:Status-Abbrev}\\t${Version}\\n' " + Shell.join(names) + " 2>/dev/null; true"),
                DpkgStatus::parse);
    }

    public Package get(String name) {
        return packages.getOrDefault(name, Package.NONE);
    }

    /** One NAME TAB STATUS TAB VERSION line per package dpkg knows; an empty version (never installed) is null. */
    static DpkgStatus parse(String output) {
        Map<String, Package> out = new LinkedHashMap<>();
        for (String line : (output == null ? "" : output).split("\n")) {
            String[] f = line.split("\t", -1);
            if (f.length < 3 || f[0].isBlank()) continue;
            out.put(f[0].strip(), new Package(f[1].strip(), f[2].strip().isEmpty() ? null : f[2].strip()));
        }
        return new DpkgStatus(out);
    }
}

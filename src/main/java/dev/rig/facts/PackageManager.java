package dev.rig.facts;

import java.util.List;

/**
 * Which package manager the host has: apt (found first, as Debian and Ubuntu have it), one of
 * {@link #OTHERS}, or "none". Where it is apt, the probe goes on to run a probe of apt's own in the same
 * round trip, and {@code aptOutput} is that probe's output, for that probe's parser.
 */
public record PackageManager(String name, String aptOutput) {
    private static final String MARK = "@@rig-package-manager ";
    public static final List<String> OTHERS = List.of("dnf", "yum", "zypper", "apk", "pacman", "pkg");

    public static Fact<PackageManager> detect(Probe whenApt) {
        StringBuilder s = new StringBuilder();
        s.append("if command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1; then\n")
                .append("echo '").append(MARK).append("apt'\n")
                .append(whenApt.script()).append('\n')
                .append("else\n")
                .append("for m in ").append(String.join(" ", OTHERS)).append("; do command -v $m >/dev/null 2>&1 && { echo \"").append(MARK)
                .append("$m\"; exit 0; }; done\n")
                .append("echo '").append(MARK).append("none'\n")
                .append("fi\n");
        return Fact.of(new Probe(s.toString()), PackageManager::parse);
    }

    public boolean isApt() {
        return name.equals("apt");
    }

    /** The manager's line, and after it whatever apt's probe printed ("" for another manager). */
    static PackageManager parse(String output) {
        String out = output == null ? "" : output;
        int at = out.indexOf(MARK);
        if (at < 0) throw new IllegalStateException("unexpected output of the package probe: " + out.strip());
        int eol = out.indexOf('\n', at);
        String manager = out.substring(at + MARK.length(), eol < 0 ? out.length() : eol).strip();
        return new PackageManager(manager, eol < 0 ? "" : out.substring(eol + 1));
    }
}

package dev.rig.facts;

import dev.rig.core.Shell;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A local account as getent and id see it: whether it exists, its login shell, its primary group and
 * its supplementary groups (the primary one left out).
 */
public record UserAccount(String name, boolean exists, String shell, String primaryGroup, Set<String> groups) {
    public UserAccount {
        groups = java.util.Collections.unmodifiableSet(new TreeSet<>(groups));
    }

    /** The account named name (a name already checked to be valid). */
    public static Fact<UserAccount> of(String name) {
        String user = Shell.quote(name);
        return Fact.of(new Probe("if e=$(getent passwd " + user + "); then\n"
                + "  printf 'passwd=%s\\n' \"$e\"; printf 'groups=%s\\n' \"$(id -nG " + user + ")\"; printf 'primary=%s\\n' \"$(id -ng " + user + ")\"\n"
                + "else echo passwd=; fi\n"), output -> parse(name, output));
    }

    static UserAccount parse(String name, String output) {
        Map<String, String> cur = new LinkedHashMap<>();
        for (String line : (output == null ? "" : output).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) cur.putIfAbsent(line.substring(0, eq), line.substring(eq + 1).strip());
        }
        String passwd = cur.getOrDefault("passwd", "");
        if (passwd.isEmpty()) return new UserAccount(name, false, "", "", Set.of());
        String[] fields = passwd.split(":", -1);
        String primary = cur.getOrDefault("primary", "");
        Set<String> groups = new TreeSet<>(List.of(cur.getOrDefault("groups", "").split("\\s+")));
        groups.remove(primary);
        groups.remove("");
        return new UserAccount(name, true, fields.length > 6 ? fields[6] : "", primary, groups);
    }
}

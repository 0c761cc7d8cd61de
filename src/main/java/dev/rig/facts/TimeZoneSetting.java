package dev.rig.facts;

import dev.rig.core.Shell;

import java.util.Map;
import java.util.Optional;

/**
 * The system time zone as Debian keeps it: where /etc/localtime links to, the first line of
 * /etc/timezone (absent without the file), whether the host has the zone file of the zone asked
 * about, and whether systemd runs with timedatectl.
 */
public record TimeZoneSetting(String link, Optional<String> file, boolean known, boolean systemd) {
    public static final String ZONEINFO = "/usr/share/zoneinfo/";

    /** The setting, and whether ZONEINFO/zone exists (zone already checked to be a zone name). */
    public static Fact<TimeZoneSetting> of(String zone) {
        return Fact.of(new Probe("printf 'link=%s\\n' \"$(readlink /etc/localtime 2>/dev/null)\"\n"
                + "if [ -f /etc/timezone ]; then printf 'file=%s\\n' \"$(head -n 1 /etc/timezone)\"; fi\n"
                + "[ -f " + Shell.quote(ZONEINFO + zone) + " ] && echo known=yes || echo known=no\n"
                + "[ -d /run/systemd/system ] && command -v timedatectl >/dev/null 2>&1 && echo systemd=yes || echo systemd=no\n"),
                TimeZoneSetting::parse);
    }

    /** The zone /etc/localtime names: the link's target below zoneinfo/ ("" when it is no link). */
    public String linkedZone() {
        return link.contains("zoneinfo/") ? link.substring(link.indexOf("zoneinfo/") + 9) : link;
    }

    static TimeZoneSetting parse(String output) {
        Map<String, String> kv = KeyValueLines.parse(output);
        return new TimeZoneSetting(kv.getOrDefault("link", ""), Optional.ofNullable(kv.get("file")), "yes".equals(kv.get("known")),
                "yes".equals(kv.get("systemd")));
    }
}

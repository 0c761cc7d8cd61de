package dev.rig.facts;

import java.util.Map;
import java.util.Optional;

/**
 * The host's name now ({@code uname -n}) and at boot (the first line of /etc/hostname, absent when
 * there is no such file), and whether systemd runs with hostnamectl to set them.
 */
public record HostName(String current, Optional<String> permanent, boolean systemd) {
    public static final Fact<HostName> FACT = Fact.of(new Probe("printf 'current=%s\\n' \"$(uname -n)\"\n"
            + "if [ -f /etc/hostname ]; then printf 'permanent=%s\\n' \"$(head -n 1 /etc/hostname)\"; fi\n"
            + "[ -d /run/systemd/system ] && command -v hostnamectl >/dev/null 2>&1 && echo systemd=yes || echo systemd=no\n"), HostName::parse);

    static HostName parse(String output) {
        Map<String, String> kv = KeyValueLines.parse(output);
        return new HostName(kv.getOrDefault("current", ""), Optional.ofNullable(kv.get("permanent")), "yes".equals(kv.get("systemd")));
    }
}

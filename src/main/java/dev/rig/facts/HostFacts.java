package dev.rig.facts;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Ansible's gathered facts, the documented subset rig reads: one read-only probe (run inside the
 * play's batched probe) and its parser to the {@code ansible_facts} map, with Ansible's names and
 * Ansible's rules for each value (module_utils/facts in ansible-core 2.14).
 */
public final class HostFacts {
    private HostFacts() {}

    /** The facts rig gathers; each is also a variable {@code ansible_NAME}. */
    public static final Set<String> NAMES = Set.of("distribution", "distribution_version", "distribution_major_version",
            "distribution_release", "os_family", "architecture", "kernel", "kernel_version", "system", "hostname", "nodename",
            "fqdn", "domain", "default_ipv4", "all_ipv4_addresses", "memtotal_mb", "processor_vcpus", "pkg_mgr", "service_mgr",
            "mounts", "env", "user_id", "user_uid", "user_gid", "date_time", "machine");

    /** Matches a use of a fact in playbook text: ansible_facts, or ansible_NAME for a fact rig gathers. */
    public static final Pattern USE = Pattern.compile("\\bansible_(facts\\b|(" + String.join("|",
            NAMES.stream().sorted((a, b) -> b.length() - a.length()).toList()) + ")\\b)");

    public static final Probe PROBE = new Probe(String.join("\n",
            "[ -r /etc/os-release ] && . /etc/os-release",
            "echo \"os_id=$ID\"",
            "echo \"os_id_like=$ID_LIKE\"",
            "echo \"os_name=$NAME\"",
            "echo \"os_version_id=$VERSION_ID\"",
            "echo \"os_codename=${VERSION_CODENAME:-$UBUNTU_CODENAME}\"",
            "[ -r /etc/debian_version ] && echo \"debian_version=$(cat /etc/debian_version)\"",
            "echo \"machine=$(uname -m)\"",
            "echo \"kernel=$(uname -r)\"",
            "echo \"kernel_version=$(uname -v)\"",
            "echo \"system=$(uname -s)\"",
            "echo \"nodename=$(uname -n)\"",
            "echo \"fqdn=$(hostname -f 2>/dev/null || uname -n)\"",
            "echo \"memtotal_kb=$(awk '/^MemTotal:/{print $2}' /proc/meminfo 2>/dev/null)\"",
            "echo \"vcpus=$(grep -c '^processor' /proc/cpuinfo 2>/dev/null)\"",
            "echo \"user_id=$(id -un)\"",
            "echo \"user_uid=$(id -u)\"",
            "echo \"user_gid=$(id -g)\"",
            "for m in apt-get dnf yum zypper apk pacman; do command -v $m >/dev/null 2>&1 && { echo \"pkg_bin=$m\"; break; }; done",
            "echo \"proc1=$(cat /proc/1/comm 2>/dev/null)\"",
            "[ -d /run/systemd/system ] && echo systemd_running=1",
            "[ -d /etc/init.d ] && echo initd=1",
            "command -v ip >/dev/null 2>&1 && echo \"route=$(ip -4 route get 8.8.8.8 2>/dev/null | head -n 1)\"",
            "command -v ip >/dev/null 2>&1 && ip -4 -o addr show 2>/dev/null | awk '{split($4, a, \"/\"); print \"addr=\" a[1]}'",
            "echo \"date=$(date '+%Y|%m|%A|%w|%W|%d|%H|%M|%S|%s|%Z|%z|%j|%b|%a|%N')\"",
            "echo \"utc=$(date -u '+%Y-%m-%dT%H:%M:%S|%Y%m%dT%H%M%S')\"",
            "echo \"env=$(env -0 | base64 | tr -d '\\n')\"",
            "while read -r dev mnt fs opts rest; do echo \"mount=$dev $mnt $fs $opts\"; done < /proc/mounts"));

    /** The ansible_facts map from the probe's output. */
    public static Map<String, Object> parse(String output) {
        Map<String, String> v = new LinkedHashMap<>();
        List<String> addrs = new ArrayList<>();
        List<Map<String, Object>> mounts = new ArrayList<>();
        for (String line : output.split("\n")) {
            int eq = line.indexOf('=');
            if (eq < 0) continue;
            String k = line.substring(0, eq), val = line.substring(eq + 1);
            switch (k) {
                case "addr" -> { if (!val.startsWith("127.")) addrs.add(val); }
                case "mount" -> {
                    String[] f = val.split(" ", 4);
                    // Ansible's rule (hardware/linux.py): only devices that are paths or network shares, never fstype none.
                    if (f.length == 4 && (f[0].startsWith("/") || f[0].startsWith("\\") || f[0].contains(":/")) && !f[2].equals("none")) {
                        Map<String, Object> m = new LinkedHashMap<>();
                        m.put("mount", octalUnescape(f[1]));
                        m.put("device", octalUnescape(f[0]));
                        m.put("fstype", f[2]);
                        m.put("options", f[3]);
                        mounts.add(m);
                    }
                }
                default -> v.put(k, val);
            }
        }
        Map<String, Object> f = new LinkedHashMap<>();
        String id = v.getOrDefault("os_id", "");
        String distribution = switch (id) {
            case "debian" -> "Debian";
            case "ubuntu" -> "Ubuntu";
            case "centos" -> "CentOS";
            case "rhel" -> "RedHat";
            case "fedora" -> "Fedora";
            case "rocky" -> "Rocky";
            case "almalinux" -> "AlmaLinux";
            case "alpine" -> "Alpine";
            case "arch" -> "Archlinux";
            case "opensuse-leap", "opensuse-tumbleweed", "opensuse" -> "openSUSE Leap";
            default -> id.isEmpty() ? "NA" : v.getOrDefault("os_name", id);
        };
        f.put("distribution", distribution);
        String version = v.getOrDefault("os_version_id", "");
        if (id.equals("debian") && v.containsKey("debian_version") && v.get("debian_version").matches("\\d+(\\.\\d+)*")) {
            version = v.get("debian_version"); // Ansible reads Debian's point release from /etc/debian_version
        }
        f.put("distribution_version", version.isEmpty() ? "NA" : version);
        f.put("distribution_major_version", version.isEmpty() ? "NA" : version.split("\\.")[0]);
        f.put("distribution_release", v.getOrDefault("os_codename", "").isEmpty() ? "NA" : v.get("os_codename"));
        f.put("os_family", osFamily(id, v.getOrDefault("os_id_like", ""), distribution));
        String machine = v.getOrDefault("machine", "");
        f.put("machine", machine);
        f.put("architecture", machine);
        f.put("kernel", v.getOrDefault("kernel", ""));
        f.put("kernel_version", v.getOrDefault("kernel_version", ""));
        f.put("system", v.getOrDefault("system", ""));
        String nodename = v.getOrDefault("nodename", "");
        f.put("nodename", nodename);
        f.put("hostname", nodename.split("\\.")[0]);
        String fqdn = v.getOrDefault("fqdn", nodename);
        f.put("fqdn", fqdn);
        f.put("domain", fqdn.contains(".") ? fqdn.substring(fqdn.indexOf('.') + 1) : "");
        f.put("default_ipv4", defaultIpv4(v.getOrDefault("route", "")));
        f.put("all_ipv4_addresses", addrs);
        f.put("memtotal_mb", parseLong(v.get("memtotal_kb")) / 1024);
        f.put("processor_vcpus", parseLong(v.get("vcpus")));
        f.put("pkg_mgr", switch (v.getOrDefault("pkg_bin", "")) {
            case "apt-get" -> "apt";
            case "" -> "unknown";
            default -> v.get("pkg_bin");
        });
        f.put("service_mgr", serviceMgr(v.getOrDefault("proc1", ""), v.containsKey("systemd_running"), v.containsKey("initd")));
        f.put("mounts", mounts);
        f.put("env", env(v.getOrDefault("env", "")));
        f.put("user_id", v.getOrDefault("user_id", ""));
        f.put("user_uid", parseLong(v.get("user_uid")));
        f.put("user_gid", parseLong(v.get("user_gid")));
        f.put("date_time", dateTime(v.getOrDefault("date", ""), v.getOrDefault("utc", "")));
        return f;
    }

    /** The variables a task sees: ansible_facts, and each fact again as ansible_NAME. */
    public static Map<String, Object> asVariables(Map<String, Object> facts) {
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("ansible_facts", facts);
        facts.forEach((k, val) -> vars.put("ansible_" + k, val));
        return vars;
    }

    static String osFamily(String id, String idLike, String distribution) {
        Set<String> ids = new java.util.HashSet<>(List.of(idLike.split("\\s+")));
        ids.add(id);
        if (ids.contains("debian") || ids.contains("ubuntu")) return "Debian";
        if (ids.contains("rhel") || ids.contains("fedora") || ids.contains("centos")) return "RedHat";
        if (ids.contains("suse") || ids.contains("opensuse")) return "Suse";
        if (ids.contains("arch")) return "Archlinux";
        if (ids.contains("alpine")) return "Alpine";
        return distribution;
    }

    /** Ansible's rule (system/service_mgr.py): PID 1's name unless it is init or a shell, else what the system shows. */
    static String serviceMgr(String proc1, boolean systemdRunning, boolean initd) {
        String p = proc1.strip();
        if (!p.isEmpty() && !p.equals("init") && !p.endsWith("sh")) {
            return switch (p) {
                case "procd" -> "openwrt_init";
                case "runit-init" -> "runit";
                case "svscan" -> "svc";
                case "openrc-init" -> "openrc";
                default -> p;
            };
        }
        if (systemdRunning) return "systemd";
        if (initd) return "sysvinit";
        return "service";
    }

    /** From {@code ip -4 route get 8.8.8.8} (a routing lookup; nothing is sent): the interface, address and gateway. */
    static Map<String, Object> defaultIpv4(String route) {
        Map<String, Object> d = new LinkedHashMap<>();
        String[] w = route.strip().split("\\s+");
        if (w.length == 0 || !w[0].equals("8.8.8.8")) return d;
        for (int i = 0; i < w.length - 1; i++) {
            switch (w[i]) {
                case "dev" -> d.put("interface", w[i + 1]);
                case "src" -> d.put("address", w[i + 1]);
                case "via" -> d.put("gateway", w[i + 1]);
                default -> { }
            }
        }
        return d;
    }

    static Map<String, Object> env(String base64) {
        Map<String, Object> env = new java.util.TreeMap<>();
        if (base64.isEmpty()) return env;
        String all = new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
        for (String e : all.split("\0")) {
            int eq = e.indexOf('=');
            if (eq > 0) env.put(e.substring(0, eq), e.substring(eq + 1));
        }
        return env;
    }

    /** Ansible's date_time keys (module_utils/facts/system/date_time.py). */
    static Map<String, Object> dateTime(String local, String utc) {
        Map<String, Object> d = new LinkedHashMap<>();
        String[] p = local.split("\\|", -1);
        String[] u = utc.split("\\|", -1);
        if (p.length < 16 || u.length < 2) return d;
        d.put("year", p[0]);
        d.put("month", p[1]);
        d.put("weekday", p[2]);
        d.put("weekday_number", p[3]);
        d.put("weeknumber", p[4]);
        d.put("day", p[5]);
        d.put("hour", p[6]);
        d.put("minute", p[7]);
        d.put("second", p[8]);
        d.put("epoch", p[9]);
        d.put("epoch_int", p[9]);
        d.put("date", p[0] + "-" + p[1] + "-" + p[5]);
        d.put("time", p[6] + ":" + p[7] + ":" + p[8]);
        String micro = p[15].length() >= 6 ? p[15].substring(0, 6) : "000000";
        d.put("iso8601_micro", u[0] + "." + micro + "Z");
        d.put("iso8601", u[0] + "Z");
        d.put("iso8601_basic", p[0] + p[1] + p[5] + "T" + p[6] + p[7] + p[8] + micro);
        d.put("iso8601_basic_short", p[0] + p[1] + p[5] + "T" + p[6] + p[7] + p[8]);
        d.put("tz", p[10]);
        d.put("tz_dst", p[10]);
        d.put("tz_offset", p[11]);
        return d;
    }

    private static String octalUnescape(String s) {
        return s.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

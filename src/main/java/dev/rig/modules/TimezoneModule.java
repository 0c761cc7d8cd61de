package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.Probe;
import dev.rig.facts.TimeZoneSetting;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;
import dev.rig.playbook.ArgSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * The system time zone (community.general.timezone's {@code name}): with systemd running,
 * {@code timedatectl set-timezone}; without it, Debian's way: /etc/localtime a link to the zone's
 * file under /usr/share/zoneinfo and /etc/timezone naming it. The probe reads the link and the file;
 * a zone the host has no file for fails before anything changes. {@code hwclock} is not managed.
 */
public final class TimezoneModule implements Module {
    private static final String ZONEINFO = TimeZoneSetting.ZONEINFO;

    @Override
    public String name() {
        return "timezone";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("name", STRING));
    }

    private static String zone(Args args) {
        String zone = args.string("name").strip();
        if (!zone.matches("[A-Za-z0-9_+-]+(/[A-Za-z0-9_+-]+)*")) throw new Args.ArgumentException("'" + zone + "' is not a time zone name");
        return zone;
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return TimeZoneSetting.of(zone(args)).probe();
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        String zone = zone(args);
        TimeZoneSetting setting = TimeZoneSetting.of(zone).parse(probeOutput);
        if (!setting.known()) return Outcome.fail("this host has no time zone " + zone + " (no " + ZONEINFO + zone + ")");
        String current = setting.linkedZone();
        boolean systemd = setting.systemd();
        boolean linkRight = current.equals(zone);
        // timedatectl keeps only the link; the systemd-less way also keeps /etc/timezone, which Debian's tools read.
        boolean fileRight = systemd || setting.file().filter(zone::equals).isPresent();
        Map<String, Object> result = Map.of("name", zone);
        if (linkRight && fileRight) return Outcome.ok("time zone is " + zone).withResult(result);
        List<HostCommand> cmds = new ArrayList<>();
        if (systemd) {
            cmds.add(HostCommand.of(Shell.join("timedatectl", "set-timezone", zone), "timedatectl set-timezone " + zone));
        } else {
            if (!linkRight) cmds.add(HostCommand.of("ln -sfn " + Shell.quote(ZONEINFO + zone) + " /etc/localtime.rig-new && mv -Tf /etc/localtime.rig-new /etc/localtime",
                    "link /etc/localtime to " + ZONEINFO + zone));
            if (!fileRight) cmds.add(HostCommand.of("printf '%s\\n' " + Shell.quote(zone) + " > /etc/timezone.rig-new && mv -f /etc/timezone.rig-new /etc/timezone",
                    "write /etc/timezone"));
        }
        return Outcome.of(Change.of(Action.UPDATE, cmds, List.of(Diff.attributes("timezone", Map.of("name", current.isEmpty() ? "unknown" : current),
                Map.of("name", zone))), "set the time zone to " + zone + (systemd ? " (timedatectl)" : ""))).withResult(result);
    }
}

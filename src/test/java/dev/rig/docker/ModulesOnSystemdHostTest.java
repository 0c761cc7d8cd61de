package dev.rig.docker;


import dev.rig.lab.LabFleet;
import dev.rig.testkit.LabHosts;
import dev.rig.testkit.Rig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.rig.testkit.Steps.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * package and systemd through the rig command line against the real Debian 12 host with systemd as
 * PID 1 ({@link SystemdHost} on a spare address of {@link LabHosts}, its Docker engine on lab host "modengine").
 * The package is a real .deb the test builds on the host and serves from a file repository there, so
 * apt, dpkg and the cache stamp are all real while nothing leaves the machine.
 */
@Tag("integration")
class ModulesOnSystemdHostTest {
    /** The lab host that runs the Docker engine, and a spare address for the systemd host's sshd. */
    @RegisterExtension
    static final LabHosts lab = LabHosts.named("modengine").withSpareAddresses(1);
    static String ADDRESS;
    static final Path PLAYBOOK = Path.of("src/test/resources/docker/package-systemd-playbook.yml").toAbsolutePath();

    static Path dir;
    static LabFleet fleet;
    static DockerEngine engine;
    static SystemdHost host;
    static Path inventory;

    @BeforeAll
    static void start() throws IOException {
        dir = lab.dir();
        fleet = lab.fleet();
        ADDRESS = lab.spareAddress(0);
        engine = DockerEngine.start(fleet, "modengine", dir.resolve("docker"));
        host = SystemdHost.start(engine, ADDRESS, dir.resolve("host"));
        inventory = host.writeInventory(dir.resolve("systemd-inventory/hosts.yml"), "sys1");
        // A one-file package and a trusted file repository with only it; Debian's own lists are dropped (no network here).
        host.sh("set -e; mkdir -p /srv/repo /tmp/pkg/DEBIAN /tmp/pkg/usr/bin\n"
                + "printf '#!/bin/sh\\necho hello from rig\\n' > /tmp/pkg/usr/bin/rig-hello; chmod 755 /tmp/pkg/usr/bin/rig-hello\n"
                + "printf 'Package: rig-hello\\nVersion: 1.0\\nArchitecture: all\\nMaintainer: rig <rig@localhost>\\nDescription: rig test package\\n'"
                + " > /tmp/pkg/DEBIAN/control\n"
                + "dpkg-deb -b /tmp/pkg /srv/repo/rig-hello_1.0_all.deb >/dev/null\n"
                + "cd /srv/repo; { dpkg-deb -f rig-hello_1.0_all.deb; echo \"Filename: ./rig-hello_1.0_all.deb\";"
                + " echo \"Size: $(stat -c %s rig-hello_1.0_all.deb)\"; echo \"SHA256: $(sha256sum rig-hello_1.0_all.deb | cut -d' ' -f1)\"; echo; } > Packages\n"
                + "rm -f /etc/apt/sources.list /etc/apt/sources.list.d/*\n"
                + "echo 'deb [trusted=yes] file:/srv/repo ./' > /etc/apt/sources.list.d/rig.list\n"
                + "mkdir -p /etc/systemd/user; printf '[Service]\\nExecStart=/bin/true\\n[Install]\\nWantedBy=default.target\\n' > /etc/systemd/user/rig-user.service\n");
    }

    @AfterAll
    static void stop() {
        try {
            if (host != null) host.close();
        } finally {
            if (engine != null) engine.close(); // LabHosts then stops the fleet and removes dir
        }
    }

    static Rig rig(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(more));
        args.add(PLAYBOOK.toString());
        return Rig.run(inventory, host.knownHosts(), command, args.toArray(String[]::new));
    }

    static Rig apply(String... more) {
        return apply(PLAYBOOK, more);
    }

    static Rig apply(Path playbook, String... more) {
        List<String> args = new ArrayList<>(List.of("--yes"));
        args.addAll(List.of(more));
        args.add(playbook.toString());
        Rig run = Rig.run(inventory, host.knownHosts(), "apply", args.toArray(String[]::new));
        assertEquals(0, run.exit(), run::toString);
        return run;
    }

    @Test
    void modulesStepByStep() {
        step("package and systemd", ModulesOnSystemdHostTest::packageInstallsThroughAptOnceAndSystemdStartsAndEnablesForEveryUser);
        step("mask and unmask", ModulesOnSystemdHostTest::systemdMasksAndUnmasksARealUnit);
        step("daemon-reexec and remove", ModulesOnSystemdHostTest::daemonReexecRunsTheManagerAgainAndPackageRemoves);
        step("cron", ModulesOnSystemdHostTest::cronWritesRootsCrontabAndACronDFileOnceAndRemovesThem);
        step("timezone", ModulesOnSystemdHostTest::timezoneGoesThroughTimedatectl);
    }

    private static void packageInstallsThroughAptOnceAndSystemdStartsAndEnablesForEveryUser() {
        Rig plan = rig("plan", "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan::toString);
        assertTrue(plan.out().contains("install rig-hello"), plan::toString);

        Rig first = apply();
        assertEquals(4, first.recap("sys1", "changed"), first::toString);
        assertEquals("hello from rig\n", host.sh("rig-hello"));
        assertEquals("active\n", host.sh("systemctl is-active rig-masked"));
        assertEquals("enabled\n", host.sh("systemctl --global is-enabled rig-user.service"));

        Rig second = apply();
        assertEquals(0, second.recap("sys1", "changed"), second::toString);
    }

    private static void systemdMasksAndUnmasksARealUnit() {
        Rig masked = apply("-e", "unit_masked=true", "-e", "unit_state=stopped", "-e", "unit_enabled=false");
        assertEquals(1, masked.recap("sys1", "changed"), masked::toString);
        assertEquals("masked\n", host.sh("systemctl is-enabled rig-masked || true"));
        assertEquals("inactive\n", host.sh("systemctl is-active rig-masked || true"));
        assertEquals(0, apply("-e", "unit_masked=true", "-e", "unit_state=stopped", "-e", "unit_enabled=false").recap("sys1", "changed"));

        Rig refused = rig("apply", "--yes", "-e", "unit_masked=true");
        assertEquals(1, refused.exit(), refused::toString);
        assertTrue(refused.out().contains("unit rig-masked.service is masked; unmask it before starting or enabling it"), refused::toString);

        Rig back = apply();
        assertEquals(1, back.recap("sys1", "changed"), back::toString);
        assertEquals("enabled\n", host.sh("systemctl is-enabled rig-masked"));
        assertEquals("active\n", host.sh("systemctl is-active rig-masked"));
    }

    private static void daemonReexecRunsTheManagerAgainAndPackageRemoves() {
        String reexecs = "journalctl -q --no-pager -o cat _PID=1 | grep -c '^Reexecuting' || true";
        String before = host.sh(reexecs).strip();
        Rig reexec = apply("-e", "reexec=true");
        assertEquals(1, reexec.recap("sys1", "changed"), reexec::toString);
        assertEquals(Integer.parseInt(before) + 1, Integer.parseInt(host.sh(reexecs).strip()), "systemd re-executed itself once");

        Rig removed = apply("-e", "package_state=absent");
        assertEquals(1, removed.recap("sys1", "changed"), removed::toString);
        assertNotEquals("ii", host.sh("dpkg-query -W -f='${db:Status-Abbrev}' rig-hello 2>/dev/null || echo absent").strip());
        assertTrue(host.sh("command -v rig-hello || echo gone").contains("gone"));
        assertEquals(0, apply("-e", "package_state=absent").recap("sys1", "changed"));
    }

    static final Path CRON = Path.of("src/test/resources/docker/cron-playbook.yml").toAbsolutePath();

    private static void cronWritesRootsCrontabAndACronDFileOnceAndRemovesThem() {
        Rig first = apply(CRON);
        assertEquals(3, first.recap("sys1", "changed"), first::toString);
        assertEquals("MAILTO=\"ops@example.com\"\n#Ansible: backup\n0 2 * * * /usr/local/bin/backup >/dev/null 2>&1\n", host.sh("crontab -l"));
        assertEquals("#Ansible: rotate\n@daily root /usr/sbin/logrotate /etc/logrotate.conf\n", host.sh("cat /etc/cron.d/rig-rotate"));
        assertEquals("644\n", host.sh("stat -c %a /etc/cron.d/rig-rotate"));
        assertEquals("active\n", host.sh("systemctl is-active cron"), "Debian's cron runs them");
        assertEquals(0, apply(CRON).recap("sys1", "changed"));

        Rig later = apply(CRON, "-e", "backup_hour=4");
        assertEquals(1, later.recap("sys1", "changed"), later::toString);
        assertTrue(host.sh("crontab -l").contains("\n0 4 * * * /usr/local/bin/backup"));

        Rig removed = apply(CRON, "-e", "state=absent");
        assertEquals(3, removed.recap("sys1", "changed"), removed::toString);
        assertEquals("", host.sh("crontab -l"));
        assertEquals("gone\n", host.sh("[ -e /etc/cron.d/rig-rotate ] || echo gone"));
        assertEquals(0, apply(CRON, "-e", "state=absent").recap("sys1", "changed"));
    }

    static final Path SETTINGS = Path.of("src/test/resources/docker/settings-playbook.yml").toAbsolutePath();

    private static void timezoneGoesThroughTimedatectl() {
        Rig first = apply(SETTINGS);
        assertEquals(1, first.recap("sys1", "changed"), first::toString);
        assertTrue(first.out().contains("set the time zone to America/New_York (timedatectl)"), first::toString);
        assertEquals("America/New_York\n", host.sh("timedatectl show -p Timezone --value"));
        assertEquals(0, apply(SETTINGS).recap("sys1", "changed"));
    }
}

package dev.rig.modules;

import dev.rig.plan.Action;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.rig.modules.ModuleTests.args;
import static dev.rig.modules.ModuleTests.ctx;
import static dev.rig.modules.ModuleTests.descriptions;
import static dev.rig.modules.ModuleTests.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** systemd (masked, daemon_reexec, scope, force, no_block) and package, from probe fixtures to commands. */
class SystemdAndPackageModuleTest {
    private final ServiceModule systemd = ServiceModule.systemd("systemd");
    private final PackageModule pkg = new PackageModule();

    private Outcome systemd(String fixture, Object... args) {
        return systemd.plan(args(args), fixture("systemd", fixture), ctx());
    }

    private static String scripts(Outcome o) {
        return String.join("\n", o.change().commands().stream().map(c -> c.script()).toList());
    }

    @Test
    void masksARunningUnitAfterStoppingNothingElse() {
        Outcome o = systemd("running-enabled", "name", "foo", "masked", true, "state", "stopped");
        assertEquals(List.of("systemctl mask foo.service", "systemctl stop foo.service"), descriptions(o));
        assertEquals(Map.of("masked", "false", "state", "active/running"), o.change().diffs().get(0).before());
        assertFalse(systemd("masked", "name", "foo", "masked", true, "state", "stopped").change().changes(), "masked and stopped already");
    }

    @Test
    void unmasksThenEnablesAndStarts() {
        Outcome o = systemd("masked", "name", "foo", "masked", false, "enabled", true, "state", "started");
        assertEquals(List.of("systemctl unmask foo.service", "systemctl enable foo.service", "systemctl start foo.service"), descriptions(o));
        assertEquals(Action.UPDATE, o.change().action());
    }

    @Test
    void startingAMaskedUnitFailsUnlessItIsUnmasked() {
        Outcome o = systemd("masked", "name", "foo", "state", "started");
        assertTrue(o.failed());
        assertEquals("unit foo.service is masked; unmask it before starting or enabling it", o.message());
        Outcome toBe = systemd("stopped-disabled", "name", "foo", "masked", true, "enabled", true);
        assertTrue(toBe.failed());
        assertEquals("unit foo.service is to be masked; unmask it before starting or enabling it", toBe.message());
    }

    @Test
    void daemonReexecAlwaysRunsAndComesFirst() {
        Outcome o = systemd("running-enabled", "name", "foo", "daemon_reexec", true, "state", "started");
        assertEquals(List.of("systemctl daemon-reexec"), descriptions(o));
        assertEquals(Action.RUN, o.change().action());
        Outcome alone = systemd("no-unit", "daemon_reexec", true);
        assertEquals(List.of("systemctl daemon-reexec"), descriptions(alone));
        assertFalse(systemd("running-enabled", "name", "foo", "state", "started", "enabled", true).change().changes());
    }

    @Test
    void userScopeReachesTheUsersManagerAndGlobalScopeEnablesForEveryone() {
        Outcome user = systemd("stopped-disabled", "name", "foo", "scope", "user", "state", "started", "no_block", true);
        assertEquals(List.of("systemctl --user --no-block start foo.service"), descriptions(user));
        assertTrue(scripts(user).startsWith("export XDG_RUNTIME_DIR=\"${XDG_RUNTIME_DIR:-/run/user/$(id -u)}\"\n"), scripts(user));
        assertTrue(systemd.probe(args("name", "foo", "scope", "user"), ctx()).script().contains("systemctl --user show"));

        Outcome global = systemd("global-disabled", "name", "foo", "scope", "global", "enabled", true, "force", true);
        assertEquals(List.of("systemctl --global --force enable foo.service"), descriptions(global));
        assertTrue(systemd.probe(args("name", "foo", "scope", "global"), ctx()).script().contains("systemctl --global is-enabled -- foo.service"));
        assertEquals(List.of("'state' needs 'name'", "scope 'global' enables, disables and masks units for every user; it has no 'state' (give a user's scope)"),
                systemd.crossCheck(Map.of("state", "started", "scope", "global")));
    }

    @Test
    void packageDrivesAptOnAnAptHost() {
        Outcome o = pkg.plan(args("name", "hello", "state", "present"), fixture("package", "apt-hello-missing"), ctx());
        assertEquals(List.of("apt-get install hello"), descriptions(o));
        assertEquals(Action.CREATE, o.change().action());
        assertFalse(pkg.plan(args("name", "hello", "state", "present"), fixture("package", "apt-hello-installed"), ctx()).change().changes());
        Outcome removed = pkg.plan(args("name", "hello", "state", "absent"), fixture("package", "apt-hello-installed"), ctx());
        assertEquals(List.of("apt-get remove hello"), descriptions(removed));
    }

    @Test
    void packageNamesAnotherManagerInsteadOfGuessing() {
        Outcome dnf = pkg.plan(args("name", "hello", "state", "present"), fixture("package", "dnf-host"), ctx());
        assertTrue(dnf.failed());
        assertEquals("this host's package manager is dnf; rig's package module drives apt only", dnf.message());
        Outcome none = pkg.plan(args("name", "hello", "state", "present"), fixture("package", "no-manager"), ctx());
        assertTrue(none.failed());
        assertTrue(none.message().startsWith("this host has no package manager rig knows"), none.message());
    }

    @Test
    @org.junit.jupiter.api.Tag("integration") // needs a Debian machine (apt, dpkg): the fast loop runs anywhere
    void packageProbeRunsOnThisMachineAsOnAHost() {
        // The test machine is Debian: the real probe finds apt and prints apt's parts after the manager line.
        ModuleTests.Ran ran = ModuleTests.sh(java.nio.file.Path.of("."), pkg.probe(args("name", "dpkg", "state", "present"), ctx()).script(), null);
        assertEquals(0, ran.rc(), ran.stderr());
        assertTrue(ran.stdout().startsWith("@@rig-package-manager apt\n"), ran.stdout());
        assertFalse(pkg.plan(args("name", "dpkg", "state", "present"), ran.stdout(), ctx()).change().changes(), "dpkg is installed here");
    }
}

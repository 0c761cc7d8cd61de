package dev.rig.modules;

import dev.rig.plan.Action;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.rig.modules.ModuleTests.args;
import static dev.rig.modules.ModuleTests.ctx;
import static dev.rig.modules.ModuleTests.descriptions;
import static dev.rig.modules.ModuleTests.fixture;
import static dev.rig.modules.ModuleTests.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cron on crontabs as Ansible writes them: named jobs, variables, cron.d files. */
class CronModuleTest {
    private final CronModule module = new CronModule();

    private Outcome plan(String fixture, Object... args) {
        return module.plan(args(args), fixture("cron", fixture), ctx());
    }

    private static String installed(Outcome o) {
        return utf8(o.change().commands().get(0).stdin());
    }

    @Test
    void aNewJobGoesAtTheEndUnderItsNameAndTheHeaderIsDropped() {
        Outcome o = plan("user-with-backup", "name", "cleanup", "job", "/usr/bin/cleanup", "minute", "*/5", "user", "app");
        assertEquals(List.of("install the crontab of app"), descriptions(o));
        assertEquals("crontab -u app -\n", o.change().commands().get(0).script());
        assertEquals("MAILTO=ops\n#Ansible: backup\n0 2 * * * /usr/local/bin/backup\n#Ansible: cleanup\n*/5 * * * * /usr/bin/cleanup\n", installed(o));
        assertEquals(List.of("backup", "cleanup"), o.result().get("jobs"));
    }

    @Test
    void anUnchangedJobIsOkAndAChangedOneIsReplacedInPlace() {
        assertFalse(plan("user-with-backup", "name", "backup", "job", "/usr/local/bin/backup", "minute", "0", "hour", "2").change().changes());
        Outcome o = plan("user-with-backup", "name", "backup", "job", "/usr/local/bin/backup", "minute", "30", "hour", "2", "disabled", true);
        assertEquals("MAILTO=ops\n#Ansible: backup\n#30 2 * * * /usr/local/bin/backup\n", installed(o));
    }

    @Test
    void absentRemovesTheNameAndTheJob() {
        assertEquals("MAILTO=ops\n", installed(plan("user-with-backup", "name", "backup", "state", "absent")));
        assertFalse(plan("user-empty", "name", "backup", "state", "absent").change().changes());
    }

    @Test
    void specialTimeAndAHandWrittenJobGetsItsName() {
        assertEquals("#Ansible: boot\n@reboot /bin/start\n", installed(plan("user-empty", "name", "boot", "job", "/bin/start", "special_time", "reboot")));
        assertEquals("#Ansible: hand\n5 * * * * /usr/bin/hand-written\n",
                installed(plan("user-hand-written", "name", "hand", "job", "/usr/bin/hand-written", "minute", "5")));
    }

    @Test
    void variablesGoToTheTopOrBesideAnother() {
        assertEquals("PATH=\"/bin\"\nMAILTO=ops\n#Ansible: backup\n0 2 * * * /usr/local/bin/backup\n",
                installed(plan("user-with-backup", "name", "PATH", "env", true, "job", "/bin")));
        assertEquals("MAILTO=ops\nSHELL=\"/bin/sh\"\n#Ansible: backup\n0 2 * * * /usr/local/bin/backup\n",
                installed(plan("user-with-backup", "name", "SHELL", "env", true, "job", "/bin/sh", "insertafter", "MAILTO")));
        assertFalse(plan("user-with-backup", "name", "PATH", "env", true, "state", "absent").change().changes());
    }

    @Test
    void aCronFileHoldsTheUserAndGoesWhenItsLastEntryDoes() {
        Args rotate = args("name", "rotate", "cron_file", "rotate", "user", "root", "job", "/usr/sbin/logrotate /etc/logrotate.conf", "minute", "0", "hour", "3");
        assertFalse(module.plan(rotate, fixture("cron", "file-rotate"), ctx()).change().changes());
        Outcome created = module.plan(rotate, fixture("cron", "file-absent"), ctx());
        assertEquals(Action.CREATE, created.change().action());
        assertEquals(List.of("write /etc/cron.d/rotate (72 bytes)"), descriptions(created));
        assertEquals("#Ansible: rotate\n0 3 * * * root /usr/sbin/logrotate /etc/logrotate.conf\n", installed(created));
        assertTrue(created.change().commands().get(0).script().contains("chmod 0644"));
        Outcome removed = plan("file-rotate", "name", "rotate", "cron_file", "rotate", "state", "absent");
        assertEquals(List.of("remove /etc/cron.d/rotate"), descriptions(removed));
    }

    @Test
    void loadTimeChecksAsAnsible() {
        assertEquals(List.of("cron_file needs 'user' (the user the job runs as)"), module.crossCheck(Map.of("name", "x", "job", "j", "cron_file", "x")));
        assertEquals(List.of("give time and date fields or special_time, not both"),
                module.crossCheck(Map.of("name", "x", "job", "j", "special_time", "daily", "hour", "3")));
    }
}

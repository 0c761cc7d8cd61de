package dev.rig.apply;

import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.HostCommand;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Which answers read ahead a change leaves standing: only those it cannot have made stale. */
class ProbeCacheTest {
    private static final ProbeBatch.Output OUT = new ProbeBatch.Output("kind=absent", 0);

    private static Change.Touched paths(String... p) {
        return new Change.Touched(Set.of(p), Set.of());
    }

    private static ProbeCache with(String... paths) {
        ProbeCache c = new ProbeCache();
        for (String p : paths) c.put(p, Set.of(p), OUT);
        return c;
    }

    @Test
    void aWriteLeavesTheAnswersForOtherFilesInTheSameDirectory() {
        ProbeCache c = with("/srv/app/a.conf", "/srv/app/b.conf", "/etc/motd");
        c.touched(paths("/srv/app/a.conf"));
        assertNull(c.take("/srv/app/a.conf"));
        assertNotNull(c.take("/srv/app/b.conf"));
        assertNotNull(c.take("/etc/motd"));
    }

    @Test
    void twoEditsOfOneFileReadItAgain() {
        ProbeCache c = with("/etc/ssh/sshd_config");
        c.touched(paths("/etc/ssh//sshd_config/"));
        assertNull(c.take("/etc/ssh/sshd_config"), "the same path however spelt");
    }

    @Test
    void removingOrReplacingATreeDropsEverythingBelowIt() {
        ProbeCache c = with("/srv/data/x/y", "/srv/data", "/srv/other/y2", "/opt/data/x/z", "/srv/data-old/x");
        c.touched(new Change.Touched(Set.of(), Set.of("/srv/data")));
        assertNull(c.take("/srv/data/x/y"));
        assertNull(c.take("/srv/data"));
        assertNull(c.take("/opt/data/x/z"), "below a directory of the same name: maybe the same tree through a symlink");
        assertNotNull(c.take("/srv/other/y2"));
        assertNotNull(c.take("/srv/data-old/x"));
    }

    @Test
    void creatingOrChmoddingADirectoryLeavesWhatIsBelowIt() {
        ProbeCache c = with("/srv/app/a.conf", "/srv/app", "/srv");
        c.touched(paths("/srv/app"));
        assertNotNull(c.take("/srv/app/a.conf"), "mkdir or chmod of a directory leaves the state of its entries");
        assertNull(c.take("/srv/app"));
        assertNull(c.take("/srv"), "mkdir -p may have created the directories above");
    }

    @Test
    void writingAChildDropsTheDirectoriesAboveIt() {
        ProbeCache c = with("/srv/app", "/srv", "/srv/app-old");
        c.touched(paths("/srv/app/new.conf"));
        assertNull(c.take("/srv/app"), "a directory's own state (its size) changes with its entries");
        assertNull(c.take("/srv"));
        assertNotNull(c.take("/srv/app-old"), "a name that merely starts alike is another path");
    }

    @Test
    void theSameNameElsewhereMayBeTheSameFileThroughASymlink() {
        // /var/run is a link to /run on Debian: one file, two spellings
        ProbeCache c = with("/run/app/pid.conf", "/opt/app", "/opt/app/data");
        c.touched(paths("/var/run/app/pid.conf"));
        assertNull(c.take("/run/app/pid.conf"));
        assertNull(c.take("/opt/app"), "a directory of the same name as one above the write: maybe the same directory");
        assertNotNull(c.take("/opt/app/data"), "another file in it is not the file written");
    }

    @Test
    void anAnswerAboutPathsServesEveryAskUntilAChangeDropsItOthersOnlyOne() {
        ProbeCache c = with("/etc/env");
        c.put("service", null, OUT);
        assertNotNull(c.take("/etc/env"));
        assertNotNull(c.take("/etc/env"), "two tasks reading one file before either changes it");
        assertNotNull(c.take("service"));
        assertNull(c.take("service"), "a service or a port may change by itself: read again");
        c.touched(paths("/etc/env"));
        assertNull(c.take("/etc/env"));
    }

    @Test
    void unknownReadsOrTouchesDropEverything() {
        ProbeCache c = with("/a/b");
        c.put("service", null, OUT);
        c.put("relative", Set.of("relative/path"), OUT);
        c.touched(paths("/x/y"));
        assertNull(c.take("service"), "a probe that does not say what it reads");
        assertNull(c.take("relative"), "a relative path can be anywhere");
        assertNotNull(c.take("/a/b"));
        ProbeCache d = with("/a/b");
        d.touched(null);
        assertEquals(0, d.size(), "a change that does not say what it touches");
        ProbeCache e = with("/a/b");
        e.touched(Change.Touched.NOTHING);
        assertEquals(1, e.size(), "an API call touches nothing on the host");
    }

    @Test
    void aChangeTouchesWhatItsModuleSaysElseWhatItsUploadsReplace() {
        HostCommand upload = HostCommand.upload("cat > x", null, "write /srv/x", "/srv/x");
        HostCommand chmod = HostCommand.of("chmod 600 /srv/x");
        assertEquals(paths("/srv/x"), HostRun.touches(Change.of(Action.UPDATE, List.of(upload), List.of(), "")));
        assertNull(HostRun.touches(Change.of(Action.UPDATE, List.of(upload, chmod), List.of(), "")), "a command that does not say");
        assertEquals(paths("/srv/x"), HostRun.touches(Change.of(Action.UPDATE, List.of(upload, chmod), List.of(), "").touching(Set.of("/srv/x"))));
        assertEquals(Change.Touched.NOTHING, HostRun.touches(Change.local(Action.UPDATE, List.of(), List.of(), "")));
    }
}

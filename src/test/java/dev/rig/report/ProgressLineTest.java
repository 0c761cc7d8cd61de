package dev.rig.report;

import dev.rig.apply.Event;
import dev.rig.apply.HostRecap;
import dev.rig.apply.Mode;
import dev.rig.apply.Status;
import dev.rig.core.Secrets;
import dev.rig.plan.Action;
import org.junit.jupiter.api.Test;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The progress line on a terminal: hosts done of the play's, failures so far, elapsed; only once a run takes a while. */
class ProgressLineTest {
    private static final long SECOND = 1_000_000_000L;

    private static Event.TaskDone done(String host) {
        return new Event.TaskDone(host, "web", "copy", null, Status.OK, Action.NOOP, "", List.of(), List.of(), false, false);
    }

    /** The terminal's last line as shown: after the last newline and the last carriage return that clears a line. */
    private static String lastLine(StringWriter w) {
        String s = plain(w);
        return s.substring(Math.max(s.lastIndexOf('\n'), s.lastIndexOf("\r\u001b[K") + 3) + 1);
    }

    private static String plain(StringWriter w) {
        return w.toString().replaceAll("\u001b\\[[0-9;]*m", "");
    }

    @Test
    void aLongRunShowsHostsDoneFailuresAndElapsedAndAShortOneNothing() {
        AtomicLong now = new AtomicLong(100 * SECOND);
        StringWriter w = new StringWriter();
        HumanReporter r = new HumanReporter(new PrintWriter(w), new Secrets(), true, now::get);
        r.emit(new Event.RunStarted(Mode.APPLY, List.of("site.yml")));
        r.emit(new Event.PlayStarted("web", List.of("h1", "h2", "h3")));
        now.addAndGet(SECOND);
        r.emit(done("h1"));
        r.emit(new Event.HostFinished("web", "h1", false));
        assertFalse(w.toString().contains("hosts done"), "a run one second old shows no progress line: " + w);

        now.addAndGet(4 * SECOND);
        r.emit(new Event.HostFinished("web", "h2", true));
        assertEquals("… play 'web': 2/3 hosts done, 1 failed so far, 5 s", lastLine(w));

        now.addAndGet(7 * SECOND);
        r.emit(done("h3"));
        assertTrue(plain(w).endsWith("\r\u001b[Kok [h3] copy\n… play 'web': 2/3 hosts done, 1 failed so far, 12 s"),
                "the progress line cleared, the task's line, the progress line again under it: " + plain(w));

        r.emit(new Event.HostFinished("web", "h3", false));
        r.emit(new Event.RunFinished(Mode.APPLY, List.of(new HostRecap("h1", 1, 0, 0, 0, 0, 0, 0, 0, null)), 12_000));
        assertFalse(lastLine(w).contains("hosts done"), "no progress line after the recap: " + lastLine(w));
    }

    @Test
    void aNewPlayCountsItsOwnHostsAndFailuresAddUp() {
        AtomicLong now = new AtomicLong(0);
        StringWriter w = new StringWriter();
        HumanReporter r = new HumanReporter(new PrintWriter(w), new Secrets(), true, now::get);
        r.emit(new Event.RunStarted(Mode.APPLY, List.of("site.yml")));
        r.emit(new Event.PlayStarted("one", List.of("h1", "h2")));
        now.addAndGet(10 * SECOND);
        r.emit(new Event.HostFinished("one", "h1", true));
        r.emit(new Event.HostFinished("one", "h2", false));
        r.emit(new Event.PlayStarted("two", List.of("h2")));
        assertEquals("… play 'two': 0/1 hosts done, 1 failed so far, 10 s", lastLine(w));
    }

    @Test
    void notOnATerminal() {
        AtomicLong now = new AtomicLong(0);
        StringWriter w = new StringWriter();
        HumanReporter r = new HumanReporter(new PrintWriter(w), new Secrets(), false, now::get);
        r.emit(new Event.PlayStarted("web", List.of("h1")));
        now.addAndGet(60 * SECOND);
        r.emit(new Event.HostFinished("web", "h1", false));
        assertFalse(w.toString().contains("hosts done"), w.toString());
    }
}

package dev.rig.report;

import dev.rig.apply.Event;
import dev.rig.apply.EventSink;
import dev.rig.apply.HostRecap;
import dev.rig.apply.Mode;
import dev.rig.apply.Status;
import dev.rig.core.Secrets;
import dev.rig.plan.Action;
import dev.rig.plan.Diff;

import java.io.PrintWriter;

/**
 * Output for people: one line per task per host, unified diffs for files, a live progress line
 * when stdout is a terminal, and a recap per host. Colour only on a terminal. Every string goes
 * through the secrets filter first.
 */
public final class HumanReporter implements EventSink {
    private static final String RESET = "\u001b[0m";
    private final PrintWriter out;
    private final Secrets secrets;
    private final boolean tty;
    private Mode mode = Mode.APPLY;
    /** The progress line waits this long into a run: a short run is over before it would help. */
    static final long PROGRESS_AFTER_NANOS = 3_000_000_000L;
    private final java.util.function.LongSupplier clock;
    private long startedAt;
    private String play;
    private int playHosts;
    private int hostsDone;
    private final java.util.Set<String> failedHosts = new java.util.HashSet<>();
    private boolean progressShown;

    public HumanReporter(PrintWriter out, Secrets secrets, boolean tty) {
        this(out, secrets, tty, System::nanoTime);
    }

    /** clock: nanoseconds, as System.nanoTime (tests pass their own). */
    HumanReporter(PrintWriter out, Secrets secrets, boolean tty, java.util.function.LongSupplier clock) {
        this.out = out;
        this.secrets = secrets;
        this.tty = tty;
        this.clock = clock;
        this.startedAt = clock.getAsLong();
    }

    @Override
    public synchronized void emit(Event event) {
        clearProgress();
        if (event instanceof Event.RunStarted e) {
            mode = e.mode();
            startedAt = clock.getAsLong();
        } else if (event instanceof Event.HostFinished e) {
            hostsDone++;
            if (e.failed()) failedHosts.add(e.host());
        } else if (event instanceof Event.PlayStarted e) playStarted(e);
        if (event instanceof Event.PlayStarted e) println("\n" + bold("PLAY [" + e.play() + "]") + " " + e.hosts().size() + " host" + (e.hosts().size() == 1 ? "" : "s"));
        else if (event instanceof Event.TaskDone e) task(e);
        else if (event instanceof Event.HostUnreachable e) println(colour("31", "unreachable") + " [" + e.host() + "] " + e.message());
        else if (event instanceof Event.Warning e) println(colour("35", "warning") + ": " + e.message());
        else if (event instanceof Event.Message e) println(colour("36", "message") + " [" + e.host() + "] " + e.task() + ": " + e.text());
        else if (event instanceof Event.RunFinished e) {
            recap(e);
            playHosts = 0; // the run is over: no progress line after the recap
        }
        showProgress();
        out.flush();
    }

    private void playStarted(Event.PlayStarted e) {
        play = e.play();
        playHosts = e.hosts().size();
        hostsDone = 0;
    }

    private void task(Event.TaskDone e) {
        String word = mode == Mode.PLAN && e.status() == Status.CHANGED && e.action() == Action.RUN ? "will run" : word(e.status(), e.ignored());
        StringBuilder line = new StringBuilder();
        line.append(colour(colourOf(e.status(), e.ignored()), word)).append(" [").append(e.where()).append("] ");
        if (e.handler()) line.append("handler: ");
        line.append(e.task());
        if (e.item() != null) line.append(" (item=").append(e.item()).append(')');
        if (e.message() != null && !e.message().isBlank() && e.status() != Status.OK) {
            line.append(" — ").append(e.message());
        }
        println(line.toString());
        for (Diff d : e.diffs()) diff(d);
        if (mode == Mode.PLAN && e.status() == Status.CHANGED) {
            for (String c : e.commands()) println("    " + colour("2", "$ " + c));
        }
    }

    private void diff(Diff d) {
        for (String l : DiffText.lines(d)) {
            String c = l.startsWith("+++") || l.startsWith("---") ? "1" : l.startsWith("+") ? "32" : l.startsWith("-") ? "31" : l.startsWith("@@") ? "36" : null;
            println("    " + (c == null ? l : colour(c, l)));
        }
    }

    private void recap(Event.RunFinished e) {
        println("\n" + bold(e.mode() == Mode.PLAN ? "PLAN RECAP" : "RECAP"));
        int width = e.recaps().stream().mapToInt(r -> r.host().length()).max().orElse(4);
        int changed = 0, problems = 0;
        for (HostRecap r : e.recaps()) {
            String c = e.mode() == Mode.PLAN ? "to_change" : "changed";
            int shownChanged = e.mode() == Mode.PLAN ? r.converging() : r.changed();
            String line = String.format("%-" + width + "s : ok=%-3d %s=%-3d unreachable=%-2d failed=%-2d skipped=%-3d ignored=%d",
                    r.host(), r.ok(), c, shownChanged, r.unreachable(), r.failed(), r.skipped(), r.ignored());
            if (e.mode() == Mode.PLAN && r.alwaysRun() > 0) line += " to_run=" + r.alwaysRun();
            if (r.knownAfterApply() > 0) line += " known_after_apply=" + r.knownAfterApply();
            println(colour(r.hasProblem() ? "31" : r.changed() > 0 ? "33" : "32", line));
            changed += e.mode() == Mode.PLAN ? r.converging() : r.changed();
            if (r.hasProblem()) problems++;
        }
        for (HostRecap r : e.recaps()) {
            if (r.failure() != null) println(colour("31", "  " + r.host() + ": " + r.failure()));
        }
        String verb = e.mode() == Mode.PLAN ? "to change" : "changed";
        println(String.format("%d host%s, %d %s, %d with problems, %.1f s", e.recaps().size(), e.recaps().size() == 1 ? "" : "s",
                changed, verb, problems, e.elapsedMillis() / 1000.0));
    }

    private String word(Status s, boolean ignored) {
        if (ignored) return "failed (ignored)";
        return switch (s) {
            case OK -> "ok";
            case CHANGED -> mode == Mode.PLAN ? "change" : "changed";
            case SKIPPED -> "skipped";
            case FAILED -> "failed";
            case UNREACHABLE -> "unreachable";
            case KNOWN_AFTER_APPLY -> "known after apply";
        };
    }

    private static String colourOf(Status s, boolean ignored) {
        if (ignored) return "36";
        return switch (s) {
            case OK -> "32";
            case CHANGED -> "33";
            case SKIPPED -> "36";
            case FAILED, UNREACHABLE -> "31";
            case KNOWN_AFTER_APPLY -> "35";
        };
    }

    /**
     * On a terminal, once a run has gone on for a few seconds, the last line says how far it is:
     * "… play 'web': 37/200 hosts done, 2 failed so far, 14 s". Rewritten in place at every event.
     */
    private void showProgress() {
        long elapsed = clock.getAsLong() - startedAt;
        if (!tty || playHosts == 0 || elapsed < PROGRESS_AFTER_NANOS) return;
        out.print(colour("2", progressLine(play, hostsDone, playHosts, failedHosts.size(), elapsed / 1_000_000_000L)));
        progressShown = true;
    }

    static String progressLine(String play, int done, int total, int failed, long seconds) {
        return "… play '" + play + "': " + done + "/" + total + " hosts done, " + failed + " failed so far, " + seconds + " s";
    }

    private void clearProgress() {
        if (progressShown) {
            out.print("\r\u001b[K");
            progressShown = false;
        }
    }

    private void println(String s) {
        out.println(secrets.redact(s));
    }

    private String colour(String code, String s) {
        return tty ? "\u001b[" + code + "m" + s + RESET : s;
    }

    private String bold(String s) {
        return colour("1", s);
    }
}

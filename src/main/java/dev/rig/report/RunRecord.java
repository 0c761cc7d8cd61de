package dev.rig.report;

import dev.rig.apply.Event;
import dev.rig.apply.EventSink;
import dev.rig.apply.HostRecap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Keeps what a run reported, per host and in order, so that a plan can be saved, drift can be
 * summarised as JUnit XML or Prometheus metrics, and two plans can be compared.
 */
public final class RunRecord implements EventSink {
    private final Map<String, List<Event.TaskDone>> tasks = Collections.synchronizedMap(new LinkedHashMap<>());
    private final Map<String, String> unreachable = Collections.synchronizedMap(new LinkedHashMap<>());
    private volatile Event.RunFinished finished;

    @Override
    public void emit(Event event) {
        if (event instanceof Event.TaskDone t) {
            tasks.computeIfAbsent(t.host(), h -> Collections.synchronizedList(new ArrayList<>())).add(t);
        } else if (event instanceof Event.HostUnreachable u) {
            unreachable.put(u.host(), u.message());
        } else if (event instanceof Event.RunFinished f) {
            finished = f;
        }
    }

    public List<HostRecap> recaps() {
        return finished == null ? List.of() : finished.recaps();
    }

    public long elapsedMillis() {
        return finished == null ? 0 : finished.elapsedMillis();
    }

    public List<Event.TaskDone> tasks(String host) {
        synchronized (tasks) {
            List<Event.TaskDone> l = tasks.get(host);
            return l == null ? List.of() : List.copyOf(l);
        }
    }

    public String unreachableMessage(String host) {
        return unreachable.get(host);
    }

    /** Sends every event to each sink in turn: a reporter and a record, say. */
    public static EventSink tee(EventSink... sinks) {
        return event -> {
            for (EventSink s : sinks) s.emit(event);
        };
    }
}

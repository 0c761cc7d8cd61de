package dev.rig.apply;

/** Receives events from many host threads at once; implementations must be thread-safe. */
public interface EventSink {
    void emit(Event event);
}

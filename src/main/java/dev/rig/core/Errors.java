package dev.rig.core;

import java.util.ArrayList;
import java.util.List;

/** Collects input errors so that validation can report all of them at once. */
public final class Errors {
    private final List<InputError> list = new ArrayList<>();

    public void add(Source source, String message) {
        list.add(new InputError(source, message));
    }

    public void addAll(List<InputError> more) {
        list.addAll(more);
    }

    public boolean isEmpty() {
        return list.isEmpty();
    }

    public List<InputError> list() {
        return List.copyOf(list);
    }

    /** Throws if anything was collected. */
    public void throwIfAny() {
        if (!list.isEmpty()) throw new InvalidInputException(list);
    }
}

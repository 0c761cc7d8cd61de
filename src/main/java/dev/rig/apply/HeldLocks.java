package dev.rig.apply;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Host locks that outlive one engine run, so that a reviewed plan is checked and applied under one lock:
 * an engine run {@link Engine#keepingLocks keeping} them takes each host's lock (a plan run too) and leaves
 * it held; the next run with the same locks finds them taken. Closing releases them all.
 */
public final class HeldLocks implements AutoCloseable {
    /** Host name → its held lock command. */
    final Map<String, AutoCloseable> locks = new ConcurrentHashMap<>();
    /** Inventory names found to be one machine: name → the name that holds its lock. */
    final Map<String, String> sameMachine = new ConcurrentHashMap<>();

    @Override
    public void close() {
        locks.values().forEach(lock -> {
            try {
                lock.close();
            } catch (Exception e) {
                // The connection closing releases it on the host all the same.
            }
        });
        locks.clear();
    }
}

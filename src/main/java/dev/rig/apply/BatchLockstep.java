package dev.rig.apply;

import dev.rig.playbook.Task;

import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ansible's linear strategy where a play needs it, for one serial batch whose hosts otherwise run on
 * threads of their own: {@code run_once} (the first host of the batch still in the play runs the task,
 * the others take its result) and {@code any_errors_fatal} (no host goes past a covered task before
 * every host still running has finished it; a failure there ends the batch for all).
 *
 * <p>It never waits for a host that has left the play, nor for one waiting for its machine (another
 * inventory name of one machine waits for the first name's whole play), and a host's wait always
 * ends: at a barrier the host that has passed the fewest covered tasks waits for nobody, and a run_once
 * task passes to the next host when the one whose turn it was leaves or is already past it.
 */
final class BatchLockstep {
    /** What a run_once task left on the host that ran it, for the others: the variables it set, and its failure. */
    record Shared(Map<String, Object> facts, String failure, String ranOn) {}

    /** What a host reaching a run_once task does: run it ({@code shared} null), or take another host's result. */
    record Turn(Shared shared) {
        boolean runsHere() {
            return shared == null;
        }
    }

    private record Occurrence(Task task, int n) {}

    private final List<String> order;
    private final Set<String> left = new HashSet<>();
    private final Set<String> waitingForMachine = new HashSet<>();
    /** Covered tasks each host has finished, and the count a host is waiting at (absent: not waiting). */
    private final Map<String, Integer> passed = new HashMap<>();
    private final Map<String, Integer> atBarrier = new HashMap<>();
    private final Map<String, Map<Task, Integer>> seen = new HashMap<>();
    private final Map<Occurrence, String> runner = new HashMap<>();
    private final Map<Occurrence, Shared> done = new HashMap<>();
    private int fatalAt = Integer.MAX_VALUE;
    private String fatal;

    BatchLockstep(List<String> hostsInOrder) {
        this.order = List.copyOf(hostsInOrder);
        order.forEach(h -> passed.put(h, 0));
    }

    /** The host's play is over (done, failed, ended or never started): nobody waits for it any more. */
    synchronized void left(String host) {
        left.add(host);
        notifyAll();
    }

    /** The host waits for another inventory name of its machine to finish the play: not to be waited for meanwhile. */
    synchronized void waitsForMachine(String host, boolean waiting) {
        if (waiting) waitingForMachine.add(host);
        else waitingForMachine.remove(host);
        notifyAll();
    }

    /**
     * A host reaches a run_once task: it runs it when no host before it in the batch will (they have
     * left, wait for their machine, or wait at a barrier past this point), else it waits for that host's result.
     */
    synchronized Turn reach(String host, Task task) {
        int n = seen.computeIfAbsent(host, h -> new IdentityHashMap<>()).merge(task, 1, Integer::sum);
        Occurrence key = new Occurrence(task, n);
        while (true) {
            Shared s = done.get(key);
            if (s != null) return new Turn(s);
            String running = runner.get(key);
            if (running == null && host.equals(turnOf(host))) {
                runner.put(key, host);
                return new Turn(null);
            }
            if (running != null && left.contains(running)) runner.remove(key); // it left without a result: the next one's turn
            else await();
        }
    }

    /** The host that ran a run_once task gives its result to the others. */
    synchronized void ran(String host, Task task, Shared shared) {
        Map<Task, Integer> mine = seen.get(host);
        done.put(new Occurrence(task, mine.get(task)), shared);
        notifyAll();
    }

    /** The first host of the batch in order that may still run a task {@code asker} has reached. */
    private String turnOf(String asker) {
        int mine = passed.get(asker);
        for (String h : order) {
            if (h.equals(asker)) return h;
            if (left.contains(h) || waitingForMachine.contains(h)) continue;
            Integer at = atBarrier.get(h);
            if (at != null && at > mine) continue; // already past the task: it will not run it
            return h;
        }
        return asker;
    }

    /**
     * A host finished a task covered by any_errors_fatal (or a run_once task, which Ansible's linear
     * strategy treats alike); {@code failure}: why it failed the host unrescued, else null. Waits until
     * every other host still running has finished it too; true when the play is over for this host,
     * because some host failed there (or earlier).
     */
    synchronized boolean passed(String host, String failure) {
        int k = passed.merge(host, 1, Integer::sum);
        if (failure != null && k < fatalAt) {
            fatalAt = k;
            fatal = failure;
        }
        notifyAll();
        atBarrier.put(host, k);
        try {
            while (fatalAt > k && behind(host, k)) await();
        } finally {
            atBarrier.remove(host);
        }
        return fatalAt <= k;
    }

    private boolean behind(String host, int k) {
        for (String h : order) {
            if (h.equals(host) || left.contains(h) || waitingForMachine.contains(h)) continue;
            if (passed.get(h) < k) return true;
        }
        return false;
    }

    /** The failure that ended the batch for every host (any_errors_fatal), or null. */
    synchronized String fatal() {
        return fatal;
    }

    private void await() {
        try {
            wait();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the other hosts of the batch", e);
        }
    }
}

package dev.rig.apply;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/** What rig knows of one host across all plays of a run: its facts, counters and fate. */
final class HostState {
    final String host;
    /** set_fact and register results; values may be null. One host thread at a time uses it. */
    final Map<String, Object> facts = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Gathered facts as variables (ansible_facts, ansible_NAME), kept for later plays as Ansible keeps them. */
    final Map<String, Object> gathered = Collections.synchronizedMap(new LinkedHashMap<>());
    /** Variables of include_vars, below set_fact and register (Ansible's vars cache, kept for later plays too). */
    final Map<String, Object> included = Collections.synchronizedMap(new LinkedHashMap<>());
    int ok, changed, unreachable, failed, skipped, ignored, knownAfterApply, alwaysRun;
    String failure;
    volatile boolean dead;

    HostState(String host) {
        this.host = host;
    }

    synchronized void count(Status status, boolean ignoredFailure) {
        count(status, ignoredFailure, null);
    }

    synchronized void count(Status status, boolean ignoredFailure, dev.rig.plan.Action action) {
        if (status == Status.CHANGED && action == dev.rig.plan.Action.RUN) alwaysRun++;
        switch (status) {
            case OK -> ok++;
            case CHANGED -> changed++;
            case SKIPPED -> skipped++;
            case UNREACHABLE -> {
                // ignore_unreachable: Ansible's recap counts the task ok and ignored, not the host unreachable.
                if (ignoredFailure) {
                    ok++;
                    ignored++;
                } else {
                    unreachable++;
                }
            }
            case KNOWN_AFTER_APPLY -> knownAfterApply++;
            case FAILED -> {
                if (ignoredFailure) ignored++; else failed++;
            }
        }
    }

    synchronized void fail(String message) {
        if (failure == null) failure = message;
        dead = true;
    }

    /** A block's rescue or always part runs on a failed host: the failure is lifted and handed back. */
    synchronized String resume() {
        String f = failure;
        failure = null;
        dead = false;
        return f;
    }

    /** A failure a rescue handled does not count as one, as in Ansible's recap (which counts it as rescued). */
    synchronized void rescued() {
        if (failed > 0) failed--;
    }

    synchronized HostRecap recap() {
        return new HostRecap(host, ok, changed, unreachable, failed, skipped, ignored, knownAfterApply, alwaysRun, failure);
    }
}

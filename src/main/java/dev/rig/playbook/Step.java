package dev.rig.playbook;

import java.util.ArrayList;
import java.util.List;

/**
 * One node of a play's task tree: a task, or a block of steps with its rescue and always parts.
 * Keywords a block passes down (when, become, tags, vars, ignore_errors) are already in each of its
 * tasks; the tree keeps only what decides the order of the walk.
 */
public sealed interface Step permits Task, Block {
    /** The tasks of a tree in play order, rescue and always parts included. */
    static List<Task> tasks(List<Step> steps) {
        List<Task> out = new ArrayList<>();
        for (Step s : steps) {
            if (s instanceof Task t) {
                out.add(t);
            } else if (s instanceof Block b) {
                out.addAll(tasks(b.block()));
                out.addAll(tasks(b.rescue()));
                out.addAll(tasks(b.always()));
            }
        }
        return out;
    }
}

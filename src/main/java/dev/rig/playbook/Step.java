package dev.rig.playbook;

import java.util.ArrayList;
import java.util.List;

/**
 * One node of a play's task tree: a task, a block of steps with its rescue and always parts, or a
 * dynamic include of a task file ({@link Include}).
 * Keywords a block passes down (when, become, tags, vars, ignore_errors) are already in each of its
 * tasks; the tree keeps only what decides the order of the walk.
 */
public sealed interface Step permits Task, Block, Include {
    /** The tasks of a tree in play order, rescue and always parts and included files' tasks included (not the includes themselves). */
    static List<Task> tasks(List<Step> steps) {
        List<Task> out = new ArrayList<>();
        for (Step s : steps) {
            if (s instanceof Task t) {
                out.add(t);
            } else if (s instanceof Block b) {
                out.addAll(tasks(b.block()));
                out.addAll(tasks(b.rescue()));
                out.addAll(tasks(b.always()));
            } else if (s instanceof Include i) {
                out.addAll(tasks(i.steps()));
            }
        }
        return out;
    }

    /** The include_tasks of a tree, nested ones included. */
    static List<Task> includes(List<Step> steps) {
        List<Task> out = new ArrayList<>();
        for (Step s : steps) {
            if (s instanceof Block b) {
                out.addAll(includes(b.block()));
                out.addAll(includes(b.rescue()));
                out.addAll(includes(b.always()));
            } else if (s instanceof Include i) {
                out.add(i.task());
                out.addAll(includes(i.steps()));
            }
        }
        return out;
    }
}

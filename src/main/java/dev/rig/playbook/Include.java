package dev.rig.playbook;

import java.util.List;

/**
 * Ansible's {@code include_tasks}, a dynamic include: rig reads and checks the file at load, and
 * walks its steps per host at run time, only when the include's own {@code when} holds and once per
 * item of its {@code loop}. {@code task} holds the include's keywords (module "include_tasks",
 * argument {@code file}); as in Ansible they are the include's only: its tags select the include
 * itself, and its tasks keep their own (those of the blocks, role and play around the include).
 */
public record Include(Task task, List<Step> steps) implements Step {}

package dev.rig.playbook;

import java.util.Collections;
import java.util.Set;

/**
 * Ansible's rule for which tasks run under {@code --tags} / {@code --skip-tags} (Taggable.evaluate_tags
 * in Ansible 2.14): no {@code --tags} means {@code all}; {@code always} runs unless skipped by name;
 * {@code never} runs only when one of its tags is asked for by name; {@code tagged} and
 * {@code untagged} select by whether a task has tags at all.
 */
public record TagSelection(Set<String> only, Set<String> skip) {
    private static final Set<String> UNTAGGED = Set.of("untagged");

    public TagSelection {
        only = only == null || only.isEmpty() ? Set.of("all") : Set.copyOf(only);
        skip = skip == null ? Set.of() : Set.copyOf(skip);
    }

    public boolean selects(Set<String> taskTags) {
        Set<String> tags = taskTags.isEmpty() ? UNTAGGED : taskTags;
        boolean run;
        if (tags.contains("always")) run = true;
        else if (only.contains("all") && !tags.contains("never")) run = true;
        else if (!Collections.disjoint(tags, only)) run = true;
        else run = only.contains("tagged") && !taskTags.isEmpty() && !tags.contains("never");
        if (run && !skip.isEmpty()) {
            if (skip.contains("all")) {
                if (!tags.contains("always") || skip.contains("always")) run = false;
            } else if (!Collections.disjoint(tags, skip)) {
                run = false;
            } else if (skip.contains("tagged") && !taskTags.isEmpty()) {
                run = false;
            }
        }
        return run;
    }
}

package dev.rig.playbook;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ansible's Taggable.evaluate_tags, case by case. */
class TagSelectionTest {
    private static boolean runs(Set<String> only, Set<String> skip, String... taskTags) {
        return new TagSelection(only, skip).selects(Set.of(taskTags));
    }

    @Test
    void withoutTagsEverythingButNeverRuns() {
        assertTrue(runs(Set.of(), Set.of()));
        assertTrue(runs(Set.of(), Set.of(), "web"));
        assertTrue(runs(Set.of(), Set.of(), "always"));
        assertFalse(runs(Set.of(), Set.of(), "never"));
        assertFalse(runs(Set.of(), Set.of(), "never", "reset"));
        assertFalse(runs(Set.of("all"), Set.of(), "never"));
    }

    @Test
    void askedTagsSelectNeverByItsOtherTagsAndAlwaysAlways() {
        assertTrue(runs(Set.of("reset"), Set.of(), "never", "reset"));
        assertTrue(runs(Set.of("never"), Set.of(), "never"));
        assertFalse(runs(Set.of("web"), Set.of(), "never", "reset"));
        assertTrue(runs(Set.of("web"), Set.of(), "always"));
        assertFalse(runs(Set.of("web"), Set.of()));
        assertTrue(runs(Set.of("untagged"), Set.of()));
        assertFalse(runs(Set.of("untagged"), Set.of(), "web"));
        assertTrue(runs(Set.of("tagged"), Set.of(), "web"));
        assertFalse(runs(Set.of("tagged"), Set.of(), "never", "web"));
        assertFalse(runs(Set.of("tagged"), Set.of()));
    }

    @Test
    void skippedTags() {
        assertFalse(runs(Set.of(), Set.of("web"), "web"));
        assertFalse(runs(Set.of(), Set.of("always"), "always"));
        assertTrue(runs(Set.of(), Set.of("all"), "always"));
        assertFalse(runs(Set.of(), Set.of("all")));
        assertFalse(runs(Set.of(), Set.of("all", "always"), "always"));
        assertFalse(runs(Set.of(), Set.of("tagged"), "web"));
        assertTrue(runs(Set.of(), Set.of("tagged")));
        assertFalse(runs(Set.of("reset"), Set.of("reset"), "never", "reset"));
    }
}

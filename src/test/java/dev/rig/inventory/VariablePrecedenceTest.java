package dev.rig.inventory;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The chain written in {@link InventoryLoader}, one step per test. Fixture "precedence" sets each
 * variable one level higher than the last, on host h1.
 */
class VariablePrecedenceTest {
    private final Inventory inventory = Fixtures.load("precedence");
    private final Map<String, Object> vars = Fixtures.host(inventory, "h1").vars();

    @Test
    void allAloneApplies() {
        assertEquals("all", vars.get("set_in_all"));
    }

    @Test
    void parentBeatsAll() {
        assertEquals("parent", vars.get("set_up_to_parent"));
    }

    @Test
    void childBeatsParent() {
        assertEquals("child", vars.get("set_up_to_child"));
    }

    @Test
    void hostInlineBeatsGroups() {
        assertEquals("host-inline", vars.get("set_up_to_host"));
    }

    @Test
    void hostVarsFileBeatsHostInline() {
        assertEquals("host-vars-file", vars.get("set_up_to_host_vars"));
    }

    @Test
    void groupVarsFileBeatsTheSameGroupsInlineVars() {
        assertEquals("child-file", vars.get("child_inline_vs_child_file"));
        assertEquals("child-file", inventory.groups().get("child").vars().get("child_inline_vs_child_file"));
    }

    @Test
    void everyGroupVarsFileBeatsEveryInlineGroupVar() {
        // Ansible: groups_inventory (inline, any depth) comes before all_plugins_inventory (group_vars/all)
        assertEquals("all-file", vars.get("parent_inline_vs_all_file"));
    }

    @Test
    void sameDepthTieGoesToTheLaterNameAlphabetically() {
        assertEquals(1, inventory.groups().get("alpha").depth());
        assertEquals(1, inventory.groups().get("beta").depth());
        assertEquals("beta", vars.get("tie"));
    }

    @Test
    void depthIsTheLongestPathSoADeepGroupAlsoUnderAllWins() {
        assertEquals(3, inventory.groups().get("deep").depth());
        assertEquals("deep", vars.get("depth_wins"));
    }

    @Test
    void mapsAreReplacedNotMerged() {
        assertEquals(Map.of("shared", "child"), vars.get("settings"));
    }

    @Test
    void hostListedTwiceGetsTheLaterInlineValue() {
        assertEquals("second", vars.get("listed_twice"));
    }

    @Test
    void magicVariablesCannotBeOverridden() {
        assertEquals("h1", vars.get("inventory_hostname"));
        assertEquals(List.of("alpha", "beta", "child", "deep", "parent", "second_listing"), vars.get("group_names"));
    }

    @Test
    void groupsAreMergedByDepthThenName() {
        assertEquals(List.of("all", "alpha", "beta", "parent", "second_listing", "child", "deep"), Fixtures.host(inventory, "h1").groups());
    }
}

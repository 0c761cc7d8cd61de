package dev.rig.inventory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.rig.inventory.Fixtures.host;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InventoryStructureTest {
    private final Inventory inventory = Fixtures.load("structure");

    @Test
    void hostsAreListedOnceInFirstDefinitionOrder() {
        assertEquals(List.of("bastion", "web1", "web2", "db1", "mon1"), inventory.hosts().stream().map(Host::name).toList());
    }

    @Test
    void groupsIncludeAllAndUngroupedFirstThenDefinitionOrder() {
        assertEquals(List.of("all", "ungrouped", "web", "db", "prod", "monitoring"), List.copyOf(inventory.groups().keySet()));
    }

    @Test
    void groupsListTheirDirectHostsAndChildren() {
        Group web = inventory.groups().get("web");
        assertEquals(List.of("web1", "web2"), web.hosts());
        assertEquals(List.of(), web.children());
        Group prod = inventory.groups().get("prod");
        assertEquals(List.of(), prod.hosts());
        assertEquals(List.of("web", "db"), prod.children());
        assertEquals(List.of("bastion"), inventory.groups().get("all").hosts());
    }

    @Test
    void allHasEveryParentlessGroupAsChildIncludingTopLevelOnes() {
        assertEquals(List.of("ungrouped", "web", "db", "prod", "monitoring"), inventory.groups().get("all").children());
    }

    @Test
    void hostsInNoGroupButAllAreUngrouped() {
        assertEquals(List.of("bastion"), inventory.groups().get("ungrouped").hosts());
        assertEquals(List.of("all", "ungrouped"), host(inventory, "bastion").groups());
    }

    @Test
    void depthIsTheLongestPathFromAll() {
        Map<String, Group> groups = inventory.groups();
        assertEquals(0, groups.get("all").depth());
        assertEquals(1, groups.get("ungrouped").depth());
        assertEquals(1, groups.get("prod").depth());
        assertEquals(1, groups.get("monitoring").depth());
        assertEquals(2, groups.get("web").depth(), "web is under all and under prod");
        assertEquals(2, groups.get("db").depth());
    }

    @Test
    void hostGroupsIncludeGroupsThroughChildrenSortedByDepthThenName() {
        assertEquals(List.of("all", "prod", "db", "web"), host(inventory, "web1").groups());
        assertEquals(List.of("all", "monitoring", "prod", "web"), host(inventory, "web2").groups());
    }

    @Test
    void groupDefinedInTwoPlacesGetsVarsFromBoth() {
        assertEquals(Map.of("http_port", 80, "tls", true), inventory.groups().get("web").vars());
    }

    @Test
    void hostVarsAndGroupVarsAreMerged() {
        Map<String, Object> vars = host(inventory, "web1").vars();
        assertEquals("10.0.0.11", vars.get("ansible_host"));
        assertEquals("ntp.example.com", vars.get("ntp_server"));
        assertEquals(80, vars.get("http_port"));
        assertEquals(true, vars.get("tls"));
        assertFalse(host(inventory, "db1").vars().containsKey("http_port"));
    }

    @Test
    void magicVariablesAreSet() {
        Map<String, Object> vars = host(inventory, "web1").vars();
        assertEquals("web1", vars.get("inventory_hostname"));
        assertEquals(List.of("db", "prod", "web"), vars.get("group_names"));
        assertEquals(List.of(), host(inventory, "bastion").vars().get("group_names"));
    }

    @Test
    void hostLookupByName() {
        assertTrue(inventory.host("mon1").isPresent());
        assertTrue(inventory.host("nope").isEmpty());
    }

    @Test
    void emptyHostsFileGivesAnInventoryWithOnlyAllAndUngrouped(@TempDir Path dir) {
        Inventory empty = InventoryLoader.load(Fixtures.write(dir, "hosts.yml", "# nothing yet\n"));
        assertEquals(List.of(), empty.hosts());
        assertEquals(List.of("all", "ungrouped"), List.copyOf(empty.groups().keySet()));
    }

    @Test
    void varsAreUnmodifiableAllTheWayDown(@TempDir Path dir) {
        Inventory loaded = InventoryLoader.load(Fixtures.write(dir, "hosts.yml", """
                all:
                  vars:
                    ports: [80, 443]
                  hosts:
                    h1:
                """));
        Map<String, Object> vars = host(loaded, "h1").vars();
        assertThrows(UnsupportedOperationException.class, () -> vars.put("x", 1));
        @SuppressWarnings("unchecked")
        List<Object> ports = (List<Object>) vars.get("ports");
        assertThrows(UnsupportedOperationException.class, () -> ports.add(8080));
    }
}

package dev.rig.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ansible-inventory's --list, --graph and --host views, fixture "views". */
class InventoryViewsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Inventory inventory = Fixtures.load("views");

    private static JsonNode parse(String json) throws Exception {
        return JSON.readTree(json);
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void listHasMetaHostvarsThenEveryNonEmptyGroup() throws Exception {
        JsonNode list = parse(inventory.toListJson());
        assertEquals(List.of("_meta", "all", "ungrouped", "web", "prod", "db"), fieldNames(list), "the empty group is left out");
        assertEquals(List.of("loose", "web2", "web1", "db1"), fieldNames(list.at("/_meta/hostvars")));
    }

    @Test
    void listHostvarsAreTheMergedVarsWithoutMagicVariables() throws Exception {
        JsonNode web2 = parse(inventory.toListJson()).at("/_meta/hostvars/web2");
        assertEquals(JSON.valueToTree(Map.of("domain", "example.com", "http_port", 80, "weight", 2)), web2);
    }

    @Test
    void listGroupsHaveDirectHostsChildrenAndOwnVars() throws Exception {
        JsonNode list = parse(inventory.toListJson());
        assertEquals(parse("""
                {"children": ["ungrouped", "web", "prod", "empty"], "vars": {"domain": "example.com"}}"""), list.get("all"));
        assertEquals(parse("""
                {"hosts": ["loose"]}"""), list.get("ungrouped"));
        assertEquals(parse("""
                {"hosts": ["web2", "web1"], "vars": {"http_port": 80}}"""), list.get("web"));
        assertEquals(parse("""
                {"children": ["web", "db"]}"""), list.get("prod"));
        assertEquals(parse("""
                {"hosts": ["db1"]}"""), list.get("db"));
    }

    @Test
    void listLeavesOutHostsWithoutVariables(@TempDir Path dir) throws Exception {
        Inventory bare = InventoryLoader.load(Fixtures.write(dir, "hosts.yml", "all:\n  hosts:\n    h1:\n"));
        JsonNode list = parse(bare.toListJson());
        assertEquals(0, list.at("/_meta/hostvars").size());
        assertEquals(parse("""
                {"hosts": ["h1"]}"""), list.get("ungrouped"));
    }

    @Test
    void graphShowsChildGroupsThenHostsSortedByName() {
        assertEquals("""
                @all:
                  |--@empty:
                  |--@prod:
                  |  |--@db:
                  |  |  |--db1
                  |  |--@web:
                  |  |  |--web1
                  |  |  |--web2
                  |--@ungrouped:
                  |  |--loose
                  |--@web:
                  |  |--web1
                  |  |--web2
                """, inventory.toGraph());
    }

    @Test
    void graphOfAnEmptyInventory(@TempDir Path dir) {
        Inventory empty = InventoryLoader.load(Fixtures.write(dir, "hosts.yml", ""));
        assertEquals("@all:\n  |--@ungrouped:\n", empty.toGraph());
    }

    @Test
    void hostJsonIsTheMergedVarsWithoutMagicVariables() throws Exception {
        JsonNode web2 = parse(inventory.hostJson("web2"));
        assertEquals(List.of("domain", "http_port", "weight"), fieldNames(web2), "in precedence order");
        assertEquals(80, web2.get("http_port").asInt());
        assertFalse(web2.has("inventory_hostname"));
        assertFalse(web2.has("group_names"));
    }

    @Test
    void hostJsonKeepsYamlTypes(@TempDir Path dir) throws Exception {
        Inventory typed = InventoryLoader.load(Fixtures.write(dir, "hosts.yml", """
                all:
                  hosts:
                    h1:
                      enabled: yes
                      ratio: 0.5
                      nothing:
                      quoted: "8080"
                      list: [1, two]
                      nested: {a: {b: c}}
                      since: 2024-01-31
                """));
        assertEquals(parse("""
                {"enabled": true, "ratio": 0.5, "nothing": null, "quoted": "8080", "list": [1, "two"],
                 "nested": {"a": {"b": "c"}}, "since": "2024-01-31T00:00:00.000+00:00"}"""), parse(typed.hostJson("h1")));
    }

    @Test
    void hostJsonOfAnUnknownHost() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> inventory.hostJson("nope"));
        assertEquals("no host named 'nope' in the inventory", e.getMessage());
    }
}

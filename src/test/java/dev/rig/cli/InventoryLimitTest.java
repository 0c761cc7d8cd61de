package dev.rig.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.testkit.Rig;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rig inventory -l: applied to --list (JSON, --yaml, --export) and --graph; refused with --host, which names its host. */
class InventoryLimitTest {
    @TempDir Path dir;
    Path hosts;

    @BeforeEach
    void inventory() throws Exception {
        hosts = Files.writeString(dir.resolve("hosts"), """
                [web]
                w1 port=81
                w2 port=82
                [db]
                d1 port=5432
                [prod:children]
                web
                [prod:vars]
                tier=prod
                """);
    }

    private Rig inventory(String... more) {
        List<String> args = new ArrayList<>(List.of("inventory", "-i", hosts.toString()));
        args.addAll(List.of(more));
        return Rig.run(args);
    }

    @Test
    void listShowsOnlyTheSelectedHostsInJsonYamlAndExport() throws Exception {
        Rig list = inventory("--list", "-l", "web:!w2");
        assertEquals(0, list.exit(), list.toString());
        JsonNode json = new ObjectMapper().readTree(list.out());
        assertEquals(List.of("w1"), names(json.path("_meta").path("hostvars")));
        assertEquals("[\"w1\"]", json.path("web").path("hosts").toString());
        assertTrue(json.path("db").path("hosts").isMissingNode(), list.out());
        assertEquals("prod", json.at("/_meta/hostvars/w1/tier").asText(), "merged: the group's variable is the host's");

        Rig yaml = inventory("--list", "--yaml", "-l", "d1");
        assertEquals(0, yaml.exit(), yaml.toString());
        Map<?, ?> tree = new Yaml().load(yaml.out());
        Map<?, ?> children = (Map<?, ?>) ((Map<?, ?>) tree.get("all")).get("children");
        assertEquals(Map.of("hosts", Map.of("d1", Map.of("port", 5432))), children.get("db"), yaml.out());
        assertFalse(yaml.out().contains("w1"), yaml.out());

        Rig export = inventory("--list", "--export", "-l", "w2");
        assertEquals(0, export.exit(), export.toString());
        JsonNode exported = new ObjectMapper().readTree(export.out());
        assertEquals(List.of("w2"), names(exported.path("_meta").path("hostvars")));
        assertTrue(exported.at("/_meta/hostvars/w2/tier").isMissingNode(), "export: each level's own variables only");
        assertEquals("prod", exported.at("/prod/vars/tier").asText(), export.out());
    }

    @Test
    void graphShowsTheSelectedHostsAndTheGroupsAboveThem() {
        Rig graph = inventory("--graph", "-l", "w2");
        assertEquals(0, graph.exit(), graph.toString());
        assertEquals("""
                @all:
                  |--@prod:
                  |  |--@web:
                  |  |  |--w2
                """, graph.out());
    }

    @Test
    void hostRefusesALimit() {
        Rig host = inventory("--host", "w1", "-l", "web");
        assertEquals(1, host.exit());
        assertTrue(host.err().contains("-l does not apply to --host"), host.toString());
    }

    private static List<String> names(JsonNode object) {
        List<String> out = new ArrayList<>();
        object.fieldNames().forEachRemaining(out::add);
        return out;
    }
}

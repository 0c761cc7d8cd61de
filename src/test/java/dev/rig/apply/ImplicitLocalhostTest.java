package dev.rig.apply;

import dev.rig.inventory.Host;
import dev.rig.inventory.Inventory;
import dev.rig.inventory.InventoryLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Ansible's implicit localhost: group all's variables, left out by a --limit that does not name it. */
class ImplicitLocalhostTest {
    @Test
    void takesGroupAllsVariablesAndFollowsTheLimit(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("group_vars"));
        Files.writeString(dir.resolve("hosts.yml"), "all:\n  children:\n    central:\n      hosts:\n        c1:\n");
        Files.writeString(dir.resolve("group_vars/all.yml"), "operator_cidrs: [\"203.0.113.7/32\"]\nansible_connection: ssh\n");
        Inventory inventory = InventoryLoader.load(dir);

        Host local = Engine.hostsFor(inventory, "localhost", null).get(0);
        assertEquals(List.of("203.0.113.7/32"), local.vars().get("operator_cidrs"));
        assertEquals("local", local.vars().get("ansible_connection"), "still runs on the operator's machine");

        assertEquals(List.of(), Engine.hostsFor(inventory, "localhost", "central"));
        assertEquals(List.of("localhost"), Engine.hostsFor(inventory, "localhost", "central,localhost").stream().map(Host::name).toList());
        assertEquals(List.of("c1"), Engine.hostsFor(inventory, "central", "central,localhost").stream().map(Host::name).toList());
    }
}

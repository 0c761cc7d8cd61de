package dev.rig.inventory;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.rig.inventory.Fixtures.host;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** group_vars/ and host_vars/ beside the hosts file (fixture: vars-files, which uses hosts.yaml). */
class VarsFilesTest {
    private final Inventory inventory = Fixtures.load("vars-files");

    @Test
    void groupVarsFileForAll() {
        assertEquals("example.com", inventory.groups().get("all").vars().get("domain"));
        assertEquals("example.com", host(inventory, "web2").vars().get("domain"));
    }

    @Test
    void groupVarsDirectoryMergesYamlFilesInLexicalOrder() {
        assertEquals(80, inventory.groups().get("web").vars().get("listen"));
        assertEquals(8, inventory.groups().get("web").vars().get("workers"), "20-override.yaml comes after 10-base.yml");
    }

    @Test
    void groupVarsDirectorySkipsOtherExtensionsAndHiddenFiles() {
        // 30-ignored.txt and .hidden.yml both set workers: 999
        assertEquals(8, host(inventory, "web1").vars().get("workers"));
    }

    @Test
    void groupVarsDirectoryIsReadRecursively() {
        assertEquals("deeper/b", inventory.groups().get("nested").vars().get("source"));
    }

    @Test
    void groupVarsFileWithoutExtension() {
        assertEquals(true, inventory.groups().get("noext").vars().get("written_without_extension"));
    }

    @Test
    void ymlIsPreferredOverYamlAsAnsibleDoes() {
        assertEquals("yml", inventory.groups().get("preferred").vars().get("picked"));
    }

    @Test
    void hostVarsFileAndDirectory() {
        assertEquals("web1", host(inventory, "web1").vars().get("from_host_vars"));
        assertEquals("web2", host(inventory, "web2").vars().get("from_host_vars"));
    }

    @Test
    void filesForUnknownGroupsAndHostsAreIgnored() {
        assertEquals(List.of("all", "ungrouped", "web", "nested", "noext", "preferred"), List.copyOf(inventory.groups().keySet()));
        assertEquals(List.of("web1", "web2"), inventory.hosts().stream().map(Host::name).toList());
        assertFalse(host(inventory, "web1").vars().containsKey("this_group"));
        assertFalse(host(inventory, "web1").vars().containsKey("this_host"));
    }

    @Test
    void hostsFileGivenByPathReadsGroupVarsBesideIt() {
        Inventory fileMode = InventoryLoader.load(Fixtures.path("file-mode/inventory.yaml"));
        assertEquals(true, host(fileMode, "web01").vars().get("from_group_vars_file"));
    }
}

package dev.rig.inventory;

import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.rig.inventory.Fixtures.host;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HostRangeTest {
    @Test
    void zeroPaddedNumericRange() {
        assertEquals(List.of("web01", "web02", "web03"), HostRange.expand("web[01:03]"));
    }

    @Test
    void unpaddedRangeWithStep() {
        assertEquals(List.of("n1", "n3", "n5"), HostRange.expand("n[1:5:2]"));
        assertEquals(List.of("n8", "n9", "n10"), HostRange.expand("n[8:10]"));
    }

    @Test
    void letterRangeInTheMiddleOfAName() {
        assertEquals(List.of("db-a-node", "db-b-node"), HostRange.expand("db-[a:b]-node"));
    }

    @Test
    void severalRanges() {
        assertEquals(List.of("r1a", "r1b", "r2a", "r2b"), HostRange.expand("r[1:2][a:b]"));
    }

    @Test
    void nameWithoutRangeIsItself() {
        assertEquals(List.of("10.0.0.1"), HostRange.expand("10.0.0.1"));
    }

    @Test
    void malformedRangesAreRejected() {
        for (String bad : List.of("web[1:]", "web[3:1]", "web[01:3]", "web[1:2", "web]", "web[x:3]", "web[1:2:0]", "web[0:99999]")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> HostRange.expand(bad), bad);
            assertTrue(e.getMessage().startsWith("invalid host range in '" + bad + "'"), e.getMessage());
        }
    }

    @Test
    void rangesInAHostsFileEachGetTheVars() {
        Inventory inventory = Fixtures.load("file-mode/inventory.yaml");
        assertEquals(List.of("solo", "web01", "web02", "web03", "db-a-node", "db-b-node", "odd1", "odd3", "odd5", "app1"),
                inventory.hosts().stream().map(Host::name).toList());
        assertEquals(inventory.groups().get("ranged").hosts(), inventory.hosts().subList(1, 10).stream().map(Host::name).toList());
    }

    @Test
    void hostNameWithPortSetsAnsiblePort() {
        Host app = host(Fixtures.load("file-mode/inventory.yaml"), "app1");
        assertEquals(2222, app.port());
        assertEquals("app", app.vars().get("tier"));
    }
}

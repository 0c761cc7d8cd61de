package dev.rig.inventory;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connection variable getters on {@link Host}, fixture "connection". */
class HostConnectionTest {
    private final Inventory inventory = Fixtures.load("connection");

    private Host host(String name) {
        return Fixtures.host(inventory, name);
    }

    @Test
    void defaultsWhenNothingIsSet() {
        Host host = host("defaults");
        assertEquals("defaults", host.address());
        assertEquals(22, host.port());
        assertEquals(Optional.empty(), host.user());
        assertEquals(Optional.empty(), host.privateKeyFile());
        assertFalse(host.become());
        assertEquals("root", host.becomeUser());
        assertEquals(Optional.empty(), host.becomePassword());
    }

    @Test
    void everyVariableSet() {
        Host host = host("full");
        assertEquals("192.0.2.10", host.address());
        assertEquals(2222, host.port());
        assertEquals(Optional.of("deploy"), host.user());
        assertEquals(Optional.of("~/.ssh/deploy_ed25519"), host.privateKeyFile());
        assertTrue(host.become());
        assertEquals("postgres", host.becomeUser());
        assertEquals(Optional.of("s3cret"), host.becomePassword());
    }

    @Test
    void alternateNamesAndStringValues() {
        Host host = host("alternate_names");
        assertEquals(Optional.of("legacy"), host.user());
        assertEquals(Optional.of("keys/legacy"), host.privateKeyFile());
        assertEquals(Optional.of("1234"), host.becomePassword(), "YAML made the password a number");
        assertEquals(2200, host.port(), "a numeric string");
        assertTrue(host.become(), "the string \"yes\"");
    }

    @Test
    void olderSshAliasesForAddressAndPort() {
        Host host = host("ssh_aliases");
        assertEquals("192.0.2.20", host.address());
        assertEquals(2022, host.port());
    }

    @Test
    void ansibleNamesWinOverAlternates() {
        Host host = host("preferred_names");
        assertEquals("new.example.com", host.address());
        assertEquals(2201, host.port());
        assertEquals(Optional.of("new"), host.user());
        assertEquals(Optional.of("new.key"), host.privateKeyFile());
        assertEquals(Optional.of("new"), host.becomePassword());
    }

    @Test
    void becomeAcceptsAnsibleBooleanWords() {
        assertTrue(host("become_words").become());
        assertFalse(host("not_become").become());
    }

    @Test
    void hostBuiltByHandWithABadPortFailsOnRead() {
        Host host = new Host("h", Map.of("ansible_port", "ssh"), List.of("all"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, host::port);
        assertEquals("ansible_port must be a port number from 1 to 65535, found 'ssh'", e.getMessage());
    }
}

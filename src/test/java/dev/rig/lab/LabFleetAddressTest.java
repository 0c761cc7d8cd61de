package dev.rig.lab;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Where the hosts of a large fleet listen: on from the first address, /24 after /24, never .0 or .255. */
class LabFleetAddressTest {
    @Test
    void aThousandHostsSpanFourNetworksAndSkipTheirZeroAndBroadcastAddresses() {
        assertEquals("127.0.10.1", LabFleet.address("127.0.10", 1, 0));
        assertEquals("127.0.10.254", LabFleet.address("127.0.10", 1, 253));
        assertEquals("127.0.11.1", LabFleet.address("127.0.10", 1, 254));
        assertEquals("127.0.11.254", LabFleet.address("127.0.10", 1, 507));
        assertEquals("127.0.12.1", LabFleet.address("127.0.10", 1, 508));
        assertEquals("127.0.13.238", LabFleet.address("127.0.10", 1, 999));
        assertEquals("127.0.0.149", LabFleet.address("127.0.0", 100, 49));
    }
}

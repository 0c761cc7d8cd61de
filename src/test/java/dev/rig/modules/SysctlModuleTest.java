package dev.rig.modules;

import dev.rig.plan.Action;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.rig.modules.ModuleTests.args;
import static dev.rig.modules.ModuleTests.ctx;
import static dev.rig.modules.ModuleTests.descriptions;
import static dev.rig.modules.ModuleTests.fixture;
import static dev.rig.modules.ModuleTests.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** sysctl: the file line and the live value, from probe fixtures. */
class SysctlModuleTest {
    private final SysctlModule module = new SysctlModule();

    private Outcome plan(String fixture, Object... args) {
        return module.plan(args(args), fixture("sysctl", fixture), ctx());
    }

    @Test
    void aChangedLineIsReplacedInPlaceAndTheFileLoaded() {
        Outcome o = plan("forward-off", "name", "net.ipv4.ip_forward", "value", "1", "sysctl_file", "/etc/sysctl.d/99-rig.conf");
        assertEquals(List.of("write /etc/sysctl.d/99-rig.conf (49 bytes)", "sysctl -p /etc/sysctl.d/99-rig.conf"), descriptions(o));
        assertEquals("# routing\nnet.ipv4.ip_forward=1\nvm.swappiness=10\n", utf8(o.change().commands().get(0).stdin()));
        assertEquals(Action.UPDATE, o.change().action());
    }

    @Test
    void aRightFileWithADriftedLiveValueSetsOnlyTheLiveValue() {
        Outcome o = plan("forward-on-file-live-off", "name", "net.ipv4.ip_forward", "value", 1);
        assertEquals(List.of("sysctl -w net.ipv4.ip_forward=1"), descriptions(o));
        assertTrue(o.message().contains("(live value was 0)"), o.message());
        assertFalse(plan("forward-on-file-live-off", "name", "net.ipv4.ip_forward", "value", 1, "reload", false).change().changes(),
                "without reload or sysctl_set the live value is left alone, as Ansible does");
    }

    @Test
    void convergedIsOkAndValuesCompareByWords() {
        assertFalse(plan("forward-on", "name", "net.ipv4.ip_forward", "value", "1").change().changes());
        assertFalse(plan("rmem-tabs", "name", "net.core.rmem", "value", "4096   87380").change().changes());
    }

    @Test
    void absentRemovesTheLineAndAnUnknownKeyFails() {
        Outcome o = plan("forward-off", "name", "vm.swappiness", "state", "absent", "reload", false);
        assertEquals("# routing\nnet.ipv4.ip_forward = 0\n", utf8(o.change().commands().get(0).stdin()));
        Outcome unknown = plan("unknown-key", "name", "net.nope", "value", "1");
        assertTrue(unknown.failed());
        assertEquals("the kernel has no parameter net.nope: sysctl: cannot stat /proc/sys/net/nope: No such file or directory", unknown.message());
    }
}

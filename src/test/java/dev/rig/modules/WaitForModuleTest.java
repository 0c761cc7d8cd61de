package dev.rig.modules;

import dev.rig.plan.Action;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.rig.modules.ModuleTests.Ran;
import static dev.rig.modules.ModuleTests.args;
import static dev.rig.modules.ModuleTests.ctx;
import static dev.rig.modules.ModuleTests.descriptions;
import static dev.rig.modules.ModuleTests.onlyScript;
import static dev.rig.modules.ModuleTests.planLocally;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Tag("integration")
class WaitForModuleTest {
    private final WaitForModule module = new WaitForModule();

    @Test
    void probeLooksForAListenSocketByHexPort() {
        String probe = module.probe(args("port", 8080), ctx()).script();
        assertTrue(probe.contains("grep -Eqs '^ *[0-9]+: [0-9A-F]+:1F90 [0-9A-F]+:[0-9A-F]+ 0A ' /proc/net/tcp /proc/net/tcp6"), probe);
    }

    @Test
    void aListeningPortIsOk() {
        Outcome o = module.plan(args("port", 8080), "present=yes\n", ctx());
        assertFalse(o.change().changes());
        assertEquals("port 8080 on 127.0.0.1 is listening", o.message());
    }

    @Test
    void aClosedPortBecomesABoundedPollingLoop() {
        Outcome o = module.plan(args("port", 5432, "host", "db", "timeout", 60, "delay", 2, "sleep", 3), "present=no\n", ctx());
        assertEquals(Action.UPDATE, o.change().action(), "an unmet condition is state that differs, not a blind run");
        assertEquals(List.of("wait up to 60 s for port 5432 on db to be listening"), descriptions(o));
        String script = onlyScript(o);
        assertTrue(script.contains(":1538 "), "5432 is 0x1538: " + script);
        assertTrue(script.contains("until present; do"), script);
        assertTrue(script.contains("sleep 2\n"), script);
        assertTrue(script.contains("  sleep 3\n"), script);
        assertTrue(script.contains("'timed out after 60 s waiting for port 5432 on db to be listening' >&2; exit 1"), script);
        assertEquals(Map.of("port", 5432L, "host", "db", "state", "started"), o.result());
    }

    @Test
    void stoppedWaitsWhileTheConditionHolds() {
        assertFalse(module.plan(args("port", 80, "state", "stopped"), "present=no\n", ctx()).change().changes());
        assertTrue(onlyScript(module.plan(args("port", 80, "state", "stopped"), "present=yes\n", ctx())).contains("while present; do"));
    }

    @Test
    void pathPresentAndAbsent() {
        assertTrue(module.probe(args("path", "/run/app.sock"), ctx()).script().startsWith("if [ -e /run/app.sock ]; then"));
        assertEquals("/run/app.sock is present", module.plan(args("path", "/run/app.sock"), "present=yes\n", ctx()).message());
        assertFalse(module.plan(args("path", "/run/lock", "state", "absent"), "present=no\n", ctx()).change().changes());
        assertEquals(List.of("wait up to 300 s for /run/lock to be absent"),
                descriptions(module.plan(args("path", "/run/lock", "state", "absent"), "present=yes\n", ctx())));
    }

    @Test
    void badArguments() {
        assertEquals(List.of("give exactly one of 'port' or 'path'"), module.crossCheck(Map.of("port", 1, "path", "/x")));
        assertEquals(List.of("give exactly one of 'port' or 'path'"), module.crossCheck(Map.of("timeout", 1)));
        assertThrows(Args.ArgumentException.class, () -> module.probe(args("port", 70000), ctx()));
        assertThrows(Args.ArgumentException.class, () -> module.plan(args("path", "/x", "sleep", 0), "present=no\n", ctx()));
        assertTrue(module.plan(args("path", "/x", "state", "drained"), "present=no\n", ctx()).failed());
    }

    // --- for real, on this machine ----------------------------------------------------------

    @Test
    void seesAPortListeningHere(@TempDir Path dir) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Outcome o = planLocally(module, args("port", server.getLocalPort()), ctx(), dir);
            assertFalse(o.change().changes(), o::message);
        }
    }

    @Test
    void timesOutOnAClosedPort(@TempDir Path dir) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort(); // free again once closed
        }
        Outcome o = planLocally(module, args("port", port, "timeout", 1), ctx(), dir);
        Ran ran = ModuleTests.apply(o, dir);
        assertEquals(1, ran.rc());
        assertTrue(ran.stderr().contains("timed out after 1 s waiting for port " + port), ran.stderr());
    }

    @Test
    void pollsUntilAPathAppears(@TempDir Path dir) throws Exception {
        Path ready = dir.resolve("ready");
        Outcome o = planLocally(module, args("path", ready.toString(), "timeout", 20), ctx(), dir);
        assertTrue(o.change().changes());
        Thread creator = new Thread(() -> {
            try {
                Thread.sleep(300);
                Files.createFile(ready);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        creator.start();
        Ran ran = ModuleTests.apply(o, dir);
        creator.join();
        assertEquals(0, ran.rc(), ran.stderr());
        assertFalse(planLocally(module, args("path", ready.toString()), ctx(), dir).change().changes());
    }
}

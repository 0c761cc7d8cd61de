package dev.rig.apply;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The batched probe script, run for real by /bin/sh, and the parsing of its framed output. */
class ProbeBatchTest {
    static String sh(String script) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sh", "-c", script).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return out;
    }

    @Test
    void eachProbeGetsItsOwnOutputAndExitCodeEvenWhenOneExits() throws Exception {
        String script = ProbeBatch.script(List.of("echo one", "echo two; exit 3", "printf 'no newline'", "echo err >&2"), "n0nce");
        Map<Integer, ProbeBatch.Output> out = ProbeBatch.parse(sh(script), "n0nce");
        assertEquals(new ProbeBatch.Output("one", 0), out.get(0));
        assertEquals(new ProbeBatch.Output("two", 3), out.get(1), "exit in a probe ends only its subshell");
        assertEquals(new ProbeBatch.Output("no newline", 0), out.get(2));
        assertEquals(new ProbeBatch.Output("err", 0), out.get(3), "stderr is part of the probe's text");
    }

    @Test
    void fileContentCannotForgeAFrameWithoutTheNonce() throws Exception {
        String forged = "printf '@@rig:guess:end:0:0\\n@@rig:guess:begin:1\\nkind=absent\\n'";
        String script = ProbeBatch.script(List.of(forged, "echo kind=file"), "s3cret");
        Map<Integer, ProbeBatch.Output> out = ProbeBatch.parse(sh(script), "s3cret");
        assertTrue(out.get(0).text().contains("@@rig:guess:begin:1"));
        assertEquals("kind=file", out.get(1).text());
    }

    @Test
    void probesDoNotReadTheScriptFromStdin() throws Exception {
        // The batch may travel on stdin (sh -s); a probe reading stdin must not swallow the rest.
        String script = ProbeBatch.script(List.of("cat", "echo after"), "x1");
        Process p = new ProcessBuilder("sh", "-s").redirectErrorStream(true).start();
        p.getOutputStream().write(script.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertEquals("after", ProbeBatch.parse(out, "x1").get(1).text());
    }
}

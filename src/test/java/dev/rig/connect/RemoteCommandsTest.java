package dev.rig.connect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.rig.apply.RemoteCommands;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The command lines and stdin that become produces, as data: where the password may and may not go. */
class RemoteCommandsTest {
    private static final String PASSWORD = "s3cret-pw";
    private static final byte[] INPUT = "file content\n".getBytes(StandardCharsets.UTF_8);

    @Test
    void withoutBecomeTheScriptRunsInTheLoginShell() {
        RemoteCommands.Invocation run = RemoteCommands.script("echo hi", INPUT, null);
        assertEquals("sh -c 'echo hi'", run.command());
        assertArrayEquals(INPUT, run.stdin());
        assertNull(run.sudo());
    }

    @Test
    void becomeWithoutAPasswordNeverLetsSudoAsk() {
        RemoteCommands.Invocation run = RemoteCommands.script("id -u", null, new RemoteCommands.Become("postgres", null, "n1"));
        assertEquals("sudo -n -H -u postgres -- sh -c 'id -u'", run.command());
        assertNull(run.sudo());
    }

    @Test
    void thePasswordIsInNeitherTheCommandLineNorTheStdinButOnlyInTheAnswerToTheUniquePrompt() {
        RemoteCommands.Invocation run = RemoteCommands.script("cat > /etc/x", INPUT, new RemoteCommands.Become("root", PASSWORD, "n1"));
        assertEquals("sudo -S -p '[rig-sudo-n1] ' -H -u root -- sh -c 'echo rig-become-ready-n1 >&2\ncat > /etc/x'", run.command());
        assertArrayEquals(INPUT, run.stdin(), "stdin is the command's own, sent only after sudo let it run");
        assertEquals("[rig-sudo-n1] ", run.sudo().prompt());
        assertEquals("rig-become-ready-n1", run.sudo().readyMarker());
        assertEquals(PASSWORD, run.sudo().password());
        assertFalse(run.command().contains(PASSWORD));
    }

    @Test
    void scriptsTooLongForTheCommandLineTravelOnStdinAfterTheMarker() {
        String script = "#" + "x".repeat(70 * 1024);
        RemoteCommands.Invocation run = RemoteCommands.script(script, null, new RemoteCommands.Become("root", PASSWORD, "n1"));
        assertEquals("sudo -S -p '[rig-sudo-n1] ' -H -u root -- sh -c 'echo rig-become-ready-n1 >&2\nexec sh -s'", run.command());
        assertEquals(script, new String(run.stdin(), StandardCharsets.UTF_8));
    }

    @Test
    void printedValuesNeverShowThePassword() {
        RemoteCommands.Become become = new RemoteCommands.Become("root", PASSWORD, "n1");
        assertFalse(become.toString().contains(PASSWORD), become.toString());
        assertFalse(RemoteCommands.script("true", null, become).sudo().toString().contains(PASSWORD));
        assertFalse(RemoteCommands.script("true", null, become).toString().contains(PASSWORD));
    }

    @Test
    void sudosFailuresReadAsBecomeFailures() {
        RemoteCommands.Become become = new RemoteCommands.Become("root", PASSWORD, "n1");
        assertEquals("become root: sudo rejected the password (ansible_become_password)",
                RemoteCommands.explainFailure("[rig-sudo-n1] Sorry, try again.\n", become));
        assertEquals("become root: sudo needs a password; set ansible_become_password",
                RemoteCommands.explainFailure("sudo: a password is required\n", new RemoteCommands.Become("root", null, "n1")));
        assertEquals("deploy is not in the sudoers file.\n", RemoteCommands.explainFailure("deploy is not in the sudoers file.\n", become));
    }
}

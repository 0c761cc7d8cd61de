package dev.rig.ssh;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.testkit.LabHosts;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** exec() over one connection to a real sshd. */
@Tag("integration")
class ConnectionTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final LabHosts lab = LabHosts.named("ct1", "ct2");
    static SshTransport transport;
    static Connection connection;

    @BeforeAll
    static void connect() throws SshException {
        transport = new SshTransport(lab.fleet().knownHosts(), HostKeyPolicy.STRICT, List.of());
        connection = transport.connect(TestKeys.target(lab.fleet(), "ct1"));
    }

    @AfterAll
    static void close() {
        if (transport != null) transport.close();
    }

    @Test
    void execReturnsStdoutStderrAndExitCode() throws SshException {
        ExecResult result = connection.exec("echo out; echo err >&2; exit 3", null, TIMEOUT);
        assertEquals(3, result.exitCode());
        assertEquals("out\n", result.out());
        assertEquals("err\n", result.err());
        assertEquals("ct1", connection.name());
    }

    @Test
    void commandRunsThroughTheUsersShellOnTheHost() throws SshException {
        ExecResult result = connection.exec("cd /srv && echo $(hostname) \"$HOME\" | tr a-z A-Z", null, TIMEOUT);
        assertEquals("CT1 /ROOT\n", result.out());
    }

    @Test
    void binaryStdinOfOneMebibyteArrivesIntact() throws SshException {
        byte[] data = new byte[1 << 20];
        new Random(42).nextBytes(data);
        ExecResult result = connection.exec("cat > /srv/blob && cat /srv/blob", data, TIMEOUT);
        assertEquals(0, result.exitCode(), result.err());
        assertArrayEquals(data, result.stdout());
        assertEquals(Integer.toString(data.length), lab.fleet().exec("ct1", "stat -c %s /srv/blob").strip());
    }

    @Test
    void noStdinMeansEndOfInputAtOnce() throws SshException {
        ExecResult result = connection.exec("cat; echo done", null, TIMEOUT);
        assertEquals("done\n", result.out());
    }

    @Test
    void aCommandThatIgnoresItsStdinStillSucceeds() throws SshException {
        ExecResult result = connection.exec("true", new byte[4 << 20], TIMEOUT);
        assertEquals(0, result.exitCode());
    }

    @Test
    void twentyConcurrentExecsShareOneConnection() throws Exception {
        int before = connection.channelsOpened();
        ExecutorService pool = Executors.newFixedThreadPool(20);
        try {
            List<Future<ExecResult>> results = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                String command = "sleep 0.2; echo " + i;
                results.add(pool.submit(() -> connection.exec(command, null, TIMEOUT)));
            }
            for (int i = 0; i < 20; i++) {
                ExecResult result = results.get(i).get();
                assertEquals(0, result.exitCode(), result.err());
                assertEquals(i + "\n", result.out());
            }
        } finally {
            pool.shutdownNow();
        }
        // OpenSSH refuses an 11th session on a connection: all 20 succeeding means they were queued.
        assertEquals(before + 20, connection.channelsOpened());
    }

    @Test
    void aCommandOverrunningItsTimeoutIsCutOffAndTheConnectionLivesOn() throws SshException {
        long start = System.nanoTime();
        SshException failure = assertThrows(SshException.class,
                () -> connection.exec("sleep 30", null, Duration.ofMillis(300)));
        assertEquals(SshException.Kind.TIMEOUT, failure.kind());
        assertTrue(failure.getMessage().contains("`sleep 30` on ct1 (" + lab.address("ct1") + ":22) did not finish within 0.3 s"), failure.getMessage());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toMillis() < 2000);
        assertEquals("still here\n", connection.exec("echo still here", null, TIMEOUT).out());
    }

    @Test
    void aTimeoutAlsoCoversWritingStdinToACommandThatDoesNotRead() throws SshException {
        SshException failure = assertThrows(SshException.class,
                () -> connection.exec("sleep 30", new byte[16 << 20], Duration.ofMillis(500)));
        assertEquals(SshException.Kind.TIMEOUT, failure.kind());
    }

    @Test
    void deathBySignalReadsAsAShellWouldReportIt() throws SshException {
        assertEquals(143, connection.exec("kill -TERM $$", null, TIMEOUT).exitCode());
    }

    @Test
    void outputIsDecodedAsUtf8() throws SshException {
        ExecResult result = connection.exec("printf 'gr\\303\\274n'", null, TIMEOUT);
        assertEquals("grün", result.out());
        assertArrayEquals("grün".getBytes(StandardCharsets.UTF_8), result.stdout());
    }

    @Test
    void aLostConnectionIsUnreachable() throws Exception {
        Connection second = transport.connect(TestKeys.target(lab.fleet(), "ct2"));
        lab.fleet().stop("ct2");
        try {
            SshException failure = assertThrows(SshException.class, () -> second.exec("echo hi", null, TIMEOUT));
            assertEquals(SshException.Kind.UNREACHABLE, failure.kind(), failure.getMessage());
        } finally {
            second.close();
            lab.fleet().restart("ct2");
        }
    }
}

package dev.rig.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.testkit.LabHosts;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Logging in with each kind of key, failing to, and hosts that cannot be reached. */
@Tag("integration")
class AuthenticationTest {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    @RegisterExtension
    static final LabHosts lab = LabHosts.named("au1", "down");
    @TempDir
    static Path dir;
    static SshTransport transport;

    @BeforeAll
    static void connect() {
        transport = new SshTransport(lab.fleet().knownHosts(), HostKeyPolicy.STRICT, List.of());
    }

    @AfterAll
    static void disconnect() {
        if (transport != null) transport.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ed25519", "ecdsa", "rsa"})
    void logsInWithAKeyOfEachType(String type) throws Exception {
        Path key = TestKeys.generate(dir.resolve("id_" + type), type);
        lab.fleet().authorize(TestKeys.publicKey(key));
        SshTarget target = TestKeys.withIdentity(TestKeys.target(lab.fleet(), "au1"), Optional.of(key));
        try (Connection connection = transport.connect(target)) {
            assertEquals("root\n", connection.exec("whoami", null, TIMEOUT).out());
        }
        String fingerprint = TestKeys.fingerprint(TestKeys.publicKey(key));
        assertTrue(TestKeys.run("grep", "-c", "Accepted publickey for root .*" + fingerprint, lab.fleet().sshdLog("au1").toString())
                .strip().equals("1"), "sshd did not log the login with " + fingerprint);
    }

    @Test
    void defaultIdentitiesServeTargetsWithoutOne() throws Exception {
        Path missing = dir.resolve("no_such_key");
        try (SshTransport withDefaults = new SshTransport(lab.fleet().knownHosts(), HostKeyPolicy.STRICT, List.of(missing, lab.fleet().clientKey()));
             Connection connection = withDefaults.connect(TestKeys.withIdentity(TestKeys.target(lab.fleet(), "au1"), Optional.empty()))) {
            assertEquals("ok\n", connection.exec("echo ok", null, TIMEOUT).out());
        }
    }

    @Test
    void anUnauthorizedKeyFailsNamingTheKeyTried() throws Exception {
        Path stranger = TestKeys.generate(dir.resolve("stranger"), "ed25519");
        SshException failure = assertThrows(SshException.class,
                () -> transport.connect(TestKeys.withIdentity(TestKeys.target(lab.fleet(), "au1"), Optional.of(stranger))));
        assertEquals(SshException.Kind.AUTH_FAILED, failure.kind(), failure.getMessage());
        assertEquals("public-key authentication as root on au1 (" + lab.address("au1") + ":22) failed; tried " + stranger
                + " (ssh-ed25519 " + TestKeys.fingerprint(TestKeys.publicKey(stranger)) + ")", failure.getMessage());
    }

    @Test
    void noIdentityAtAllFailsSayingSo() {
        SshException failure = assertThrows(SshException.class,
                () -> transport.connect(TestKeys.withIdentity(TestKeys.target(lab.fleet(), "au1"), Optional.empty())));
        assertEquals(SshException.Kind.AUTH_FAILED, failure.kind());
        assertTrue(failure.getMessage().endsWith("no identity file was given for it and no default one exists"), failure.getMessage());
    }

    @Test
    void anEncryptedIdentityFileIsReportedBeforeConnecting() throws Exception {
        Path encrypted = TestKeys.generateEncrypted(dir.resolve("encrypted"));
        SshException failure = assertThrows(SshException.class,
                () -> transport.connect(TestKeys.withIdentity(TestKeys.target(lab.fleet(), "au1"), Optional.of(encrypted))));
        assertEquals(SshException.Kind.AUTH_FAILED, failure.kind());
        assertTrue(failure.getMessage().startsWith("cannot use identity file " + encrypted + " for au1 (" + lab.address("au1") + ":22): "), failure.getMessage());
    }

    @Test
    void unusableDefaultIdentitiesAreSkippedAndTheFailureSaysWhy() throws Exception {
        Path encrypted = TestKeys.generateEncrypted(dir.resolve("encrypted_default"));
        Path stranger = TestKeys.generate(dir.resolve("stranger_default"), "ecdsa");
        try (SshTransport withDefaults = new SshTransport(lab.fleet().knownHosts(), HostKeyPolicy.STRICT, List.of(encrypted, stranger))) {
            SshException failure = assertThrows(SshException.class,
                    () -> withDefaults.connect(TestKeys.withIdentity(TestKeys.target(lab.fleet(), "au1"), Optional.empty())));
            assertEquals(SshException.Kind.AUTH_FAILED, failure.kind());
            assertTrue(failure.getMessage().endsWith("failed; tried " + stranger + " (ecdsa-sha2-nistp256 "
                    + TestKeys.fingerprint(TestKeys.publicKey(stranger)) + "); skipped " + encrypted + ": it is encrypted and no passphrase"
                    + " was given (set RIG_SSH_KEY_PASSPHRASE, or run rig on a terminal to be asked)"), failure.getMessage());
        }
    }

    @Test
    void aStoppedHostIsUnreachableAtOnce() {
        lab.fleet().stop("down");
        long start = System.nanoTime();
        SshException failure = assertThrows(SshException.class, () -> transport.connect(TestKeys.target(lab.fleet(), "down")));
        long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
        assertEquals(SshException.Kind.UNREACHABLE, failure.kind());
        assertEquals("cannot connect to down (" + lab.address("down") + ":22): Connection refused", failure.getMessage());
        assertTrue(millis < 1000, "took " + millis + " ms");
    }

    @Test
    void aServerThatNeverAnswersTimesOutWithinTheConnectTimeout() throws Exception {
        try (ServerSocket silent = new ServerSocket()) {
            // accepts TCP, never speaks SSH; on this class's own address, a port the kernel picks
            silent.bind(new InetSocketAddress(lab.address("au1"), 0));
            int port = silent.getLocalPort();
            SshTarget target = SshTarget.of("silent", lab.address("au1"), port, "root", Optional.of(lab.fleet().clientKey()), Duration.ofMillis(500));
            long start = System.nanoTime();
            SshException failure = assertThrows(SshException.class, () -> transport.connect(target));
            long millis = Duration.ofNanos(System.nanoTime() - start).toMillis();
            assertEquals(SshException.Kind.UNREACHABLE, failure.kind());
            assertEquals("timed out after 0.5 s connecting to silent (" + lab.address("au1") + ":" + port + ")", failure.getMessage());
            // Bounded by the connect timeout, not by a default of minutes; generous for a loaded machine.
            assertTrue(millis < 10_000, "took " + millis + " ms");
        }
    }
}

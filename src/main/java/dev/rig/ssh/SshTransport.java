package dev.rig.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.future.CancelOption;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * rig's SSH client: one started MINA SshClient for the whole run, one {@link Connection} per host.
 * Host keys are checked against known_hosts (never MINA's accept-all default); users authenticate
 * with public keys only. MINA reads neither ~/.ssh/config nor ~/.ssh/id_* by itself here: rig decides
 * which identities to offer. Thread-safe.
 */
public final class SshTransport implements AutoCloseable {
    /** OpenSSH's order of host key algorithms (MINA's own puts ECDSA before ed25519). */
    private static final List<BuiltinSignatures> SIGNATURE_PREFERENCE = List.of(
            BuiltinSignatures.ed25519_cert, BuiltinSignatures.nistp256_cert, BuiltinSignatures.nistp384_cert,
            BuiltinSignatures.nistp521_cert, BuiltinSignatures.rsaSHA512_cert, BuiltinSignatures.rsaSHA256_cert,
            BuiltinSignatures.ed25519, BuiltinSignatures.nistp256, BuiltinSignatures.nistp384, BuiltinSignatures.nistp521,
            BuiltinSignatures.sk_ssh_ed25519, BuiltinSignatures.sk_ecdsa_sha2_nistp256,
            BuiltinSignatures.rsaSHA512, BuiltinSignatures.rsaSHA256, BuiltinSignatures.rsa);
    /** Keeps idle connections known to firewalls and NAT during long runs; a reply is not awaited. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(30);
    /**
     * Key exchange, fastest safe first. ML-KEM hybrid (post-quantum, cheap) where the server has it
     * (OpenSSH 9.9+); then curve25519, which OpenSSH 9.2 (Debian 12) offers. sntrup761 comes last:
     * in Java it costs about 100 ms of CPU per connection, which dominates a fleet run.
     */
    private static final List<BuiltinDHFactories> KEX_PREFERENCE = List.of(
            BuiltinDHFactories.mlkem768x25519, BuiltinDHFactories.curve25519, BuiltinDHFactories.curve25519_libssh,
            BuiltinDHFactories.curve448, BuiltinDHFactories.ecdhp256, BuiltinDHFactories.ecdhp384, BuiltinDHFactories.ecdhp521,
            BuiltinDHFactories.sntrup761x25519_openssh, BuiltinDHFactories.sntrup761x25519,
            BuiltinDHFactories.dhg16_512, BuiltinDHFactories.dhg18_512, BuiltinDHFactories.dhg14_256);

    private final SshClient client;
    private final ClientIdentities identities;
    private final ScheduledThreadPoolExecutor timeouts;

    /**
     * knownHosts: the OpenSSH known_hosts file to check host keys against (and, under ACCEPT_NEW, to
     * append new ones to). defaultIdentities: private key files offered to targets that name none;
     * missing ones are skipped.
     */
    public SshTransport(Path knownHosts, HostKeyPolicy policy, List<Path> defaultIdentities) {
        if (policy == HostKeyPolicy.ACCEPT_NEW) createParentDirectory(knownHosts);
        identities = new ClientIdentities(defaultIdentities);
        KnownHostsVerifier verifier = new KnownHostsVerifier(knownHosts, policy);

        client = SshClient.setUpDefaultClient();
        client.setServerKeyVerifier(verifier);
        client.addSessionListener(verifier);
        client.setSignatureFactories(SIGNATURE_PREFERENCE.stream()
                .filter(BuiltinSignatures::isSupported)
                .<NamedFactory<Signature>>map(signature -> signature)
                .collect(Collectors.toList()));
        client.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(false,
                KEX_PREFERENCE.stream().filter(BuiltinDHFactories::isSupported).collect(Collectors.toList()), ClientBuilder.DH2KEX));
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
        // No agent factory is set: no agent is used, and none is ever forwarded to the hosts.
        // Without TCP_NODELAY, Nagle's algorithm holds back small packets until the previous ones are acknowledged:
        // every channel open, exec request and close waits on the peer's delayed ACK (up to 40 ms on Linux).
        CoreModuleProperties.TCP_NODELAY.set(client, true);
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, HEARTBEAT);
        // A run holds its connections for as long as it needs them; exec() timeouts bound each command.
        CoreModuleProperties.IDLE_TIMEOUT.set(client, Duration.ZERO);
        client.start();

        timeouts = new ScheduledThreadPoolExecutor(1, task -> {
            Thread thread = new Thread(task, "rig-ssh-timeouts");
            thread.setDaemon(true);
            return thread;
        });
        timeouts.setRemoveOnCancelPolicy(true);
    }

    /** ~/.ssh/id_ed25519, id_ecdsa and id_rsa, those that exist, in the order OpenSSH tries them. */
    public static List<Path> defaultIdentityFiles() {
        Path sshDir = Path.of(System.getProperty("user.home"), ".ssh");
        return Stream.of("id_ed25519", "id_ecdsa", "id_rsa").map(sshDir::resolve).filter(Files::exists).collect(Collectors.toList());
    }

    /** Connects, checks the host key and authenticates, all within the target's connect timeout. */
    public Connection connect(SshTarget target) throws SshException {
        List<ClientIdentities.Identity> offered = identities.forTarget(target);
        HostKeyCheck check = new HostKeyCheck(target);
        long deadline = Durations.deadlineAfter(target.connectTimeout());
        ClientSession session = null;
        try {
            session = client.connect(target.user(), target.address(), target.port(), check.asConnectionContext(), null)
                    .verify(Durations.remaining(deadline), CancelOption.CANCEL_ON_TIMEOUT)
                    .getSession();
            for (ClientIdentities.Identity identity : offered) {
                for (KeyPair key : identity.keys()) session.addPublicKeyIdentity(key);
            }
            session.auth().verify(Durations.remaining(deadline), CancelOption.CANCEL_ON_TIMEOUT);
            return new Connection(target, session, timeouts);
        } catch (IOException | RuntimeException e) {
            if (session != null) session.close(true);
            throw connectFailure(target, check, offered, deadline, e);
        }
    }

    @Override
    public void close() {
        timeouts.shutdownNow();
        client.stop();
    }

    private static SshException connectFailure(SshTarget target, HostKeyCheck check, List<ClientIdentities.Identity> offered,
            long deadline, Exception failure) {
        if (check.refusal().isPresent()) return check.refusal().get();
        if (Durations.passed(deadline)) {
            String phase = check.passed() ? "authenticating to " : "connecting to ";
            return new SshException(SshException.Kind.UNREACHABLE, "timed out after " + Durations.describe(target.connectTimeout())
                    + " " + phase + target.label(), failure);
        }
        if (check.passed()) {
            return new SshException(SshException.Kind.AUTH_FAILED, "public-key authentication as " + target.user() + " on "
                    + target.label() + " failed; " + ClientIdentities.describe(offered), failure);
        }
        return new SshException(SshException.Kind.UNREACHABLE, "cannot connect to " + target.label() + ": " + reason(failure), failure);
    }

    /** The innermost cause's message: "Connection refused" rather than MINA's wrapping of it. */
    private static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
        if (cause instanceof UnknownHostException) return "unknown host " + cause.getMessage();
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    private static void createParentDirectory(Path file) {
        Path parent = file.toAbsolutePath().getParent();
        try {
            if (parent != null) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + parent + " for " + file, e);
        }
    }
}

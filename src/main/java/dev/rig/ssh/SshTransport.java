package dev.rig.ssh;

import java.io.IOException;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.sshd.client.ClientBuilder;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.client.session.ClientConnectionServiceFactory;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.client.session.ClientUserAuthServiceFactory;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.Service;
import org.apache.sshd.common.future.CancelOption;
import org.apache.sshd.common.kex.BuiltinDHFactories;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * rig's SSH client: one started MINA SshClient for the whole run, one {@link Connection} per host.
 * Where and how to connect comes from the target (inventory, command line), then ssh_config, then OpenSSH's
 * defaults; ProxyJump chains go through MINA's. Host keys are checked against known_hosts (never MINA's
 * accept-all default); users authenticate with public keys only: the identity files', then the agent's,
 * as OpenSSH orders them. The agent is never forwarded to hosts. Thread-safe.
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

    private final SshSettings settings;
    private final SshClient client;
    private final ClientIdentities identities;
    private final ScheduledThreadPoolExecutor timeouts;

    /** One known_hosts file and policy for every host, no ssh_config and no agent. */
    public SshTransport(Path knownHosts, HostKeyPolicy policy, List<Path> defaultIdentities) {
        this(SshSettings.of(knownHosts, policy, defaultIdentities));
    }

    public SshTransport(SshSettings settings) {
        this.settings = settings;
        identities = new ClientIdentities(settings.passphrases());
        HostKeyVerification verification = new HostKeyVerification();

        client = ClientBuilder.builder().factory(HopAwareClient::new).build();
        client.setServerKeyVerifier(verification);
        client.addSessionListener(verification);
        client.setServiceFactories(List.of(ClientUserAuthServiceFactory.INSTANCE, new ServerAliveConnectionService()));
        client.setSignatureFactories(SIGNATURE_PREFERENCE.stream()
                .filter(BuiltinSignatures::isSupported)
                .<NamedFactory<Signature>>map(signature -> signature)
                .collect(Collectors.toList()));
        client.setKeyExchangeFactories(NamedFactory.setUpTransformedFactories(false,
                KEX_PREFERENCE.stream().filter(BuiltinDHFactories::isSupported).collect(Collectors.toList()), ClientBuilder.DH2KEX));
        client.setHostConfigEntryResolver(settings.config());
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setAgentFactory(new AgentKeys());
        client.setUserAuthFactories(List.of(new KeysInOpenSshOrder()));
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

    /** The user rig logs in to target as: the target's, else ssh_config's User, else the local user. */
    public String loginUser(SshTarget target) throws SshException {
        return resolve(target, targetEntry(target)).user();
    }

    /** Connects (through ProxyJump hosts, if any), checks host keys and authenticates, all within the connect timeout. */
    public Connection connect(SshTarget target) throws SshException {
        HostConfigEntry entry = targetEntry(target);
        HopConfig config = resolve(target, entry);
        Hop hop = new Hop(config, Optional.empty(), identities.forHop(config));
        ConnectAttempt attempt = new ConnectAttempt(hop, entry, settings, identities);
        long deadline = Durations.deadlineAfter(config.connectTimeout());
        ConnectFuture connecting;
        try {
            connecting = client.connect(entry, attempt.asConnectionContext(), null);
        } catch (IllegalArgumentException e) { // MINA's reading of the ProxyJump chain
            throw configError(target, e);
        } catch (IOException e) {
            throw connectFailure(attempt, deadline, e);
        }
        ClientSession session = null;
        try {
            session = connecting.verify(Durations.remaining(deadline), CancelOption.CANCEL_ON_TIMEOUT).getSession();
            session.auth().verify(Durations.remaining(deadline), CancelOption.CANCEL_ON_TIMEOUT);
            return new Connection(target.name(), config.label(), session, timeouts);
        } catch (IOException | RuntimeException e) {
            if (session != null) session.close(true);
            throw connectFailure(attempt, deadline, e);
        }
    }

    @Override
    public void close() {
        timeouts.shutdownNow();
        client.stop();
    }

    /** What ssh_config says for the target, with the target's own values (the inventory's) taking precedence. */
    private HostConfigEntry targetEntry(SshTarget target) throws SshException {
        try {
            SshOptions options = target.options();
            HostConfigEntry entry = settings.config().resolve(target.host(), target.port().or(options::port).orElse(0),
                    target.user().or(options::user).orElse(null));
            // -o ProxyJump and IdentityFile come before ssh_config's, as on ssh's command line.
            options.proxyJump().ifPresent(jump -> entry.setProxyJump(jump.equalsIgnoreCase("none") ? null : jump));
            // -o ProxyCommand comes before ssh_config's ProxyJump on ssh's command line, so that one is not used.
            options.proxyCommand().ifPresent(command -> entry.setProxyJump(null));
            if (!options.identityFiles().isEmpty()) {
                List<String> identities = new ArrayList<>(options.identityFiles().stream().map(Path::toString).toList());
                identities.addAll(entry.getIdentities());
                entry.setIdentities(identities);
            }
            return entry;
        } catch (IllegalArgumentException e) {
            throw configError(target, e);
        }
    }

    private HopConfig resolve(SshTarget target, HostConfigEntry entry) throws SshException {
        try {
            return HopConfig.of(target.name(), entry, settings, target.identityFile(), target.connectTimeout(), target.options());
        } catch (IllegalArgumentException e) {
            throw configError(target, e);
        }
    }

    private SshException configError(SshTarget target, IllegalArgumentException e) {
        String file = settings.config().file().map(path -> " in " + path).orElse("");
        return new SshException(SshException.Kind.CONFIG, "cannot connect to " + target.name() + ": ssh_config" + file + ": "
                + innermostMessage(e, target.name()), e);
    }

    private static SshException connectFailure(ConnectAttempt attempt, long deadline, Exception failure) {
        SshException fromRig = SshException.causeOfType(failure, SshException.class);
        if (fromRig != null) return fromRig;
        Hop hop = attempt.current();
        if (hop.refusal().isPresent()) return hop.refusal().get();
        if (hop.proxyEnded().isPresent()) {
            return new SshException(SshException.Kind.UNREACHABLE, "cannot connect to " + hop.role() + ": " + hop.proxyEnded().get(), failure);
        }
        if (Durations.passed(deadline)) {
            String phase = hop.hostKeyPassed() ? "authenticating to " : "connecting to ";
            return new SshException(SshException.Kind.UNREACHABLE, "timed out after "
                    + Durations.describe(attempt.target().config().connectTimeout()) + " " + phase + hop.role(), failure);
        }
        if (hop.hostKeyPassed()) {
            return new SshException(SshException.Kind.AUTH_FAILED, "public-key authentication as " + hop.config().user() + " on "
                    + hop.role() + " failed; " + hop.describeKeys(), failure);
        }
        String through = attempt.previous().map(jump -> " through jump host " + jump.config().label()).orElse("");
        return new SshException(SshException.Kind.UNREACHABLE, "cannot connect to " + hop.role() + through + ": "
                + innermostMessage(failure, hop.config().hostName()), failure);
    }

    /** The innermost cause's message: "Connection refused" rather than MINA's wrapping of it. */
    private static String innermostMessage(Throwable failure, String hostName) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getCause() != cause) cause = cause.getCause();
        if (cause instanceof UnknownHostException || cause instanceof java.nio.channels.UnresolvedAddressException) return "cannot resolve " + hostName;
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /**
     * ServerAliveInterval and ServerAliveCountMax, per hop: probes that want a reply, and a limit to unanswered
     * ones. MINA reads its heartbeat settings when it creates a session's connection service, which it does
     * inside the session's constructor; so they are set on the session here, just before.
     */
    private static final class ServerAliveConnectionService extends ClientConnectionServiceFactory {
        @Override
        public Service create(Session session) throws IOException {
            Hop.of(session).flatMap(hop -> hop.config().serverAlive()).ifPresent(alive -> {
                CoreModuleProperties.HEARTBEAT_INTERVAL.set(session, alive.interval());
                CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(session, alive.count());
            });
            return super.create(session);
        }
    }
}

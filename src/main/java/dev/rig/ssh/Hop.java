package dev.rig.ssh;

import java.security.KeyPair;
import java.security.PublicKey;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.session.Session;

/**
 * One SSH connection of a connect() attempt, the target's or a ProxyJump hop's: its settings, the keys it
 * offers, and how far it got. It travels in the MINA session's connection context, so that the host key
 * verifier, the agent and the heartbeat set-up, which MINA calls deep inside, know which host they serve;
 * the verifier leaves behind why it refused, and connect() throws that instead of MINA's bare
 * "Server key did not validate".
 */
final class Hop {
    private static final AttributeKey<Hop> KEY = new AttributeKey<>();

    private final HopConfig config;
    private final Optional<HopConfig> jumpFor;
    private final List<ClientIdentities.Identity> identities;
    private volatile SshException refusal;
    private volatile boolean hostKeyPassed;
    private volatile List<PublicKey> agentKeysOffered = List.of();
    private volatile String agentProblem;
    private volatile ProxyCommandRelay proxy;

    /** jumpFor: the target this hop is a jump host for; empty for the target itself. */
    Hop(HopConfig config, Optional<HopConfig> jumpFor, List<ClientIdentities.Identity> identities) {
        this.config = config;
        this.jumpFor = jumpFor;
        this.identities = List.copyOf(identities);
    }

    /** The hop a session belongs to; empty for sessions rig did not open through connect(). */
    static Optional<Hop> of(Session session) {
        if (!(session instanceof ClientSession client) || client.getConnectionContext() == null) return Optional.empty();
        return Optional.ofNullable(client.getConnectionContext().getAttribute(KEY));
    }

    AttributeRepository asConnectionContext() {
        return AttributeRepository.ofKeyValuePair(KEY, this);
    }

    HopConfig config() {
        return config;
    }

    /** "bastion (127.0.0.85:22), jump host for web1 (10.0.0.5:22)", or the target's label. */
    String role() {
        return config.label() + jumpFor.map(target -> ", jump host for " + target.label()).orElse("");
    }

    /** The usable keys of the identity files, offered before the agent's. */
    KeyIdentityProvider fileKeys() {
        List<KeyPair> keys = identities.stream().filter(ClientIdentities.Identity::usable)
                .flatMap(identity -> identity.keys().stream()).collect(Collectors.toList());
        return KeyIdentityProvider.wrapKeyPairs(keys);
    }

    /** Public keys of the identity files (from .pub files too), which IdentitiesOnly limits agent keys to. */
    List<PublicKey> identityPublicKeys() {
        return identities.stream().flatMap(identity -> identity.publicKey().stream()).collect(Collectors.toList());
    }

    /** The ProxyCommand this hop is reached through, once started. */
    void proxiedBy(ProxyCommandRelay relay) {
        proxy = relay;
    }

    /** Why the hop's ProxyCommand ended, if it has one and it did: the reason a connection through it failed. */
    Optional<String> proxyEnded() {
        ProxyCommandRelay relay = proxy;
        return relay == null ? Optional.empty() : relay.ended();
    }

    void refuse(SshException why) {
        refusal = why;
    }

    Optional<SshException> refusal() {
        return Optional.ofNullable(refusal);
    }

    void passHostKey() {
        hostKeyPassed = true;
    }

    /** True once the host proved itself: any later failure is about authentication, not the host. */
    boolean hostKeyPassed() {
        return hostKeyPassed;
    }

    void agentOffered(List<PublicKey> keys) {
        agentKeysOffered = List.copyOf(keys);
    }

    void agentFailed(String problem) {
        agentProblem = problem;
    }

    /** For an authentication failure: every key offered, from the agent and from files, and what was left out. */
    String describeKeys() {
        StringBuilder out = new StringBuilder(ClientIdentities.describe(identities));
        if (!agentKeysOffered.isEmpty()) {
            out.append("; tried ssh-agent keys ").append(agentKeysOffered.stream().map(KnownHostsVerifier::describe)
                    .collect(Collectors.joining(", ")));
        }
        if (agentProblem != null) out.append("; ").append(agentProblem);
        return out.toString();
    }
}

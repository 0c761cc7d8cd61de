package dev.rig.ssh;

import java.io.IOException;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.future.ConnectFuture;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.core.CoreModuleProperties;

/**
 * MINA's SshClient and its ProxyJump chain, with two changes: the chain is read in OpenSSH's order, and
 * each connection of it (target or jump host) gets its own {@link Hop} as session context and its own keys.
 */
final class HopAwareClient extends SshClient {
    /**
     * OpenSSH's "ProxyJump a,b" connects to a, through it to b, through b to the target; a's own ProxyJump,
     * if any, comes before a. MINA's doConnect() takes the list the other way round, the hop next to the
     * target first (apache/mina-sshd#318), so the chain is built outermost first and then reversed.
     */
    @Override
    protected List<HostConfigEntry> parseProxyJumps(HostConfigEntry target, AttributeRepository context) throws IOException {
        List<HostConfigEntry> outermostFirst = new ArrayList<>();
        String jumps = target.getProxyJump();
        while (jumps != null && !jumps.isBlank() && !jumps.equalsIgnoreCase("none")) {
            List<HostConfigEntry> hops = parseProxyJumps(jumps, context);
            outermostFirst.addAll(0, hops);
            if (outermostFirst.size() > CoreModuleProperties.MAX_PROXY_JUMPS.getRequired(this)) {
                throw new IllegalArgumentException("more than " + CoreModuleProperties.MAX_PROXY_JUMPS.getRequired(this)
                        + " ProxyJump hops for " + target.getHost() + "; does a jump host name itself (ProxyJump none stops a chain)?");
            }
            jumps = hops.get(0).getProxyJump();
        }
        Collections.reverse(outermostFirst);
        return outermostFirst;
    }

    /** Keys are loaded by rig for each hop ({@link ClientIdentities}), with its passphrases; MINA's loader is not used. */
    @Override
    protected KeyIdentityProvider preloadClientIdentities(Collection<? extends NamedResource> locations) {
        return KeyIdentityProvider.EMPTY_KEYS_PROVIDER;
    }

    /** Each TCP connection of the chain: the hop's own context (host key check, agent, heartbeat) and keys. */
    @Override
    protected ConnectFuture doConnect(String username, SocketAddress address, AttributeRepository context, SocketAddress local,
            KeyIdentityProvider identities, HostConfigEntry hostConfig) throws IOException {
        ConnectAttempt attempt = ConnectAttempt.of(context)
                .orElseThrow(() -> new IllegalStateException("connections are opened through SshTransport.connect()"));
        Hop hop;
        SocketAddress to = address;
        try {
            hop = attempt.start(hostConfig);
            if (hop.config().proxyCommand().isPresent()) to = throughProxyCommand(attempt, hop, hostConfig);
        } catch (SshException e) {
            throw new IOException(e.getMessage(), e); // SshTransport unwraps it
        }
        return super.doConnect(username, to, hop.asConnectionContext(), local, hop.fileKeys(), hostConfig);
    }

    /**
     * The hop's ProxyCommand started, and the loopback address that reaches it. Only the first connection of a
     * chain can have one: the others are made through the jump host before them.
     */
    private static SocketAddress throughProxyCommand(ConnectAttempt attempt, Hop hop, HostConfigEntry hostConfig) throws SshException {
        HopConfig config = hop.config();
        if (!attempt.outermost(hop)) {
            throw new SshException(SshException.Kind.CONFIG, "ProxyCommand of " + hop.role()
                    + ": only the first host of a ProxyJump chain can be reached through a ProxyCommand");
        }
        try {
            String command = ProxyCommandRelay.expand(config.proxyCommand().orElseThrow(), config.hostName(), config.port(),
                    config.user(), hostConfig.getHost());
            ProxyCommandRelay relay = ProxyCommandRelay.start(command, config.connectTimeout());
            hop.proxiedBy(relay);
            return relay.address();
        } catch (IllegalArgumentException e) {
            throw new SshException(SshException.Kind.CONFIG, "cannot connect to " + hop.role() + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new SshException(SshException.Kind.UNREACHABLE, "cannot start the ProxyCommand for " + hop.role() + ": " + e.getMessage(), e);
        }
    }
}

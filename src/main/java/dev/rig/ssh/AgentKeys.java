package dev.rig.ssh;

import com.jcraft.jsch.agentproxy.AgentProxy;
import com.jcraft.jsch.agentproxy.AgentProxyException;
import com.jcraft.jsch.agentproxy.Buffer;
import com.jcraft.jsch.agentproxy.Connector;
import com.jcraft.jsch.agentproxy.Identity;
import com.jcraft.jsch.agentproxy.connector.SSHAgentConnector;
import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.sshd.agent.SshAgent;
import org.apache.sshd.agent.SshAgentFactory;
import org.apache.sshd.agent.SshAgentKeyConstraint;
import org.apache.sshd.agent.SshAgentServer;
import org.apache.sshd.common.FactoryManager;
import org.apache.sshd.common.channel.ChannelFactory;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.session.ConnectionService;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

/**
 * Keys held by an ssh-agent, offered to MINA's public-key authentication after the identity files'
 * ({@link KeysInOpenSshOrder}). The agent is the hop's (IdentityAgent, else $SSH_AUTH_SOCK); it is spoken to through
 * jsch-agent-proxy. The agent is never forwarded to hosts: no forwarding channel factory is given to MINA.
 */
final class AgentKeys implements SshAgentFactory {
    // Agent protocol (draft-miller-ssh-agent): message numbers and the flags asking for SHA-2 RSA signatures.
    private static final byte SIGN_REQUEST = 13;
    private static final byte SIGN_RESPONSE = 14;
    private static final int RSA_SHA2_256 = 2;
    private static final int RSA_SHA2_512 = 4;

    @Override
    public List<ChannelFactory> getChannelForwardingFactories(FactoryManager manager) {
        return List.of();
    }

    @Override
    public SshAgent createClient(Session session, FactoryManager manager) {
        Hop hop = Hop.of(session).orElse(null);
        if (hop == null || hop.config().agentSocket().isEmpty()) return null;
        Path socket = hop.config().agentSocket().get();
        try {
            return new Agent(hop, new SSHAgentConnector(new UnixSocketFactory(), socket.toString()));
        } catch (AgentProxyException e) {
            hop.agentFailed("ssh-agent at " + socket + " cannot be reached (" + e.getMessage() + ")");
            return null;
        }
    }

    /** The public keys the agent at socket holds; none when it cannot be reached. */
    static List<PublicKey> publicKeys(Path socket) {
        try {
            List<PublicKey> keys = new ArrayList<>();
            for (Identity identity : new AgentProxy(new SSHAgentConnector(new UnixSocketFactory(), socket.toString())).getIdentities()) {
                keys.add(publicKey(identity));
            }
            return keys;
        } catch (AgentProxyException | IOException e) {
            return List.of();
        }
    }

    private static PublicKey publicKey(Identity identity) throws IOException {
        return new ByteArrayBuffer(identity.getBlob()).getRawPublicKey();
    }

    @Override
    public SshAgentServer createServer(ConnectionService service) {
        throw new UnsupportedOperationException("rig never serves an agent to hosts");
    }

    /** One authentication's view of the agent: its keys (only those of the hop's identity files under IdentitiesOnly), and signing. */
    private static final class Agent implements SshAgent {
        private final Hop hop;
        private final Connector connector;

        Agent(Hop hop, Connector connector) {
            this.hop = hop;
            this.connector = connector;
        }

        @Override
        public Iterable<? extends Map.Entry<PublicKey, String>> getIdentities() throws IOException {
            List<Map.Entry<PublicKey, String>> keys = new ArrayList<>();
            List<PublicKey> allowed = hop.identityPublicKeys();
            for (Identity identity : new AgentProxy(connector).getIdentities()) {
                PublicKey key = publicKey(identity);
                if (hop.config().identitiesOnly() && allowed.stream().noneMatch(file -> KeyUtils.compareKeys(file, key))) continue;
                keys.add(new SimpleImmutableEntry<>(key, new String(identity.getComment(), java.nio.charset.StandardCharsets.UTF_8)));
            }
            hop.agentOffered(keys.stream().map(Map.Entry::getKey).toList());
            return keys;
        }

        /**
         * AgentProxy.sign() always asks for the key's default algorithm, ssh-rsa (SHA-1) for RSA keys, which
         * OpenSSH 8.8 and later refuse; so the request is built here with the flag for what MINA asks for.
         */
        @Override
        public Map.Entry<String, byte[]> sign(SessionContext session, PublicKey key, String algorithm, byte[] data) throws IOException {
            ByteArrayBuffer request = new ByteArrayBuffer();
            request.putByte(SIGN_REQUEST);
            request.putPublicKey(key);
            request.putBytes(data);
            request.putUInt(rsaFlags(algorithm));
            Buffer exchange = new Buffer(request.available() + 4);
            exchange.putInt(request.available());
            exchange.putByte(request.getCompactData());
            try {
                connector.query(exchange);
            } catch (AgentProxyException e) {
                throw new IOException("ssh-agent could not sign with " + KnownHostsVerifier.describe(key) + ": " + e.getMessage(), e);
            }
            if (exchange.getByte() != SIGN_RESPONSE) {
                throw new IOException("ssh-agent refused to sign with " + KnownHostsVerifier.describe(key) + " (" + algorithm + ")");
            }
            ByteArrayBuffer signature = new ByteArrayBuffer(exchange.getString());
            String signedWith = signature.getString();
            return new SimpleImmutableEntry<>(signedWith, signature.getBytes());
        }

        private static int rsaFlags(String algorithm) {
            if (algorithm == null) return 0;
            if (algorithm.startsWith(KeyUtils.RSA_SHA512_KEY_TYPE_ALIAS)) return RSA_SHA2_512;
            if (algorithm.startsWith(KeyUtils.RSA_SHA256_KEY_TYPE_ALIAS)) return RSA_SHA2_256;
            return 0;
        }

        @Override
        public void addIdentity(KeyPair key, String comment, SshAgentKeyConstraint... constraints) {
            throw new UnsupportedOperationException("rig only uses the agent's keys");
        }

        @Override
        public void removeIdentity(PublicKey key) {
            throw new UnsupportedOperationException("rig only uses the agent's keys");
        }

        @Override
        public void removeAllIdentities() {
            throw new UnsupportedOperationException("rig only uses the agent's keys");
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
            // SSHAgentConnector opens a socket per request; nothing stays open.
        }
    }
}

package dev.rig.ssh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;

/**
 * The client's one host key verifier: each session is checked against its hop's known_hosts file
 * (ssh_config's UserKnownHostsFile can differ by host), by one {@link KnownHostsVerifier} per file.
 * A session rig did not open through connect() has no hop and is refused.
 */
final class HostKeyVerification implements ServerKeyVerifier, SessionListener {
    private final Map<Path, KnownHostsVerifier> byFile = new ConcurrentHashMap<>();

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey offered) {
        return Hop.of(session).map(hop -> verifierFor(hop).verifyServerKey(session, remote, offered)).orElse(false);
    }

    @Override
    public void sessionNegotiationOptionsCreated(Session session, Map<KexProposalOption, String> proposal) {
        Hop.of(session).ifPresent(hop -> verifierFor(hop).adjustProposal(hop, proposal));
    }

    private KnownHostsVerifier verifierFor(Hop hop) {
        Path file = hop.config().knownHosts().toAbsolutePath().normalize();
        if (hop.config().policy() == HostKeyPolicy.ACCEPT_NEW) createParentDirectory(file);
        return byFile.computeIfAbsent(file, KnownHostsVerifier::new);
    }

    private static void createParentDirectory(Path file) {
        Path parent = file.getParent();
        try {
            if (parent != null && !Files.isDirectory(parent)) Files.createDirectories(parent);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + parent + " for " + file, e);
        }
    }
}

package dev.rig.ssh;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.sshd.client.config.hosts.KnownHostEntry;
import org.apache.sshd.client.keyverifier.KnownHostsServerKeyVerifier;
import org.apache.sshd.client.keyverifier.ServerKeyVerifier;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.kex.KexProposalOption;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;

/**
 * Host keys checked against one OpenSSH known_hosts file (hashed entries included) by MINA's own
 * verifier; this subclass only decides what happens to unknown keys (by the hop's policy), refuses changed
 * and revoked ones, and records why in the {@link Hop}.
 *
 * <p>It names the host as the hop's settings do (HostKeyAlias, else HostName, and port), not by the socket
 * address: through a ProxyJump the socket is a local forward, yet known_hosts must hold the target's name.
 *
 * <p>It also steers which host key the server shows. A server with several (every stock Debian server
 * has ed25519, ECDSA and RSA keys) shows the type the client asks for first; were that not the type
 * known_hosts holds for it, say ECDSA recorded by an older OpenSSH, the key would look changed. Like
 * OpenSSH, rig therefore asks first for the key types known_hosts has for the host.
 */
final class KnownHostsVerifier extends KnownHostsServerKeyVerifier {
    private final Path knownHosts;

    KnownHostsVerifier(Path knownHosts) {
        super(unknownKeyHandler(knownHosts), knownHosts);
        this.knownHosts = knownHosts;
        setModifiedServerKeyAcceptor((session, remote, entry, expected, offered) -> {
            refuse(session, SshException.Kind.HOST_KEY_CHANGED, hop -> "host key for " + hop.role()
                    + " has CHANGED: it offered " + describe(offered) + " but " + knownHosts + " has " + describe(expected)
                    + ". The host may have been rebuilt, or someone may be intercepting the connection."
                    + " If the change is expected, remove the old key (ssh-keygen -R " + hostPattern(hop.config())
                    + " -f " + knownHosts + ") and connect again.");
            return false;
        });
    }

    /** Called for keys known_hosts has nothing for; true means trust (and MINA then appends the key to the file). */
    private static ServerKeyVerifier unknownKeyHandler(Path knownHosts) {
        return (session, remote, offered) -> {
            if (Hop.of(session).map(hop -> hop.config().policy() == HostKeyPolicy.ACCEPT_NEW).orElse(false)) return true;
            refuse(session, SshException.Kind.HOST_KEY_UNKNOWN, hop -> "host key for " + hop.role() + " is not in "
                    + knownHosts + ": offered " + describe(offered)
                    + "; pass --accept-new-host-keys (or set StrictHostKeyChecking accept-new in ssh_config) to trust it");
            return false;
        };
    }

    @Override
    public boolean verifyServerKey(ClientSession session, SocketAddress remote, PublicKey offered) {
        boolean trusted = super.verifyServerKey(session, remote, offered);
        if (trusted) Hop.of(session).ifPresent(Hop::passHostKey);
        return trusted;
    }

    /** The names known_hosts is searched and written under: the hop's, never the socket's. */
    @Override
    protected Collection<SshdSocketAddress> resolveHostNetworkIdentities(ClientSession session, SocketAddress remote) {
        return Hop.of(session)
                .<Collection<SshdSocketAddress>>map(hop -> List.of(new SshdSocketAddress(hop.config().hostKeyName(), hop.config().port())))
                .orElseGet(() -> super.resolveHostNetworkIdentities(session, remote));
    }

    @Override
    protected void handleRevokedKey(ClientSession session, SocketAddress remote, PublicKey offered) {
        refuse(session, SshException.Kind.HOST_KEY_CHANGED, hop -> "host key for " + hop.role() + ", "
                + describe(offered) + ", is marked @revoked in " + knownHosts);
    }

    /** MINA would treat an unreadable known_hosts as empty, and under ACCEPT_NEW trust anything: refuse instead. */
    @Override
    protected boolean acceptIncompleteHostKeys(ClientSession session, SocketAddress remote, PublicKey offered, Throwable reason) {
        refuse(session, SshException.Kind.HOST_KEY_UNKNOWN, hop -> "cannot check the host key of " + hop.role()
                + ": " + knownHosts + " is unreadable: " + reason.getMessage());
        return false;
    }

    /** Before the key exchange starts: ask first for host key types known_hosts has for this host. */
    void adjustProposal(Hop hop, Map<KexProposalOption, String> proposal) {
        Set<String> known = knownKeyTypes(hop.config());
        if (!known.isEmpty()) {
            proposal.put(KexProposalOption.SERVERKEYS, preferKnownTypes(proposal.get(KexProposalOption.SERVERKEYS), known));
        }
    }

    /** Key types (e.g. ssh-ed25519) of the plain, unrevoked known_hosts entries for the host. */
    Set<String> knownKeyTypes(HopConfig hop) {
        if (!Files.exists(knownHosts)) return Set.of();
        try {
            return KnownHostEntry.readKnownHostEntries(knownHosts).stream()
                    .filter(entry -> entry.getMarker() == null && entry.getKeyEntry() != null)
                    .filter(entry -> entry.isHostMatch(hop.hostKeyName(), hop.port()))
                    .map(entry -> entry.getKeyEntry().getKeyType())
                    .collect(Collectors.toCollection(LinkedHashSet::new));
        } catch (IOException | RuntimeException e) {
            return Set.of(); // the verifier itself will report the unreadable file
        }
    }

    /** The comma-separated algorithm list with those signing with a known key type moved to the front, order kept. */
    static String preferKnownTypes(String algorithms, Set<String> knownKeyTypes) {
        List<String> preferred = new ArrayList<>();
        List<String> rest = new ArrayList<>();
        for (String algorithm : algorithms.split(",")) {
            (knownKeyTypes.contains(KeyUtils.getCanonicalKeyType(algorithm)) ? preferred : rest).add(algorithm);
        }
        preferred.addAll(rest);
        return String.join(",", preferred);
    }

    private static void refuse(Session session, SshException.Kind kind, Function<Hop, String> message) {
        Hop.of(session).ifPresent(hop -> hop.refuse(new SshException(kind, message.apply(hop))));
    }

    /** "ssh-ed25519 SHA256:…", as OpenSSH shows keys. */
    static String describe(PublicKey key) {
        return KeyUtils.getKeyType(key) + " " + KeyUtils.getFingerPrint(key);
    }

    /** How known_hosts and ssh-keygen -R name the host: the name alone on port 22, else [name]:port. */
    private static String hostPattern(HopConfig hop) {
        return hop.port() == 22 ? hop.hostKeyName() : "[" + hop.hostKeyName() + "]:" + hop.port();
    }
}

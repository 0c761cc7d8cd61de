package dev.rig.ssh;

import java.io.IOException;
import java.nio.channels.Channel;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import org.apache.sshd.client.auth.pubkey.KeyAgentIdentity;
import org.apache.sshd.client.auth.pubkey.PublicKeyIdentity;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKey;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyIterator;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.signature.SignatureFactoriesManager;

/**
 * Public-key authentication offering keys in OpenSSH's order: the identity files' keys first, in the files'
 * order (a file's key the agent holds is signed by the agent), then the agent's other keys. MINA offers the
 * agent's first, so an agent holding many keys could use up the server's MaxAuthTries (6 by default)
 * before the key named for the host was tried.
 */
final class KeysInOpenSshOrder extends UserAuthPublicKeyFactory {
    @Override
    public UserAuthPublicKey createUserAuth(ClientSession session) {
        return new UserAuthPublicKey(getSignatureFactories()) {
            @Override
            protected Iterator<PublicKeyIdentity> createPublicKeyIterator(ClientSession client, SignatureFactoriesManager manager)
                    throws Exception {
                UserAuthPublicKeyIterator minaOrder = new UserAuthPublicKeyIterator(client, manager);
                List<PublicKeyIdentity> files = new ArrayList<>();
                List<PublicKeyIdentity> agent = new ArrayList<>();
                minaOrder.forEachRemaining(key -> (key instanceof KeyAgentIdentity ? agent : files).add(key));
                // A key the files already offer is not offered again through the agent.
                agent.removeIf(fromAgent -> files.stream().anyMatch(fromFile -> sameKey(fromFile, fromAgent)));
                List<PublicKey> fileOrder = Hop.of(client).map(Hop::identityPublicKeys).orElse(List.of());
                List<PublicKeyIdentity> ordered = new ArrayList<>(files);
                ordered.addAll(agent);
                ordered.sort(Comparator.comparingInt(key -> positionIn(fileOrder, key))); // stable: the rest keep their order
                return new Ordered(ordered.iterator(), minaOrder);
            }
        };
    }

    private static boolean sameKey(PublicKeyIdentity one, PublicKeyIdentity other) {
        return KeyUtils.compareKeys(one.getKeyIdentity().getPublic(), other.getKeyIdentity().getPublic());
    }

    /** Where key's file stands among the identity files; after all of them when it has none. */
    private static int positionIn(List<PublicKey> fileOrder, PublicKeyIdentity key) {
        for (int i = 0; i < fileOrder.size(); i++) {
            if (KeyUtils.compareKeys(fileOrder.get(i), key.getKeyIdentity().getPublic())) return i;
        }
        return fileOrder.size();
    }

    /** The reordered keys; closing it (MINA does, after authentication) closes MINA's iterator and its agent. */
    private record Ordered(Iterator<PublicKeyIdentity> keys, Channel source) implements Iterator<PublicKeyIdentity>, Channel {
        @Override
        public boolean hasNext() {
            return keys.hasNext();
        }

        @Override
        public PublicKeyIdentity next() {
            return keys.next();
        }

        @Override
        public boolean isOpen() {
            return source.isOpen();
        }

        @Override
        public void close() throws IOException {
            source.close();
        }
    }
}

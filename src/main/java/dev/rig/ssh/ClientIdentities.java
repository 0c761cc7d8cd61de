package dev.rig.ssh;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;
import javax.security.auth.login.FailedLoginException;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Private key files for public-key authentication, each read once per run with MINA's loaders (OpenSSH and
 * PEM formats). An encrypted one whose key (by its .pub) the ssh-agent holds is left to the agent, as
 * OpenSSH does; any other is decrypted with a passphrase from {@link Passphrases}, once.
 */
final class ClientIdentities {
    /**
     * A key file as loaded: its key pairs, or why it could not be used. publicKey: from the file, or its .pub
     * when it is not readable. inAgent: encrypted, and the agent holds its key, which signs for it.
     */
    record Identity(Path file, List<KeyPair> keys, Optional<PublicKey> publicKey, boolean inAgent, String problem) {
        static Identity unusable(Path file, Optional<PublicKey> publicKey, String problem) {
            return new Identity(file, List.of(), publicKey, false, problem);
        }

        boolean usable() {
            return problem == null;
        }
    }

    private final Passphrases passphrases;
    private final Map<Path, Identity> loaded = new HashMap<>();

    ClientIdentities(Passphrases passphrases) {
        this.passphrases = passphrases;
    }

    /**
     * The hop's identities: its required file, which must load, then the other files that exist. Unusable
     * ones are kept (not offered) so that an authentication failure can say why they were left out.
     */
    List<Identity> forHop(HopConfig hop) throws SshException {
        List<Identity> identities = new ArrayList<>();
        if (hop.requiredIdentity().isPresent()) {
            Identity identity = load(hop.requiredIdentity().get(), hop.agentSocket());
            if (!identity.usable()) {
                throw new SshException(SshException.Kind.AUTH_FAILED,
                        "cannot use identity file " + identity.file() + " for " + hop.label() + ": " + identity.problem());
            }
            identities.add(identity);
        }
        for (Path file : hop.identityFiles()) {
            if (Files.exists(file) || Files.exists(publicKeyFile(file))) identities.add(load(file, hop.agentSocket()));
        }
        return identities;
    }

    /** For an authentication failure: which keys were offered, and which files were left out and why. */
    static String describe(List<Identity> identities) {
        if (identities.isEmpty()) return "no identity file was given for it and no default one exists";
        String tried = identities.stream().filter(Identity::usable)
                .map(identity -> identity.file() + " (" + (identity.inAgent() ? "in ssh-agent" : identity.keys().stream()
                        .map(key -> KnownHostsVerifier.describe(key.getPublic())).collect(Collectors.joining(", "))) + ")")
                .collect(Collectors.joining("; "));
        String skipped = identities.stream().filter(identity -> !identity.usable())
                .map(identity -> identity.file() + ": " + identity.problem())
                .collect(Collectors.joining("; "));
        if (skipped.isEmpty()) return "tried " + tried;
        return (tried.isEmpty() ? "" : "tried " + tried + "; ") + "skipped " + skipped;
    }

    /** Serialised, so that each file is read, and its passphrase asked for, once, whatever the number of hosts. */
    private synchronized Identity load(Path file, Optional<Path> agentSocket) {
        return loaded.computeIfAbsent(file.toAbsolutePath().normalize(), path -> read(path, agentSocket));
    }

    private Identity read(Path file, Optional<Path> agentSocket) {
        Optional<PublicKey> publicKey = readPublicKey(file);
        if (!Files.exists(file)) return Identity.unusable(file, publicKey, "no such file");
        PassphraseAttempts attempts = new PassphraseAttempts(file, () -> publicKey.isPresent() && agentSocket.isPresent()
                && AgentKeys.publicKeys(agentSocket.get()).stream().anyMatch(held -> KeyUtils.compareKeys(held, publicKey.get())));
        try (InputStream in = Files.newInputStream(file)) {
            List<KeyPair> keys = new ArrayList<>();
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in, attempts);
            if (pairs != null) pairs.forEach(keys::add);
            if (keys.isEmpty()) return Identity.unusable(file, publicKey, "no private key found in it");
            return new Identity(file, List.copyOf(keys), Optional.of(keys.get(0).getPublic()), false, null);
        } catch (Exception e) {
            if (attempts.leftToAgent) return new Identity(file, List.of(), publicKey, true, null);
            if (attempts.tried > 0) {
                return Identity.unusable(file, publicKey, "the passphrase from " + passphrases.sources() + " does not decrypt it");
            }
            if (e instanceof FailedLoginException) { // MINA's "no password data": encrypted, and nothing to try
                return Identity.unusable(file, publicKey, "it is encrypted and no passphrase was given (set "
                        + Passphrases.ENVIRONMENT_VARIABLE + ", or run rig on a terminal to be asked)");
            }
            return Identity.unusable(file, publicKey, e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
    }

    /** The key's public half from FILE.pub, which lets IdentitiesOnly pick an agent key whose private file is gone. */
    private static Optional<PublicKey> readPublicKey(Path file) {
        Path pub = publicKeyFile(file);
        if (!Files.isRegularFile(pub)) return Optional.empty();
        try {
            PublicKeyEntry entry = PublicKeyEntry.parsePublicKeyEntry(Files.readString(pub).strip());
            return Optional.ofNullable(entry.resolvePublicKey(null, null, null));
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Path publicKeyFile(Path file) {
        return file.resolveSibling(file.getFileName() + ".pub");
    }

    /**
     * MINA's passphrase callback for one file, called only when it is encrypted: none when the agent holds the
     * key, else attempt after attempt from {@link Passphrases} until one decrypts it.
     */
    private final class PassphraseAttempts implements FilePasswordProvider {
        private final Path file;
        private final BooleanSupplier agentHoldsKey;
        int tried;
        boolean leftToAgent;

        PassphraseAttempts(Path file, BooleanSupplier agentHoldsKey) {
            this.file = file;
            this.agentHoldsKey = agentHoldsKey;
        }

        @Override
        public String getPassword(SessionContext session, NamedResource resource, int retryIndex) {
            if (retryIndex == 0 && agentHoldsKey.getAsBoolean()) {
                leftToAgent = true;
                return null;
            }
            Optional<String> passphrase = passphrases.attempt(file, retryIndex);
            if (passphrase.isPresent()) tried++;
            return passphrase.orElse(null);
        }

        @Override
        public ResourceDecodeResult handleDecodeAttemptResult(SessionContext session, NamedResource resource, int retryIndex,
                String password, Exception failure) {
            return failure == null ? ResourceDecodeResult.TERMINATE : ResourceDecodeResult.RETRY;
        }
    }
}

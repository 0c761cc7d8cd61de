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
import java.util.stream.Collectors;
import javax.security.auth.login.FailedLoginException;
import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.session.SessionContext;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/**
 * Private key files for public-key authentication, each read once per run with MINA's loaders (OpenSSH and
 * PEM formats); an encrypted one is decrypted with a passphrase from {@link Passphrases}, once.
 */
final class ClientIdentities {
    /** A key file as loaded: its key pairs, or why it could not be used. publicKey: from the file, or its .pub when it is not readable. */
    record Identity(Path file, List<KeyPair> keys, Optional<PublicKey> publicKey, String problem) {
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
            Identity identity = load(hop.requiredIdentity().get());
            if (!identity.usable()) {
                throw new SshException(SshException.Kind.AUTH_FAILED,
                        "cannot use identity file " + identity.file() + " for " + hop.label() + ": " + identity.problem());
            }
            identities.add(identity);
        }
        for (Path file : hop.identityFiles()) {
            if (Files.exists(file) || Files.exists(publicKeyFile(file))) identities.add(load(file));
        }
        return identities;
    }

    /** For an authentication failure: which keys were offered, and which files were left out and why. */
    static String describe(List<Identity> identities) {
        if (identities.isEmpty()) return "no identity file was given for it and no default one exists";
        String tried = identities.stream().filter(Identity::usable)
                .map(identity -> identity.file() + " (" + identity.keys().stream()
                        .map(key -> KnownHostsVerifier.describe(key.getPublic())).collect(Collectors.joining(", ")) + ")")
                .collect(Collectors.joining("; "));
        String skipped = identities.stream().filter(identity -> !identity.usable())
                .map(identity -> identity.file() + ": " + identity.problem())
                .collect(Collectors.joining("; "));
        if (skipped.isEmpty()) return "tried " + tried;
        return (tried.isEmpty() ? "" : "tried " + tried + "; ") + "skipped " + skipped;
    }

    /** Serialised, so that each file is read, and its passphrase asked for, once, whatever the number of hosts. */
    private synchronized Identity load(Path file) {
        return loaded.computeIfAbsent(file.toAbsolutePath().normalize(), this::read);
    }

    private Identity read(Path file) {
        Optional<PublicKey> publicKey = readPublicKey(file);
        if (!Files.exists(file)) return new Identity(file, List.of(), publicKey, "no such file");
        PassphraseAttempts attempts = new PassphraseAttempts(file);
        try (InputStream in = Files.newInputStream(file)) {
            List<KeyPair> keys = new ArrayList<>();
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in, attempts);
            if (pairs != null) pairs.forEach(keys::add);
            if (keys.isEmpty()) return new Identity(file, List.of(), publicKey, "no private key found in it");
            return new Identity(file, List.copyOf(keys), Optional.of(keys.get(0).getPublic()), null);
        } catch (Exception e) {
            if (attempts.tried > 0) {
                return new Identity(file, List.of(), publicKey, "the passphrase from " + passphrases.sources() + " does not decrypt it");
            }
            if (e instanceof FailedLoginException) { // MINA's "no password data": encrypted, and nothing to try
                return new Identity(file, List.of(), publicKey, "it is encrypted and no passphrase was given (set "
                        + Passphrases.ENVIRONMENT_VARIABLE + ", or run rig on a terminal to be asked)");
            }
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Identity(file, List.of(), publicKey, reason);
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

    /** MINA's passphrase callback for one file: asks {@link Passphrases} for attempt after attempt until one decrypts it. */
    private final class PassphraseAttempts implements FilePasswordProvider {
        private final Path file;
        int tried;

        PassphraseAttempts(Path file) {
            this.file = file;
        }

        @Override
        public String getPassword(SessionContext session, NamedResource resource, int retryIndex) {
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

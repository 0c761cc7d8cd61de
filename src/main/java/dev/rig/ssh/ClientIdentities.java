package dev.rig.ssh;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.stream.Collectors;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.io.resource.PathResource;
import org.apache.sshd.common.util.security.SecurityUtils;

/** Private key files for public-key authentication, each read once per run with MINA's loaders (OpenSSH and PEM formats). */
final class ClientIdentities {
    /** A key file as loaded: its key pairs, or why it could not be used. */
    record Identity(Path file, List<KeyPair> keys, String problem) {
        boolean usable() {
            return problem == null;
        }
    }

    private final List<Path> defaults;
    private final ConcurrentMap<Path, Identity> loaded = new ConcurrentHashMap<>();

    ClientIdentities(List<Path> defaults) {
        this.defaults = List.copyOf(defaults);
    }

    /**
     * The target's own identity file, which must load, or else the default files that exist. Unusable
     * defaults are kept (not offered) so that an authentication failure can say why they were left out.
     */
    List<Identity> forTarget(SshTarget target) throws SshException {
        if (target.identityFile().isPresent()) {
            Identity identity = load(target.identityFile().get());
            if (!identity.usable()) {
                throw new SshException(SshException.Kind.AUTH_FAILED,
                        "cannot use identity file " + identity.file() + " for " + target.label() + ": " + identity.problem());
            }
            return List.of(identity);
        }
        List<Identity> identities = new ArrayList<>();
        for (Path file : defaults) {
            if (Files.exists(file)) identities.add(load(file));
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

    private Identity load(Path file) {
        return loaded.computeIfAbsent(file.toAbsolutePath().normalize(), ClientIdentities::read);
    }

    private static Identity read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<KeyPair> keys = new ArrayList<>();
            // No passphrase provider: an encrypted key fails here (agent support is a later issue).
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, new PathResource(file), in, FilePasswordProvider.EMPTY);
            if (pairs != null) pairs.forEach(keys::add);
            if (keys.isEmpty()) return new Identity(file, List.of(), "no private key found in it");
            return new Identity(file, List.copyOf(keys), null);
        } catch (Exception e) {
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Identity(file, List.of(), reason);
        }
    }
}

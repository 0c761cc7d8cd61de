package dev.rig.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Where and as whom to log in. name is the inventory's host name, used in messages; address is what
 * is connected to and looked up in known_hosts. Without an identityFile the transport's default
 * identities are offered. connectTimeout bounds connecting, the host key check and authentication together.
 */
public record SshTarget(String name, String address, int port, String user, Optional<Path> identityFile, Duration connectTimeout) {
    public SshTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(identityFile, "identityFile");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        if (port < 1 || port > 65535) throw new IllegalArgumentException("port out of range for " + name + ": " + port);
        if (connectTimeout.isNegative() || connectTimeout.isZero()) {
            throw new IllegalArgumentException("connect timeout for " + name + " must be positive: " + connectTimeout);
        }
    }

    /** "lab1 (127.0.0.11:22)": how messages name the host. */
    public String label() {
        return name + " (" + address + ":" + port + ")";
    }
}

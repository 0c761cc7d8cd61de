package dev.rig.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * A host to connect to, as the inventory and rig's command line describe it; what is left empty comes from
 * ssh_config and then from OpenSSH's defaults. name is the inventory's host name, used in messages. host is
 * what `ssh HOST` would be given (ansible_host, else the inventory name, as Ansible passes it): ssh_config's
 * Host patterns match it, and its HostName, if any, replaces it. port, user and identityFile override
 * ssh_config's; identityFile (the inventory's or --private-key) must load, and is offered before ssh_config's
 * IdentityFile entries. connectTimeout bounds connecting, the host key check and authentication together.
 * options are the inventory's ssh command-line options (ansible_ssh_common_args/extra_args): below the
 * values above and rig's own options, above ssh_config.
 */
public record SshTarget(String name, String host, Optional<Integer> port, Optional<String> user,
                        Optional<Path> identityFile, Optional<Duration> connectTimeout, SshOptions options) {
    public SshTarget {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(identityFile, "identityFile");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(options, "options");
        port.ifPresent(number -> {
            if (number < 1 || number > 65535) throw new IllegalArgumentException("port out of range for " + name + ": " + number);
        });
        connectTimeout.ifPresent(timeout -> {
            if (timeout.isNegative() || timeout.isZero()) {
                throw new IllegalArgumentException("connect timeout for " + name + " must be positive: " + timeout);
            }
        });
    }

    /** A host with no ssh command-line options. */
    public SshTarget(String name, String host, Optional<Integer> port, Optional<String> user, Optional<Path> identityFile,
            Optional<Duration> connectTimeout) {
        this(name, host, port, user, identityFile, connectTimeout, SshOptions.NONE);
    }

    /** A host given completely, leaving to ssh_config only what it adds (HostName, ProxyJump, known_hosts...). */
    public static SshTarget of(String name, String host, int port, String user, Optional<Path> identityFile, Duration connectTimeout) {
        return new SshTarget(name, host, Optional.of(port), Optional.of(user), identityFile, Optional.of(connectTimeout));
    }
}

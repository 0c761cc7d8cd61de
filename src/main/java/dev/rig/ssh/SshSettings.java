package dev.rig.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * What holds for every connection of a run. Each Optional left empty defers to ssh_config, host by host:
 * knownHosts (--known-hosts) to UserKnownHostsFile, hostKeyPolicy (--accept-new-host-keys) to
 * StrictHostKeyChecking, connectTimeout (--connect-timeout) to ConnectTimeout. defaultIdentities are
 * offered to hosts for which neither the inventory nor ssh_config names an identity file. agentSocket
 * ($SSH_AUTH_SOCK) is the ssh-agent used unless ssh_config's IdentityAgent says otherwise.
 */
public record SshSettings(SshConfig config, Optional<Path> knownHosts, Optional<HostKeyPolicy> hostKeyPolicy,
                          List<Path> defaultIdentities, Optional<Duration> connectTimeout, Optional<Path> agentSocket,
                          Passphrases passphrases) {
    public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

    public SshSettings {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(hostKeyPolicy, "hostKeyPolicy");
        defaultIdentities = List.copyOf(defaultIdentities);
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(agentSocket, "agentSocket");
        Objects.requireNonNull(passphrases, "passphrases");
    }

    /** One known_hosts file and policy for every host, no ssh_config, no agent, no passphrases: what the transport tests use. */
    public static SshSettings of(Path knownHosts, HostKeyPolicy policy, List<Path> defaultIdentities) {
        return new SshSettings(SshConfig.NONE, Optional.of(knownHosts), Optional.of(policy), defaultIdentities,
                Optional.empty(), Optional.empty(), Passphrases.NONE);
    }

    /** $SSH_AUTH_SOCK, when set: the agent OpenSSH would use. */
    public static Optional<Path> agentSocketFromEnvironment() {
        String socket = System.getenv("SSH_AUTH_SOCK");
        return socket == null || socket.isBlank() ? Optional.empty() : Optional.of(Path.of(socket));
    }

    /** ~/.ssh/known_hosts, OpenSSH's default. */
    public static Path userKnownHosts() {
        return Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
    }

    public SshSettings withConfig(SshConfig other) {
        return new SshSettings(other, knownHosts, hostKeyPolicy, defaultIdentities, connectTimeout, agentSocket, passphrases);
    }

    public SshSettings withAgentSocket(Optional<Path> socket) {
        return new SshSettings(config, knownHosts, hostKeyPolicy, defaultIdentities, connectTimeout, socket, passphrases);
    }
}

package dev.rig.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.sshd.client.config.hosts.HostConfigEntry;

/**
 * Everything decided for one SSH connection, the target's or a ProxyJump hop's: from the command line, the
 * inventory (for the target only: its connection variables, then its ssh -o options), ssh_config, then
 * OpenSSH's defaults, in that order of precedence.
 *
 * @param name            how messages name it: the inventory host, or the jump host as ProxyJump names it
 * @param requiredIdentity an identity file that must load (the inventory's or --private-key); tried first
 * @param identityFiles   further identity files (ssh_config's IdentityFile, else ~/.ssh/id_*); missing ones are skipped
 * @param identitiesOnly  IdentitiesOnly: offer agent keys only when they belong to one of the identity files
 * @param hostKeyName     the name known_hosts knows the host by: HostKeyAlias, else the HostName
 * @param serverAlive     ServerAliveInterval (empty: rig's own unanswered heartbeat) and ServerAliveCountMax
 * @param agentSocket     the ssh-agent to use (IdentityAgent, else $SSH_AUTH_SOCK); empty: none
 * @param proxyCommand    ProxyCommand, its %-tokens not yet expanded: the connection is made over its stdin and stdout
 */
record HopConfig(String name, String hostName, int port, String user, Optional<Path> requiredIdentity,
                 List<Path> identityFiles, boolean identitiesOnly, Path knownHosts, HostKeyPolicy policy,
                 String hostKeyName, Duration connectTimeout, Optional<ServerAlive> serverAlive, Optional<Path> agentSocket,
                 Optional<String> proxyCommand) {
    /** ServerAliveInterval and ServerAliveCountMax: drop the connection after count unanswered probes. */
    record ServerAlive(Duration interval, int count) {}

    private static final int DEFAULT_SERVER_ALIVE_COUNT = 3;

    /** "lab1 (127.0.0.11:22)": how messages name the host. */
    String label() {
        return name + " (" + hostName + ":" + port + ")";
    }

    /** Every identity file, the required one first. */
    List<Path> allIdentityFiles() {
        List<Path> all = new ArrayList<>();
        requiredIdentity.ifPresent(all::add);
        all.addAll(identityFiles);
        return all;
    }

    /**
     * The settings for entry, which ssh_config resolved (and the caller may have overridden from the
     * inventory). Throws IllegalArgumentException naming the host and keyword for a value rig cannot use.
     */
    static HopConfig of(String name, HostConfigEntry entry, SshSettings settings, Optional<Path> requiredIdentity,
            Optional<Duration> connectTimeout) {
        return of(name, entry, settings, requiredIdentity, connectTimeout, SshOptions.NONE);
    }

    /** As above, with the target's ssh command-line options between the settings and ssh_config. */
    static HopConfig of(String name, HostConfigEntry entry, SshSettings settings, Optional<Path> requiredIdentity,
            Optional<Duration> connectTimeout, SshOptions options) {
        Optional<String> proxyCommand = proxyCommand(name, entry, options);
        List<Path> identityFiles = entry.getIdentities().stream().map(Path::of).toList();
        if (requiredIdentity.isEmpty() && identityFiles.isEmpty()) identityFiles = settings.defaultIdentities();
        Path knownHosts = settings.knownHosts().or(options::knownHosts)
                .or(() -> firstWord(entry.getProperty("UserKnownHostsFile")).map(SshConfig::expandHome))
                .orElseGet(SshSettings::userKnownHosts);
        HostKeyPolicy policy = settings.hostKeyPolicy().or(options::hostKeyPolicy)
                .orElseGet(() -> strictHostKeyChecking(name, entry.getProperty("StrictHostKeyChecking")));
        Duration timeout = connectTimeout.or(settings::connectTimeout).or(options::connectTimeout)
                .or(() -> seconds(name, "ConnectTimeout", entry.getProperty("ConnectTimeout")).filter(d -> !d.isZero()))
                .orElse(SshSettings.DEFAULT_CONNECT_TIMEOUT);
        Optional<ServerAlive> serverAlive = options.serverAliveInterval()
                .or(() -> seconds(name, "ServerAliveInterval", entry.getProperty("ServerAliveInterval")))
                .filter(interval -> !interval.isZero())
                .map(interval -> new ServerAlive(interval, options.serverAliveCountMax()
                        .orElseGet(() -> count(name, entry.getProperty("ServerAliveCountMax")))));
        String hostKeyName = Optional.ofNullable(entry.getProperty("HostKeyAlias")).orElse(entry.getHostName());
        return new HopConfig(name, entry.getHostName(), entry.getPort(), entry.getUsername(), requiredIdentity, identityFiles,
                entry.isIdentitiesOnly(), knownHosts, policy, hostKeyName, timeout, serverAlive,
                agentSocket(entry.getProperty(HostConfigEntry.IDENTITY_AGENT), settings), proxyCommand);
    }

    /**
     * The command-line options' ProxyCommand (which, as ssh's first value, also beats ssh_config's ProxyJump), else
     * ssh_config's. ssh uses whichever of ProxyJump and ProxyCommand it reads first; in one ssh_config entry rig
     * cannot see that order, so both there is an error rather than a guess.
     */
    private static Optional<String> proxyCommand(String name, HostConfigEntry entry, SshOptions options) {
        if (options.proxyCommand().isPresent()) return options.proxyCommand().filter(command -> !command.equalsIgnoreCase("none"));
        if (options.proxyJump().isPresent()) return Optional.empty();
        Optional<String> configured = Optional.ofNullable(entry.getProperty("ProxyCommand")).map(String::strip)
                .filter(command -> !command.isEmpty() && !command.equalsIgnoreCase("none"));
        String jump = entry.getProxyJump();
        if (configured.isPresent() && jump != null && !jump.isBlank() && !jump.equalsIgnoreCase("none")) {
            throw new IllegalArgumentException("both ProxyJump and ProxyCommand are set for " + name
                    + ": ssh uses whichever it reads first, which rig cannot tell here; keep one");
        }
        return configured;
    }

    /** OpenSSH's yes and ask refuse unknown keys here (rig never asks); accept-new, and no, trust and record them. */
    static HostKeyPolicy strictHostKeyChecking(String host, String value) {
        if (value == null) return HostKeyPolicy.STRICT;
        return switch (value.toLowerCase(Locale.ROOT)) {
            case "yes", "true", "ask" -> HostKeyPolicy.STRICT;
            // "no" would also let OpenSSH connect to a host whose key changed; rig refuses that always.
            case "accept-new", "no", "false", "off" -> HostKeyPolicy.ACCEPT_NEW;
            default -> throw new IllegalArgumentException("StrictHostKeyChecking for " + host + " must be yes, accept-new, no or ask, found '" + value + "'");
        };
    }

    /** IdentityAgent: none, SSH_AUTH_SOCK (the environment's), or a socket path. */
    private static Optional<Path> agentSocket(String identityAgent, SshSettings settings) {
        if (identityAgent == null || identityAgent.equals("SSH_AUTH_SOCK")) return settings.agentSocket();
        if (identityAgent.equalsIgnoreCase("none")) return Optional.empty();
        return Optional.of(SshConfig.expandHome(identityAgent));
    }

    private static Optional<Duration> seconds(String host, String keyword, String value) {
        if (value == null) return Optional.empty();
        try {
            long seconds = Long.parseLong(value.strip());
            if (seconds >= 0) return Optional.of(Duration.ofSeconds(seconds));
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException(keyword + " for " + host + " must be a number of seconds, found '" + value + "'");
    }

    private static int count(String host, String value) {
        if (value == null) return DEFAULT_SERVER_ALIVE_COUNT;
        try {
            int count = Integer.parseInt(value.strip());
            if (count > 0) return count;
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("ServerAliveCountMax for " + host + " must be a positive number, found '" + value + "'");
    }

    /** MINA joins a keyword's words with commas; UserKnownHostsFile may list several files, of which rig uses the first. */
    private static Optional<String> firstWord(String value) {
        if (value == null || value.isBlank()) return Optional.empty();
        return Optional.of(value.split(",")[0].strip());
    }

}

package dev.rig.ssh;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The {@code -o Keyword=value} options of an ssh command line that rig honours (Ansible's
 * ansible_ssh_common_args / ansible_ssh_extra_args). As on ssh's command line they apply to the target only,
 * above ssh_config and below what rig's own options and the inventory's connection variables set (Ansible
 * passes ansible_port, ansible_user and the key file to ssh before these, and ssh keeps the first value).
 * An empty value leaves the keyword to ssh_config.
 *
 * @param proxyJump       ProxyJump; "none" cancels ssh_config's
 * @param proxyCommand    ProxyCommand; "none" cancels ssh_config's. ProxyJump and ProxyCommand exclude each other: as in
 *                        ssh, whichever comes first is used and the other ignored (so at most one of the two is present)
 * @param identityFiles   IdentityFile, every one given (ssh tries them all), before ssh_config's
 * @param serverAliveInterval ServerAliveInterval; zero turns ssh_config's off
 */
public record SshOptions(Optional<String> proxyJump, Optional<Integer> port, Optional<String> user, List<Path> identityFiles,
                         Optional<HostKeyPolicy> hostKeyPolicy, Optional<Path> knownHosts, Optional<Duration> serverAliveInterval,
                         Optional<Integer> serverAliveCountMax, Optional<Duration> connectTimeout, Optional<String> proxyCommand) {
    public static final SshOptions NONE = new SshOptions(Optional.empty(), Optional.empty(), Optional.empty(), List.of(),
            Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty());

    /** The keywords rig honours, by their lower-case spelling (ssh compares keywords case-insensitively). */
    private static final Map<String, String> KEYWORDS = new TreeMap<>();

    static {
        for (String keyword : List.of("ProxyJump", "ProxyCommand", "Port", "User", "IdentityFile", "StrictHostKeyChecking", "UserKnownHostsFile",
                "ServerAliveInterval", "ServerAliveCountMax", "ConnectTimeout")) {
            KEYWORDS.put(keyword.toLowerCase(Locale.ROOT), keyword);
        }
    }

    public SshOptions {
        Objects.requireNonNull(proxyJump, "proxyJump");
        Objects.requireNonNull(port, "port");
        Objects.requireNonNull(user, "user");
        identityFiles = List.copyOf(identityFiles);
        Objects.requireNonNull(hostKeyPolicy, "hostKeyPolicy");
        Objects.requireNonNull(knownHosts, "knownHosts");
        Objects.requireNonNull(serverAliveInterval, "serverAliveInterval");
        Objects.requireNonNull(serverAliveCountMax, "serverAliveCountMax");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(proxyCommand, "proxyCommand");
        if (proxyJump.isPresent() && proxyCommand.isPresent()) throw new IllegalArgumentException("ProxyJump and ProxyCommand exclude each other");
    }

    /** The keywords rig honours, as OpenSSH spells them, for messages. */
    public static List<String> keywords() {
        return List.copyOf(KEYWORDS.values());
    }

    /** Builds options from keyword/value pairs in command-line order: as in ssh, a keyword's first value wins. */
    public static final class Builder {
        private Optional<String> proxyJump = Optional.empty();
        private Optional<Integer> port = Optional.empty();
        private Optional<String> user = Optional.empty();
        private final List<Path> identityFiles = new ArrayList<>();
        private Optional<HostKeyPolicy> hostKeyPolicy = Optional.empty();
        private Optional<Path> knownHosts = Optional.empty();
        private Optional<Duration> serverAliveInterval = Optional.empty();
        private Optional<Integer> serverAliveCountMax = Optional.empty();
        private Optional<Duration> connectTimeout = Optional.empty();
        private Optional<String> proxyCommand = Optional.empty();

        /**
         * One {@code -o keyword=value}.
         *
         * @throws IllegalArgumentException naming the keyword when rig does not honour it or the value is unusable
         */
        public Builder set(String keyword, String rawValue) {
            String canonical = KEYWORDS.get(keyword.toLowerCase(Locale.ROOT));
            if (canonical == null) {
                throw new IllegalArgumentException("ssh option " + keyword + " is not supported: rig applies only " + String.join(", ", keywords()));
            }
            String value = unquoted(rawValue.strip());
            if (value.isEmpty()) throw new IllegalArgumentException("ssh option " + canonical + " has no value");
            switch (canonical) {
                // ssh uses the first of ProxyJump and ProxyCommand it reads and ignores the other.
                case "ProxyJump" -> proxyJump = proxyJump.or(() -> proxyCommand.isPresent() ? Optional.empty() : Optional.of(value));
                case "ProxyCommand" -> proxyCommand = proxyCommand.or(() -> proxyJump.isPresent() ? Optional.empty() : Optional.of(value));
                case "Port" -> port = port.or(() -> Optional.of(portNumber(value)));
                case "User" -> user = user.or(() -> Optional.of(value));
                case "IdentityFile" -> identityFiles.add(SshConfig.expandHome(value));
                case "StrictHostKeyChecking" -> hostKeyPolicy = hostKeyPolicy.or(() -> Optional.of(policy(value)));
                case "UserKnownHostsFile" -> knownHosts = knownHosts.or(() -> Optional.of(SshConfig.expandHome(value.split("\\s+")[0])));
                case "ServerAliveInterval" -> serverAliveInterval = serverAliveInterval.or(() -> Optional.of(Duration.ofSeconds(number(canonical, value, 0))));
                case "ServerAliveCountMax" -> serverAliveCountMax = serverAliveCountMax.or(() -> Optional.of((int) number(canonical, value, 1)));
                case "ConnectTimeout" -> {
                    long seconds = number(canonical, value, 0);
                    // ssh's ConnectTimeout=0 means "the system's default": leave it to ssh_config and rig's default
                    if (seconds > 0) connectTimeout = connectTimeout.or(() -> Optional.of(Duration.ofSeconds(seconds)));
                }
                default -> throw new IllegalStateException(canonical);
            }
            return this;
        }

        public SshOptions build() {
            return new SshOptions(proxyJump, port, user, identityFiles, hostKeyPolicy, knownHosts, serverAliveInterval,
                    serverAliveCountMax, connectTimeout, proxyCommand);
        }

        private static HostKeyPolicy policy(String value) {
            try {
                return HopConfig.strictHostKeyChecking("the target", value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("ssh option StrictHostKeyChecking must be yes, accept-new, no or ask, found '" + value + "'", e);
            }
        }

        private static int portNumber(String value) {
            if (value.matches("\\d{1,5}")) {
                int number = Integer.parseInt(value);
                if (number >= 1 && number <= 65535) return number;
            }
            throw new IllegalArgumentException("ssh option Port must be a port number from 1 to 65535, found '" + value + "'");
        }

        private static long number(String keyword, String value, long least) {
            if (value.matches("\\d{1,9}") && Long.parseLong(value) >= least) return Long.parseLong(value);
            throw new IllegalArgumentException("ssh option " + keyword + " must be a whole number" + (least > 0 ? " from " + least : "")
                    + ", found '" + value + "'");
        }

        /** ssh reads Keyword="value" with the quotes removed; Ansible itself writes IdentityFile="...". */
        private static String unquoted(String value) {
            return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"") ? value.substring(1, value.length() - 1) : value;
        }
    }
}

package dev.rig.cli;

import dev.rig.ssh.HostKeyPolicy;
import dev.rig.ssh.Passphrases;
import dev.rig.ssh.SshConfig;
import dev.rig.ssh.SshSettings;
import dev.rig.ssh.SshTransport;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Option groups shared by the commands, as picocli mixins. */
final class Options {
    private Options() {}

    static final class InventoryOptions {
        /** The first -i, for messages and saved plans; {@link #sources} holds them all. */
        Path inventory = Path.of("inventory");
        List<Path> sources = List.of(inventory);

        @Option(names = {"-i", "--inventory"}, paramLabel = "INVENTORY",
                description = "Inventory file (YAML or INI), directory or host list (a,b,); repeat to merge several, as Ansible. Default: inventory")
        void sources(List<Path> values) {
            if (values.isEmpty()) return; // picocli's initial call, before any -i
            sources = List.copyOf(values);
            inventory = values.get(0);
        }

        String limit;

        @Option(names = {"-l", "--limit"}, paramLabel = "PATTERN",
                description = "Only hosts matching this pattern (web:&prod, all:!db, web*, web[0:2]); @FILE: the host names or patterns in FILE, one a line")
        void limit(String pattern) {
            limit = dev.rig.inventory.Inventory.expandLimitFiles(pattern);
        }

        @Option(names = "--vault-id", paramLabel = "LABEL@SOURCE", description = "A vault password: LABEL@FILE (a script when executable), LABEL@prompt, or FILE; repeatable")
        List<String> vaultIds = new ArrayList<>();

        @Option(names = "--vault-password-file", paramLabel = "FILE", description = "The vault password's file (a script when executable); repeatable")
        List<Path> vaultPasswordFiles = new ArrayList<>();

        @Option(names = {"-J", "--ask-vault-pass"}, description = "Ask for the vault password on the terminal (not echoed)")
        boolean askVaultPass;

        /** The vault passwords of these options and $ANSIBLE_VAULT_IDENTITY_LIST / $ANSIBLE_VAULT_PASSWORD_FILE. */
        dev.rig.vault.VaultPasswords vault() {
            try {
                return dev.rig.vault.VaultPasswords.from(vaultIds, vaultPasswordFiles, askVaultPass, System.getenv());
            } catch (IllegalArgumentException e) {
                throw new dev.rig.core.InvalidInputException(new dev.rig.core.Source("vault password", 0, 0), e.getMessage());
            }
        }

        /** What a command with these options and playbooks loads (every command loads through Inputs). */
        dev.rig.load.Inputs.Request request(List<String> extraVars, List<Path> playbooks) {
            return dev.rig.load.Inputs.Request.of(inventory, limit, extraVars, playbooks).withInventories(sources).withVault(vault());
        }
    }

    static final class RunOptions {
        @Option(names = {"-t", "--tags"}, split = ",", paramLabel = "TAGS", description = "Only tasks with these tags (and 'always')")
        List<String> tags = new ArrayList<>();

        @Option(names = "--skip-tags", split = ",", paramLabel = "TAGS", description = "Skip tasks with these tags")
        List<String> skipTags = new ArrayList<>();

        @Option(names = {"-e", "--extra-vars"}, paramLabel = "KEY=VALUE", description = "Extra variables, highest precedence: KEY=VALUE, @file.yml or a YAML/JSON map")
        List<String> extraVars = new ArrayList<>();

        @Option(names = {"-f", "--forks"}, paramLabel = "N", description = "Hosts worked on in parallel (default: all hosts, at most 64)")
        Integer forks;

        @Option(names = "--json", description = "One JSON event per line instead of text")
        boolean json;

        @Option(names = "--lock-timeout", paramLabel = "SECONDS", defaultValue = "60",
                description = "apply: how long to wait for another rig run's lock on a host before failing that host. Default: ${DEFAULT-VALUE}")
        int lockTimeout = 60;

        @Option(names = "--stats", description = "Print run statistics to stderr: SSH channels per host, wall time, peak heap (for benchmarks)")
        boolean stats;

        @Option(names = "--command-timeout", paramLabel = "SECONDS", defaultValue = "600", description = "Longest a single remote command may run. Default: ${DEFAULT-VALUE}")
        int commandTimeout;

        /** These options with other tags (a command running part of the playbooks first: rig recover's Docker step). */
        RunOptions withTags(List<String> only) {
            return withTags(only, skipTags);
        }

        /** A copy with other tags and skipped tags (a saved plan's own); this object is never changed. */
        RunOptions withTags(List<String> only, List<String> skipped) {
            RunOptions o = new RunOptions();
            o.tags = new ArrayList<>(only);
            o.skipTags = new ArrayList<>(skipped);
            o.extraVars = extraVars;
            o.forks = forks;
            o.json = json;
            o.lockTimeout = lockTimeout;
            o.stats = stats;
            o.commandTimeout = commandTimeout;
            return o;
        }
    }

    static final class SshOptions {
        @Option(names = {"-F", "--ssh-config"}, paramLabel = "FILE",
                description = "OpenSSH client config to read (default ~/.ssh/config when it exists); the inventory's connection variables win over it")
        Path sshConfig;

        @Option(names = "--known-hosts", paramLabel = "FILE", description = "known_hosts file to verify host keys against (default: ssh_config's UserKnownHostsFile, else ~/.ssh/known_hosts)")
        Path knownHosts;

        @Option(names = "--accept-new-host-keys", description = "Trust and record keys of hosts not yet in known_hosts, for every host (like StrictHostKeyChecking=accept-new). Changed keys are always refused.")
        boolean acceptNew;

        @Option(names = {"-u", "--user"}, paramLabel = "USER", description = "Remote user when the inventory sets none (wins over ssh_config's User)")
        String user;

        @Option(names = "--private-key", paramLabel = "FILE", description = "Private key when the inventory sets none (tried before ssh_config's IdentityFile)")
        Path privateKey;

        @Option(names = "--connect-timeout", paramLabel = "SECONDS", description = "Connect and authenticate timeout (default: ssh_config's ConnectTimeout, else 10)")
        Integer connectTimeout;

        /** What these options, ssh_config, $SSH_AUTH_SOCK and $RIG_SSH_KEY_PASSPHRASE say for every connection. */
        SshSettings settings() {
            return new SshSettings(sshConfig != null ? SshConfig.load(sshConfig) : SshConfig.userDefault(),
                    Optional.ofNullable(knownHosts), acceptNew ? Optional.of(HostKeyPolicy.ACCEPT_NEW) : Optional.empty(),
                    SshTransport.defaultIdentityFiles(), Optional.ofNullable(connectTimeout).map(Duration::ofSeconds),
                    SshSettings.agentSocketFromEnvironment(), Passphrases.fromEnvironmentAndTerminal());
        }
    }

    private static final java.util.regex.Pattern DURATION = java.util.regex.Pattern.compile("(\\d+)(ms|s|m|h)");

    /** A duration option's value: 30s, 2m, 1h, 500ms. */
    static Duration duration(String option, String text) {
        java.util.regex.Matcher m = DURATION.matcher(text.strip());
        if (!m.matches()) throw new dev.rig.core.InvalidInputException(new dev.rig.core.Source(option + " " + text, 0, 0), "expected a duration such as 30s, 2m or 1h");
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}

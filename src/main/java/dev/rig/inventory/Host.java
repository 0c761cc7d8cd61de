package dev.rig.inventory;

import dev.rig.ssh.SshOptions;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A host and its merged inventory variables.
 *
 * @param vars   merged inventory variables in precedence order (see {@link InventoryLoader}), unmodifiable
 * @param groups every group the host belongs to, directly or through children, including "all",
 *               sorted by depth then name
 */
public record Host(String name, Map<String, Object> vars, List<String> groups) {
    public Host {
        vars = Collections.unmodifiableMap(new LinkedHashMap<>(vars)); // values may be null, so not Map.copyOf
        groups = List.copyOf(groups);
    }

    /** ansible_host, else ansible_ssh_host, else the inventory name. */
    public String address() {
        return text(ConnectionVars.HOST).or(() -> text(ConnectionVars.SSH_HOST)).orElse(name);
    }

    /** ansible_port, else ansible_ssh_port, else 22. */
    public int port() {
        for (String name : List.of(ConnectionVars.PORT, ConnectionVars.SSH_PORT)) {
            Object port = vars.get(name);
            if (port != null) return ConnectionVars.port(name, port);
        }
        return ConnectionVars.DEFAULT_PORT;
    }

    /** ansible_user, else ansible_ssh_user. */
    public Optional<String> user() {
        return text(ConnectionVars.USER).or(() -> text(ConnectionVars.SSH_USER));
    }

    /** ansible_ssh_private_key_file, else ansible_private_key_file; as written (a leading ~ is not expanded). */
    public Optional<String> privateKeyFile() {
        return text(ConnectionVars.PRIVATE_KEY_FILE).or(() -> text(ConnectionVars.PRIVATE_KEY_FILE_SHORT));
    }

    /** ansible_become: a boolean or one of Ansible's boolean words (yes, true, on...); false when unset. */
    public boolean become() {
        Object become = vars.get(ConnectionVars.BECOME);
        return become != null && ConnectionVars.bool(ConnectionVars.BECOME, become);
    }

    /** ansible_become_user, else root. */
    public String becomeUser() {
        return text(ConnectionVars.BECOME_USER).orElse(ConnectionVars.DEFAULT_BECOME_USER);
    }

    /** ansible_become_password, else ansible_become_pass. */
    public Optional<String> becomePassword() {
        return text(ConnectionVars.BECOME_PASSWORD).or(() -> text(ConnectionVars.BECOME_PASS));
    }

    /**
     * The ssh options of ansible_ssh_common_args, then ansible_ssh_extra_args, as ssh would read them (the
     * loader has checked them where they are written).
     */
    public SshOptions sshOptions() {
        List<String> args = new java.util.ArrayList<>();
        // Ansible puts -o StrictHostKeyChecking=no before these args when host key checking is off, so it wins over them.
        if (!hostKeyChecking()) args.add("-o StrictHostKeyChecking=no");
        text(ConnectionVars.SSH_COMMON_ARGS).ifPresent(args::add);
        text(ConnectionVars.SSH_EXTRA_ARGS).ifPresent(args::add);
        return args.isEmpty() ? SshOptions.NONE : SshArgs.parse(args);
    }

    /** ansible_host_key_checking (else ansible_ssh_host_key_checking); true when unset. */
    public boolean hostKeyChecking() {
        for (String name : List.of(ConnectionVars.HOST_KEY_CHECKING, ConnectionVars.SSH_HOST_KEY_CHECKING)) {
            Object value = vars.get(name);
            if (value != null) return ConnectionVars.bool(name, value);
        }
        return true;
    }

    /** ansible_timeout (else ansible_ssh_timeout): how long connecting and logging in may take, above --connect-timeout and ssh_config. */
    public Optional<java.time.Duration> connectTimeout() {
        for (String name : List.of(ConnectionVars.TIMEOUT, ConnectionVars.SSH_TIMEOUT)) {
            Object value = vars.get(name);
            if (value != null) return Optional.of(java.time.Duration.ofSeconds(ConnectionVars.timeout(name, value)));
        }
        return Optional.empty();
    }

    /** A variable as text; YAML may have made it a number (a port, a numeric password). */
    private Optional<String> text(String variable) {
        return Optional.ofNullable(vars.get(variable)).map(String::valueOf);
    }
}

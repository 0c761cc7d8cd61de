package dev.rig.inventory;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Ansible's connection variable names and how their values are read. The loader checks values
 * with these same methods, so a bad value is reported at load time with its position.
 */
public final class ConnectionVars {
    static final String HOST = "ansible_host";
    static final String SSH_HOST = "ansible_ssh_host";
    static final String PORT = "ansible_port";
    static final String SSH_PORT = "ansible_ssh_port";
    static final String USER = "ansible_user";
    static final String SSH_USER = "ansible_ssh_user";
    static final String PRIVATE_KEY_FILE = "ansible_ssh_private_key_file";
    static final String PRIVATE_KEY_FILE_SHORT = "ansible_private_key_file";
    static final String BECOME = "ansible_become";
    static final String BECOME_USER = "ansible_become_user";
    static final String BECOME_PASSWORD = "ansible_become_password";
    static final String BECOME_PASS = "ansible_become_pass";
    static final String CONNECTION = "ansible_connection";
    static final String SSH_COMMON_ARGS = "ansible_ssh_common_args";
    static final String SSH_EXTRA_ARGS = "ansible_ssh_extra_args";
    static final String SSH_ARGS = "ansible_ssh_args";
    static final String TIMEOUT = "ansible_timeout";
    static final String SSH_TIMEOUT = "ansible_ssh_timeout";
    static final String HOST_KEY_CHECKING = "ansible_host_key_checking";
    static final String SSH_HOST_KEY_CHECKING = "ansible_ssh_host_key_checking";
    static final String BECOME_METHOD = "ansible_become_method";
    /** Login passwords: rig logs in with keys only. */
    static final Set<String> LOGIN_PASSWORDS = Set.of("ansible_password", "ansible_ssh_pass", "ansible_ssh_password");

    /**
     * Every variable that decides how rig reaches a host. rig reads them from the inventory only, so one set
     * in -e or a play's vars (where Ansible would use it) is refused there rather than ignored.
     */
    public static final Set<String> ALL = Set.of(HOST, SSH_HOST, PORT, SSH_PORT, USER, SSH_USER, PRIVATE_KEY_FILE, PRIVATE_KEY_FILE_SHORT,
            BECOME, BECOME_USER, BECOME_PASSWORD, BECOME_PASS, CONNECTION, SSH_COMMON_ARGS, SSH_EXTRA_ARGS, SSH_ARGS, TIMEOUT,
            SSH_TIMEOUT, HOST_KEY_CHECKING, SSH_HOST_KEY_CHECKING, BECOME_METHOD, "ansible_password", "ansible_ssh_pass", "ansible_ssh_password");

    static final int DEFAULT_PORT = 22;
    static final String DEFAULT_BECOME_USER = "root";

    // The strings Ansible's boolean() filter accepts, compared case-insensitively.
    private static final Set<String> TRUE_WORDS = Set.of("yes", "on", "true", "t", "y", "1");
    private static final Set<String> FALSE_WORDS = Set.of("no", "off", "false", "f", "n", "0");

    private ConnectionVars() {}

    /** A port from an int or a numeric string. */
    static int port(String name, Object value) {
        if (value instanceof Integer number && isPort(number)) return number;
        if (value instanceof String text && text.trim().matches("\\d{1,5}")) {
            int number = Integer.parseInt(text.trim());
            if (isPort(number)) return number;
        }
        throw new IllegalArgumentException(name + " must be a port number from 1 to 65535, found '" + value + "'");
    }

    /** A boolean from a YAML boolean, 0/1, or one of Ansible's boolean words (yes/no, true/false, on/off...). */
    static boolean bool(String name, Object value) {
        if (value instanceof Boolean flag) return flag;
        String text = String.valueOf(value).trim().toLowerCase(Locale.ROOT);
        if (TRUE_WORDS.contains(text)) return true;
        if (FALSE_WORDS.contains(text)) return false;
        throw new IllegalArgumentException(name + " must be a boolean (true/false, yes/no), found '" + value + "'");
    }

    /** Throws IllegalArgumentException, with a message for the operator, when a connection variable's value is unusable. */
    static void check(String name, Object value) {
        if (value == null) return; // an empty value means "not set"
        switch (name) {
            case PORT, SSH_PORT -> port(name, value);
            case BECOME -> bool(name, value);
            case CONNECTION -> {
                // Ansible's "smart" and "paramiko" are SSH too; any other plugin (docker, winrm...) is refused, never ignored.
                if (!Set.of("ssh", "local", "smart", "paramiko", "paramiko_ssh").contains(String.valueOf(value))) {
                    throw new IllegalArgumentException(name + " '" + value + "' is not supported: rig connects with ssh or local only");
                }
            }
            case HOST_KEY_CHECKING, SSH_HOST_KEY_CHECKING -> bool(name, value);
            case TIMEOUT, SSH_TIMEOUT -> timeout(name, value);
            case BECOME_METHOD -> {
                if (!String.valueOf(value).equals("sudo")) {
                    throw new IllegalArgumentException(name + " '" + value + "' is not supported: rig becomes another user with sudo only");
                }
            }
            case SSH_ARGS -> {
                if (!String.valueOf(value).isBlank()) {
                    throw new IllegalArgumentException(name + " is not applied by rig (it replaces Ansible's own ssh defaults, ControlMaster"
                            + " and ControlPersist among them): put the options rig honours in ansible_ssh_common_args");
                }
            }
            case "ansible_password", "ansible_ssh_pass", "ansible_ssh_password" -> {
                if (!String.valueOf(value).isEmpty()) {
                    throw new IllegalArgumentException(name + " is not supported: rig logs in with keys only (ansible_ssh_private_key_file,"
                            + " ssh_config's IdentityFile, ssh-agent); ansible_become_password is for sudo");
                }
            }
            case SSH_COMMON_ARGS, SSH_EXTRA_ARGS -> {
                try {
                    SshArgs.parse(List.of(String.valueOf(value)));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
                }
            }
            default -> { }
        }
    }

    /** ansible_timeout: whole seconds, at least 1, as Ansible's ssh ConnectTimeout. */
    static int timeout(String name, Object value) {
        String text = String.valueOf(value).strip();
        if (text.matches("\\d{1,6}") && Integer.parseInt(text) > 0) return Integer.parseInt(text);
        throw new IllegalArgumentException(name + " must be a whole number of seconds from 1, found '" + value + "'");
    }

    private static boolean isPort(int number) {
        return number >= 1 && number <= 65535;
    }
}

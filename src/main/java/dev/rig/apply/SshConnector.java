package dev.rig.apply;

import dev.rig.inventory.Host;
import dev.rig.ssh.Connection;
import dev.rig.ssh.ExecResult;
import dev.rig.ssh.SshConfig;
import dev.rig.ssh.SshException;
import dev.rig.ssh.SshSettings;
import dev.rig.ssh.SshTarget;
import dev.rig.ssh.SshTransport;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Connections over MINA SSHD, one per host for the whole invocation: a plan followed by an apply
 * reuses them. A host that could not be reached stays unreachable for the run.
 */
public final class SshConnector implements Connector {
    private final SshTransport transport;
    private final String defaultUser;
    private final Path defaultKey;
    private final Map<String, Remote> open = new ConcurrentHashMap<>();
    private final Map<String, SshException> failed = new ConcurrentHashMap<>();

    /**
     * settings: what holds for every host (ssh_config, known_hosts, agent...). defaultUser (-u) and
     * defaultKey (--private-key) stand in for the inventory's ansible_user and key file where it sets none:
     * the user wins over ssh_config's User, the key is tried before its IdentityFile entries.
     */
    public SshConnector(SshSettings settings, String defaultUser, Path defaultKey) {
        this.transport = new SshTransport(settings);
        this.defaultUser = defaultUser;
        this.defaultKey = defaultKey;
    }

    /** One per host name: its own run and the tasks other hosts delegate to it may ask for its connection at the same moment. */
    private final Map<String, Object> connecting = new ConcurrentHashMap<>();

    @Override
    public Remote connect(Host host) throws SshException {
        Remote r = open.get(host.name());
        if (r != null) return r;
        synchronized (connecting.computeIfAbsent(host.name(), k -> new Object())) {
            r = open.get(host.name());
            if (r != null) return r;
            SshException earlier = failed.get(host.name());
            if (earlier != null) throw earlier;
            try {
                Connection c = transport.connect(target(host));
                Remote remote = new SshRemote(c);
                open.put(host.name(), remote);
                return remote;
            } catch (SshException e) {
                failed.put(host.name(), e);
                throw e;
            }
        }
    }

    /** Drops the host's lost connection (and an earlier failure to connect) and connects again. */
    @Override
    public Remote reconnect(Host host) throws SshException {
        synchronized (connecting.computeIfAbsent(host.name(), k -> new Object())) {
            Remote lost = open.remove(host.name());
            if (lost != null) lost.close();
            failed.remove(host.name());
            return connect(host);
        }
    }

    /** The inventory's user, else -u, else ssh_config's User, else the local user. */
    @Override
    public String loginUser(Host host) {
        try {
            return transport.loginUser(target(host));
        } catch (SshException e) {
            return host.user().orElse(defaultUser != null ? defaultUser : System.getProperty("user.name")); // connect() reports the error
        }
    }

    /**
     * The host as Ansible hands it to ssh: ansible_host (else the inventory name) is the name ssh_config is
     * consulted for; ansible_port, ansible_user and the key file override ssh_config's Port, User and
     * IdentityFile; then the -o options of ansible_ssh_common_args/extra_args; what those leave unset, ssh_config decides.
     */
    private SshTarget target(Host host) {
        Optional<Integer> port = setsPort(host) ? Optional.of(host.port()) : Optional.empty();
        Optional<String> user = host.user().or(() -> Optional.ofNullable(defaultUser));
        Optional<Path> key = host.privateKeyFile().map(SshConfig::expandHome).or(() -> Optional.ofNullable(defaultKey));
        return new SshTarget(host.name(), host.address(), port, user, key, host.connectTimeout(), host.sshOptions());
    }

    /** Host.port() says 22 both when the inventory says so and when it says nothing; only the latter leaves Port to ssh_config. */
    private static boolean setsPort(Host host) {
        return host.vars().get("ansible_port") != null || host.vars().get("ansible_ssh_port") != null;
    }

    /** Channels opened per host so far. */
    public Map<String, Integer> channelsPerHost() {
        Map<String, Integer> out = new java.util.TreeMap<>();
        open.forEach((h, r) -> out.put(h, r.channelsOpened()));
        return out;
    }

    @Override
    public void close() {
        open.values().forEach(Remote::close);
        open.clear();
        transport.close();
    }


    private record SshRemote(Connection connection) implements Remote {
        @Override
        public ExecResult exec(String command, byte[] stdin, Duration timeout) throws SshException {
            return connection.exec(command, stdin, timeout);
        }

        @Override
        public ExecResult exec(RemoteCommands.Invocation invocation, Duration timeout) throws SshException {
            return connection.exec(invocation.command(), invocation.input(), invocation.sudo(), timeout, invocation.activity());
        }

        @Override
        public AutoCloseable hold(String command, String readyMarker, Duration timeout) throws SshException {
            return connection.hold(command, readyMarker, timeout);
        }

        @Override
        public Held holdAnswering(String command, byte[] input, String doneMarker, Duration timeout) throws SshException {
            dev.rig.ssh.HeldCommand.Started started = connection.holdAnswering(command, input, doneMarker, timeout);
            return new Held(started.held(), started.out(), started.err());
        }

        @Override
        public void upload(java.nio.file.Path local, String remotePath) throws SshException {
            connection.upload(local, remotePath);
        }

        @Override
        public long download(String remotePath, java.nio.file.Path local) throws SshException {
            return connection.download(remotePath, local);
        }

        @Override
        public java.net.InetSocketAddress forward(String host, int port) throws SshException {
            return connection.forward(host, port);
        }

        @Override
        public int channelsOpened() {
            return connection.channelsOpened();
        }

        @Override
        public void close() {
            connection.close();
        }
    }
}

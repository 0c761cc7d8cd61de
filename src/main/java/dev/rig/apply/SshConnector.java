package dev.rig.apply;

import dev.rig.inventory.Host;
import dev.rig.ssh.Connection;
import dev.rig.ssh.ExecResult;
import dev.rig.ssh.HostKeyPolicy;
import dev.rig.ssh.SshException;
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
    private final Duration connectTimeout;
    private final Map<String, Remote> open = new ConcurrentHashMap<>();
    private final Map<String, SshException> failed = new ConcurrentHashMap<>();

    public SshConnector(Path knownHosts, HostKeyPolicy policy, String defaultUser, Path defaultKey, Duration connectTimeout) {
        this.transport = new SshTransport(knownHosts, policy, SshTransport.defaultIdentityFiles());
        this.defaultUser = defaultUser;
        this.defaultKey = defaultKey;
        this.connectTimeout = connectTimeout;
    }

    @Override
    public Remote connect(Host host) throws SshException {
        Remote r = open.get(host.name());
        if (r != null) return r;
        SshException earlier = failed.get(host.name());
        if (earlier != null) throw earlier;
        Optional<Path> key = host.privateKeyFile().map(SshConnector::expandHome).or(() -> Optional.ofNullable(defaultKey));
        SshTarget target = new SshTarget(host.name(), host.address(), host.port(), loginUser(host), key, connectTimeout);
        try {
            Connection c = transport.connect(target);
            Remote remote = new SshRemote(c);
            open.put(host.name(), remote);
            return remote;
        } catch (SshException e) {
            failed.put(host.name(), e);
            throw e;
        }
    }

    @Override
    public String loginUser(Host host) {
        return host.user().orElse(defaultUser != null ? defaultUser : System.getProperty("user.name"));
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

    private static Path expandHome(String p) {
        if (p.equals("~") || p.startsWith("~/")) return Path.of(System.getProperty("user.home") + p.substring(1));
        return Path.of(p);
    }

    private record SshRemote(Connection connection) implements Remote {
        @Override
        public ExecResult exec(String command, byte[] stdin, Duration timeout) throws SshException {
            return connection.exec(command, stdin, timeout);
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

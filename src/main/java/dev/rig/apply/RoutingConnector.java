package dev.rig.apply;

import dev.rig.inventory.Host;
import dev.rig.ssh.SshException;

/** Hosts with {@code ansible_connection: local} run on the operator's machine; all others over SSH. */
public final class RoutingConnector implements Connector {
    private final Connector ssh;
    private final LocalRemote local = new LocalRemote();

    public RoutingConnector(Connector ssh) {
        this.ssh = ssh;
    }

    public static boolean isLocal(Host host) {
        return "local".equals(String.valueOf(host.vars().get("ansible_connection")));
    }

    @Override
    public Remote connect(Host host) throws SshException {
        return isLocal(host) ? local : ssh.connect(host);
    }

    @Override
    public Remote reconnect(Host host) throws SshException {
        return isLocal(host) ? local : ssh.reconnect(host);
    }

    @Override
    public String loginUser(Host host) {
        return isLocal(host) ? System.getProperty("user.name") : ssh.loginUser(host);
    }

    @Override
    public void close() {
        ssh.close();
    }
}

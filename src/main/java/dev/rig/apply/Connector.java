package dev.rig.apply;

import dev.rig.inventory.Host;
import dev.rig.ssh.SshException;

/** Opens the one connection a host gets for the whole run. */
public interface Connector extends AutoCloseable {
    Remote connect(Host host) throws SshException;

    /** A new connection in place of one that was lost (a task's ignore_unreachable keeps the host in the play). */
    default Remote reconnect(Host host) throws SshException {
        return connect(host);
    }

    /** The user the connection logs in as, so become to the same user needs no sudo. */
    String loginUser(Host host);

    @Override
    void close();
}

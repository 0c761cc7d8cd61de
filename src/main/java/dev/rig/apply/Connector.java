package dev.rig.apply;

import dev.rig.inventory.Host;
import dev.rig.ssh.SshException;

/** Opens the one connection a host gets for the whole run. */
public interface Connector extends AutoCloseable {
    Remote connect(Host host) throws SshException;

    /** The user the connection logs in as, so become to the same user needs no sudo. */
    String loginUser(Host host);

    @Override
    void close();
}

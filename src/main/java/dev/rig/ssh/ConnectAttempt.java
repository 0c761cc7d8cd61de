package dev.rig.ssh;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;

/**
 * One connect(): the target and, as MINA works through its ProxyJump chain, each hop it starts, in order.
 * When the attempt fails, the last hop started is the one that failed.
 */
final class ConnectAttempt {
    private static final AttributeKey<ConnectAttempt> KEY = new AttributeKey<>();

    private final Hop target;
    private final HostConfigEntry targetEntry;
    private final SshSettings settings;
    private final ClientIdentities identities;
    private final List<Hop> started = new CopyOnWriteArrayList<>();

    ConnectAttempt(Hop target, HostConfigEntry targetEntry, SshSettings settings, ClientIdentities identities) {
        this.target = target;
        this.targetEntry = targetEntry;
        this.settings = settings;
        this.identities = identities;
    }

    static Optional<ConnectAttempt> of(AttributeRepository context) {
        return Optional.ofNullable(context == null ? null : context.getAttribute(KEY));
    }

    AttributeRepository asConnectionContext() {
        return AttributeRepository.ofKeyValuePair(KEY, this);
    }

    Hop target() {
        return target;
    }

    /** The hop MINA is about to connect for entry: the target, or a jump host ssh_config resolved. */
    Hop start(HostConfigEntry entry) throws SshException {
        Hop hop = entry == targetEntry ? target : jumpHop(entry);
        started.add(hop);
        return hop;
    }

    /** Whether hop is the first connection of the attempt: the one made from this machine, not through a jump host. */
    boolean outermost(Hop hop) {
        return !started.isEmpty() && started.get(0) == hop;
    }

    /** The hop that was being connected when the attempt ended (the target when none had started). */
    Hop current() {
        return started.isEmpty() ? target : started.get(started.size() - 1);
    }

    /** The hop before the current one: the jump host through which it was being reached. */
    Optional<Hop> previous() {
        return started.size() < 2 ? Optional.empty() : Optional.of(started.get(started.size() - 2));
    }

    private Hop jumpHop(HostConfigEntry entry) throws SshException {
        HopConfig config;
        try {
            config = HopConfig.of(entry.getHost(), entry, settings, Optional.empty(), Optional.empty());
        } catch (IllegalArgumentException e) {
            throw new SshException(SshException.Kind.CONFIG, "jump host " + entry.getHost() + " for " + target.config().label()
                    + ": " + e.getMessage(), e);
        }
        return new Hop(config, Optional.of(target.config()), identities.forHop(config));
    }
}

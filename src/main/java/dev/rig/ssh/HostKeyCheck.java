package dev.rig.ssh;

import java.util.Optional;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.session.Session;

/**
 * The host key check of one connection attempt. It travels in the MINA session's connection context,
 * so that the verifier, which MINA calls deep inside the key exchange, knows which target it checks
 * and can leave behind why it refused; connect() then throws that instead of MINA's bare
 * "Server key did not validate".
 */
final class HostKeyCheck {
    private static final AttributeKey<HostKeyCheck> KEY = new AttributeKey<>();

    private final SshTarget target;
    private volatile SshException refusal;
    private volatile boolean passed;

    HostKeyCheck(SshTarget target) {
        this.target = target;
    }

    /** The check of the attempt this session belongs to; empty for sessions rig did not open via connect(). */
    static Optional<HostKeyCheck> of(Session session) {
        if (!(session instanceof ClientSession client) || client.getConnectionContext() == null) return Optional.empty();
        return Optional.ofNullable(client.getConnectionContext().getAttribute(KEY));
    }

    AttributeRepository asConnectionContext() {
        return AttributeRepository.ofKeyValuePair(KEY, this);
    }

    SshTarget target() {
        return target;
    }

    void refuse(SshException why) {
        refusal = why;
    }

    void pass() {
        passed = true;
    }

    Optional<SshException> refusal() {
        return Optional.ofNullable(refusal);
    }

    /** True once the host proved itself: any later failure is about authentication, not the host. */
    boolean passed() {
        return passed;
    }
}

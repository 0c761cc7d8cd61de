package dev.rig.ssh;

/** What to do with a host whose key known_hosts lacks. A changed key is refused under both. */
public enum HostKeyPolicy {
    /** Refuse it, as OpenSSH's StrictHostKeyChecking=yes does. */
    STRICT,
    /** Trust it and append it to known_hosts, as OpenSSH's StrictHostKeyChecking=accept-new does. */
    ACCEPT_NEW
}

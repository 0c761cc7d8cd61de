package dev.rig.lab;

import java.nio.file.Path;

/**
 * One lab host as last started: where its sshd listens, the sshd's PID (0 while the host is stopped)
 * and its ed25519 host key (the private key file; the public one is beside it with ".pub").
 */
public record LabHost(String name, String address, int port, long pid, Path hostKey) {}

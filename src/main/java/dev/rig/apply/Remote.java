package dev.rig.apply;

import dev.rig.ssh.ExecResult;
import dev.rig.ssh.SshException;

import java.time.Duration;

/** One host's connection as the engine sees it: run a command line with stdin, get its result. */
public interface Remote extends AutoCloseable {
    ExecResult exec(String command, byte[] stdin, Duration timeout) throws SshException;

    /**
     * Runs an invocation; one whose sudo asks for a password needs a connection that answers sudo's
     * prompt (SSH's does) and is refused here otherwise, rather than fed the password blindly.
     */
    default ExecResult exec(RemoteCommands.Invocation invocation, Duration timeout) throws SshException {
        if (invocation.sudo() != null) {
            throw new SshException(SshException.Kind.CHANNEL, "become with a password needs an SSH connection (not ansible_connection: local)");
        }
        return execReading(invocation.command(), invocation.input(), timeout);
    }

    /** exec() with stdin from a payload; a connection that can stream overrides it (a payload may not fit in memory). */
    default ExecResult execReading(String command, dev.rig.core.Payload input, Duration timeout) throws SshException {
        return exec(command, input == null ? null : input.bytes(), timeout);
    }

    /**
     * Runs command until the returned handle is closed (a lock held for the run); ready once it
     * prints readyMarker. Fails with the command's stderr when it ends before that.
     */
    AutoCloseable hold(String command, String readyMarker, Duration timeout) throws SshException;

    /** A held command and what it printed before it was ready: stdout and stderr. */
    record Held(AutoCloseable handle, String out, String err) {}

    /**
     * hold() for a command that reads input on stdin and prints doneMarker once it has answered it,
     * then runs on until the handle is closed (the host lock and the first probes in one channel).
     * null: this connection cannot (the caller holds and reads in two steps).
     */
    default Held holdAnswering(String command, byte[] input, String doneMarker, Duration timeout) throws SshException {
        return null;
    }

    /** A local address that reaches host:port as this host reaches it (an SSH local forward; the address itself when local). */
    default java.net.InetSocketAddress forward(String host, int port) throws SshException {
        return new java.net.InetSocketAddress(host, port);
    }

    /** Copies a remote file to a local path (SFTP over SSH; a plain copy when the host is the operator's machine). */
    default long download(String remotePath, java.nio.file.Path local) throws SshException {
        try {
            java.nio.file.Files.copy(java.nio.file.Path.of(remotePath), local, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return java.nio.file.Files.size(local);
        } catch (java.io.IOException e) {
            throw new SshException(SshException.Kind.CHANNEL, "cannot copy " + remotePath + ": " + e.getMessage());
        }
    }

    /** Copies a local file to the host (SFTP over SSH; a plain copy when the host is the operator's machine). */
    default void upload(java.nio.file.Path local, String remotePath) throws SshException {
        try {
            java.nio.file.Files.copy(local, java.nio.file.Path.of(remotePath), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new SshException(SshException.Kind.CHANNEL, "cannot copy to " + remotePath + ": " + e.getMessage());
        }
    }

    /** Exec channels opened so far (a benchmark figure: round trips per host). */
    int channelsOpened();

    @Override
    void close();
}

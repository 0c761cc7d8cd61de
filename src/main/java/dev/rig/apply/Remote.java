package dev.rig.apply;

import dev.rig.ssh.ExecResult;
import dev.rig.ssh.SshException;

import java.time.Duration;

/** One host's connection as the engine sees it: run a command line with stdin, get its result. */
public interface Remote extends AutoCloseable {
    ExecResult exec(String command, byte[] stdin, Duration timeout) throws SshException;

    /** Exec channels opened so far (a benchmark figure: round trips per host). */
    int channelsOpened();

    @Override
    void close();
}

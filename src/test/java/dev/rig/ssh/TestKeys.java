package dev.rig.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rig.lab.LabFleet;
import dev.rig.lab.LabHost;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/** Keys and targets for the transport tests, made with OpenSSH's own ssh-keygen. */
final class TestKeys {
    private TestKeys() {}

    /** A new unencrypted key pair at file and file.pub. */
    static Path generate(Path file, String type) throws Exception {
        run("ssh-keygen", "-q", "-t", type, "-N", "", "-f", file.toString());
        return file;
    }

    static Path generateEncrypted(Path file) throws Exception {
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", "secret passphrase", "-f", file.toString());
        return file;
    }

    /** "SHA256:…" of a public key file, as ssh-keygen -l shows it. */
    static String fingerprint(Path publicKey) throws Exception {
        return run("ssh-keygen", "-l", "-f", publicKey.toString()).split(" ")[1];
    }

    static Path publicKey(Path privateKey) {
        return privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    }

    static SshTarget target(LabFleet fleet, String name) {
        LabHost host = fleet.host(name);
        return new SshTarget(host.name(), host.address(), host.port(), "root", Optional.of(fleet.clientKey()), Duration.ofSeconds(5));
    }

    static SshTarget withIdentity(SshTarget target, Optional<Path> identity) {
        return new SshTarget(target.name(), target.address(), target.port(), target.user(), identity, target.connectTimeout());
    }

    static String run(String... argv) throws Exception {
        Process process = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, process.exitValue(), String.join(" ", argv) + ": " + output);
        return output;
    }
}

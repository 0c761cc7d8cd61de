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

/** Keys and targets for the transport and connection tests, made with OpenSSH's own ssh-keygen. */
public final class TestKeys {
    private TestKeys() {}

    /** A new unencrypted key pair at file and file.pub. */
    public static Path generate(Path file, String type) throws Exception {
        run("ssh-keygen", "-q", "-t", type, "-N", "", "-f", file.toString());
        return file;
    }

    public static Path generateEncrypted(Path file) throws Exception {
        return generateEncrypted(file, "secret passphrase");
    }

    /** A new ed25519 key pair whose private key is encrypted with passphrase. */
    public static Path generateEncrypted(Path file, String passphrase) throws Exception {
        run("ssh-keygen", "-q", "-t", "ed25519", "-N", passphrase, "-f", file.toString());
        return file;
    }

    /** "SHA256:…" of a public key file, as ssh-keygen -l shows it. */
    public static String fingerprint(Path publicKey) throws Exception {
        return run("ssh-keygen", "-l", "-f", publicKey.toString()).split(" ")[1];
    }

    public static Path publicKey(Path privateKey) {
        return privateKey.resolveSibling(privateKey.getFileName() + ".pub");
    }

    public static SshTarget target(LabFleet fleet, String name) {
        LabHost host = fleet.host(name);
        return SshTarget.of(host.name(), host.address(), host.port(), "root", Optional.of(fleet.clientKey()), Duration.ofSeconds(5));
    }

    public static SshTarget withIdentity(SshTarget target, Optional<Path> identity) {
        return new SshTarget(target.name(), target.host(), target.port(), target.user(), identity, target.connectTimeout());
    }

    public static String run(String... argv) throws Exception {
        Process process = new ProcessBuilder(List.of(argv)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        process.waitFor(30, TimeUnit.SECONDS);
        assertEquals(0, process.exitValue(), String.join(" ", argv) + ": " + output);
        return output;
    }
}

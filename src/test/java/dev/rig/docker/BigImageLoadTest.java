package dev.rig.docker;

import dev.rig.lab.LabFleet;
import dev.rig.testkit.LabHosts;
import dev.rig.testkit.Rig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * docker_image streams a tarball larger than rig's heap into a real `docker load`: rig runs in a JVM of its
 * own with -Xmx64m, the image (busybox and 160 MB of random bytes, made with docker import, saved with
 * docker save) is loaded on a lab host with its own Docker engine, and the next apply finds it there.
 */
@Tag("integration")
class BigImageLoadTest {
    static final String HOST = "bigimg";
    static final String TAG = "rig-test/big:1";
    static final long PAYLOAD_MB = 160;

    static Path dir;
    @RegisterExtension
    static final LabHosts lab = LabHosts.named(HOST);
    static LabFleet fleet;
    static DockerEngine engine;
    static Path tarball;
    static Path inventory;

    @BeforeAll
    static void start() throws IOException {
        dir = Files.createTempDirectory("rig-bigimage");
        fleet = lab.fleet();
        engine = DockerEngine.start(fleet, HOST, dir.resolve("docker"));
        inventory = fleet.writeInventory(dir.resolve("inventory/hosts.yml"), Map.of());
        tarball = dir.resolve("big-image.tar");
        engine.sh("set -e; d=$(mktemp -d); mkdir -p \"$d/bin\"; cp /bin/busybox \"$d/bin/\"; ln -s busybox \"$d/bin/sh\";"
                + " head -c " + PAYLOAD_MB + "M /dev/urandom > \"$d/payload.bin\";"
                + " tar -C \"$d\" -c . | docker import -c 'CMD [\"sh\"]' - " + TAG + " >/dev/null; rm -rf \"$d\";"
                + " docker save -o " + tarball + " " + TAG + "; docker rmi -f " + TAG + " >/dev/null");
        assertTrue(Files.size(tarball) > PAYLOAD_MB << 20, "the tarball holds the payload");
    }

    @AfterAll
    static void stop() {
        if (engine != null) engine.close();
        LabHosts.deleteTree(dir);
    }

    private static Rig apply(Path playbook) throws Exception {
        return Rig.subprocess(List.of("-Xmx64m"), Map.of(), List.of("apply", "--yes", "-i", inventory.toString(),
                "--known-hosts", fleet.knownHosts().toString(), playbook.toString()));
    }

    @Test
    void loadsATarballLargerThanTheHeap() throws Exception {
        assertEquals("", engine.sh("docker images -q " + TAG).strip(), "the image is not on the host yet");
        Path playbook = Files.writeString(dir.resolve("image.yml"),
                "- hosts: all\n  tasks:\n    - name: Big image\n      docker_image: {name: " + TAG + ", src: " + tarball + "}\n");
        Rig first = apply(playbook);
        assertEquals(0, first.exit(), first.toString());
        assertFalse(first.all().contains("OutOfMemoryError"), first.toString());
        assertTrue(first.recapMatches(HOST, "ok=0\\s+changed=1"), first.toString());
        String size = engine.sh("docker image inspect --format '{{.Size}}' " + TAG).strip();
        assertTrue(Long.parseLong(size) > PAYLOAD_MB << 20, "docker loaded the whole image: " + size + " bytes");

        Rig again = apply(playbook);
        assertEquals(0, again.exit(), again.toString());
        assertTrue(again.recapMatches(HOST, "ok=1\\s+changed=0"), again.toString());
    }
}

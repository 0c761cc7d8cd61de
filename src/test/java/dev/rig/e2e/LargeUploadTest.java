package dev.rig.e2e;

import dev.rig.core.Digests;
import dev.rig.testkit.LabHosts;
import dev.rig.testkit.Rig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Files larger than rig's heap are streamed, never held whole (copy src, docker_image tarball: rig runs
 * in a JVM of its own with -Xmx64m and a 200 MB file); a connection lost mid-upload or mid-task is
 * told in the operator's words; the temp file an interrupted upload leaves is removed by the next run,
 * the old file staying intact throughout. One real sshd, killed while rig works.
 */
@Tag("integration")
class LargeUploadTest {
    static final long SIZE = 200L * 1024 * 1024;

    @RegisterExtension
    static final LabHosts lab = LabHosts.named("big1");

    static Path big;
    static String bigSha;

    @BeforeAll
    static void bigFile() throws IOException {
        big = lab.dir().resolve("big.bin");
        byte[] block = new byte[1024 * 1024];
        Random random = new Random(42);
        try (OutputStream out = Files.newOutputStream(big)) {
            for (int i = 0; i < SIZE / block.length; i++) {
                random.nextBytes(block);
                out.write(block);
            }
        }
        bigSha = Digests.sha256(big);
    }

    @BeforeEach
    void freshHost() {
        lab.fleet().restart("big1");
        lab.exec("big1", "rm -rf /srv/* /srv/.[!.]* 2>/dev/null; printf 'old\\n' > /srv/big.bin");
    }

    private Path playbook(String name, String tasks) throws IOException {
        return Files.writeString(lab.dir().resolve(name), "- hosts: all\n  tasks:\n" + tasks);
    }

    private Path copyPlaybook() throws IOException {
        return playbook("copy.yml", "    - name: Big file\n      copy: {src: " + big + ", dest: /srv/big.bin}\n");
    }

    private List<String> args(String command, Path playbook) {
        return List.of(command, "--yes", "-i", lab.inventory().toString(), "--known-hosts", lab.knownHosts().toString(), playbook.toString());
    }

    private String remoteSha() {
        return lab.exec("big1", "sha256sum /srv/big.bin").split(" ")[0];
    }

    private String tempFiles() {
        return lab.exec("big1", "find /srv -maxdepth 1 -name '.rig-*.tmp'").strip();
    }

    @Test
    void copiesAFileLargerThanItsHeap() throws Exception {
        Path playbook = copyPlaybook();
        Rig first = Rig.subprocess(List.of("-Xmx64m"), Map.of(), args("apply", playbook));
        assertEquals(0, first.exit(), first.toString());
        assertEquals(bigSha, remoteSha());
        Rig again = Rig.subprocess(List.of("-Xmx64m"), Map.of(), args("apply", playbook));
        assertEquals(0, again.exit(), again.toString());
        assertTrue(again.recapMatches("big1", "ok=1\\s+changed=0"), again.toString());
    }

    @Test
    void readsADockerImageTarballLargerThanItsHeap() throws Exception {
        // a docker save tarball: manifest, config, and one 200 MB layer
        Path image = Files.createDirectories(lab.dir().resolve("image"));
        String config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}";
        String id = Digests.sha256(config);
        Files.writeString(image.resolve(id + ".json"), config);
        Files.writeString(image.resolve("manifest.json"), "[{\"Config\":\"" + id + ".json\",\"RepoTags\":[\"big:1\"],\"Layers\":[\"layer.tar\"]}]");
        Files.createLink(image.resolve("layer.tar"), big);
        Path tarball = lab.dir().resolve("big-image.tar");
        Process tar = new ProcessBuilder("tar", "-cf", tarball.toString(), "-C", image.toString(), "layer.tar", id + ".json", "manifest.json")
                .inheritIO().start();
        assertEquals(0, tar.waitFor());
        assertTrue(Files.size(tarball) > SIZE);
        // The lab host has Docker's CLI but no daemon it can reach: the plan reads the whole tarball (its
        // manifest and config, for the image id) before it looks at the probe's answer, so a plan that gets as
        // far as reporting the host's Docker error has read 200 MB through a 64 MB heap.
        Path playbook = playbook("image.yml", "    - name: Big image\n      docker_image: {name: big:1, src: " + tarball + "}\n");
        Rig plan = Rig.subprocess(List.of("-Xmx64m"), Map.of(), List.of("plan", "-i", lab.inventory().toString(),
                "--known-hosts", lab.knownHosts().toString(), playbook.toString()));
        assertTrue(plan.out().contains("Big image — cannot read image big:1 on the host"), plan.toString());
        assertFalse(plan.all().contains("OutOfMemoryError"), plan.toString());
    }

    @Test
    void aConnectionLostMidUploadIsToldPlainlyAndItsTempFileGoesNextRun() throws Exception {
        Path playbook = copyPlaybook();
        CompletableFuture<Rig> running = CompletableFuture.supplyAsync(() -> Rig.run(args("apply", playbook)));
        // kill the host once part of the upload has arrived
        while (lab.exec("big1", "find /srv -maxdepth 1 -name '.rig-*.tmp' -size +8M").isBlank()) {
            assertFalse(running.isDone(), "the upload finished before the host could be stopped: " + (running.isDone() ? running.get() : ""));
            Thread.sleep(10);
        }
        lab.fleet().stop("big1");
        Rig cut = running.get();
        assertEquals(1, cut.exit(), cut.toString());
        assertTrue(Pattern.compile("connection to big1 \\([^)]*\\) was lost while writing /srv/big\\.bin, \\d+ MB of 200 MB sent").matcher(cut.all()).find(), cut.toString());
        assertFalse(cut.all().contains("sh -c") || cut.all().contains("mktemp"), "no script in the message:\n" + cut);
        assertEquals("old\n", lab.exec("big1", "cat /srv/big.bin"), "the old file stays intact");
        assertFalse(tempFiles().isEmpty(), "a dropped connection leaves its temp file (no trap runs)");

        lab.fleet().restart("big1");
        Rig next = Rig.run(args("apply", playbook));
        assertEquals(0, next.exit(), next.toString());
        assertEquals(bigSha, remoteSha());
        assertEquals("", tempFiles(), "the next run removes the stale temp file");
    }

    @Test
    void aConnectionLostMidTaskNamesTheTask() throws Exception {
        Path playbook = playbook("slow.yml", "    - name: Slow migration\n      command: sleep 37\n");
        CompletableFuture<Rig> running = CompletableFuture.supplyAsync(() -> Rig.run(args("apply", playbook)));
        while (lab.exec("big1", "pgrep -f '[s]leep 37' || true").isBlank()) {
            assertFalse(running.isDone(), "the task ended before the host could be stopped");
            Thread.sleep(20);
        }
        lab.fleet().stop("big1");
        Rig cut = running.get();
        assertEquals(1, cut.exit(), cut.toString());
        assertTrue(Pattern.compile("connection to big1 \\([^)]*\\) was lost while running task 'Slow migration'").matcher(cut.all()).find(), cut.toString());
        assertFalse(cut.all().contains("sh -c"), cut.toString());
    }

    @Test
    void aConnectionLostWhileReadingTheHostsStateSaysSo() throws Exception {
        // A sparse file far larger than the host could hash before it is stopped: copy's probe hashes the dest.
        lab.exec("big1", "truncate -s 500G /srv/huge.bin");
        Path playbook = playbook("probe.yml", "    - name: Small file over a huge one\n      copy: {content: \"x\\n\", dest: /srv/huge.bin}\n");
        CompletableFuture<Rig> running = CompletableFuture.supplyAsync(() -> Rig.run(args("apply", playbook)));
        while (lab.exec("big1", "pgrep -x sha256sum || true").isBlank()) {
            assertFalse(running.isDone(), "the probe ended before the host could be stopped: " + (running.isDone() ? running.get() : ""));
            Thread.sleep(10);
        }
        lab.fleet().stop("big1");
        Rig cut = running.get();
        assertEquals(1, cut.exit(), cut.toString());
        assertTrue(Pattern.compile("connection to big1 \\([^)]*\\) was lost while reading the host's state").matcher(cut.all()).find(), cut.toString());
        assertFalse(cut.all().contains("sh -c") || cut.all().contains("sha256sum"), "no script in the message:\n" + cut);
    }

    @Test
    void aCommandThatTimesOutIsNamedByItsTask() throws Exception {
        Path playbook = playbook("hang.yml", "    - name: Hanging migration\n      command: sleep 41\n");
        List<String> args = new java.util.ArrayList<>(args("apply", playbook));
        args.addAll(1, List.of("--command-timeout", "2"));
        Rig hung = Rig.run(args);
        assertEquals(1, hung.exit(), hung.toString());
        assertTrue(Pattern.compile("running task 'Hanging migration' on big1 \\([^)]*\\) did not finish within 2 s").matcher(hung.all()).find(), hung.toString());
        assertFalse(hung.all().contains("sh -c"), hung.toString());
    }

    @Test
    void rendersCopiesOfFilesLargerThanItsHeapWithSecretsMasked() throws Exception {
        // A text file past render's in-memory limit, with a secret's value on one of its lines.
        Path text = lab.dir().resolve("big.txt");
        try (var out = Files.newBufferedWriter(text)) {
            for (int i = 0; i < 400_000; i++) out.write("line " + i + " of a large text file, padded to make it big enough\n");
            out.write("dsn=postgres://app:s3cr3t-v4lue-9@db/app\n");
        }
        assertTrue(Files.size(text) > 16L << 20);
        Path playbook = playbook("render.yml", "    - name: Big file\n      copy: {src: " + big + ", dest: /srv/big.bin}\n"
                + "    - name: Big text\n      copy: {src: " + text + ", dest: /srv/big.txt}\n");
        Path out = lab.dir().resolve("rendered");
        Rig render = Rig.subprocess(List.of("-Xmx64m"), Map.of(), List.of("render", "-i", lab.inventory().toString(), "-o", out.toString(),
                "-e", "app_password=s3cr3t-v4lue-9", playbook.toString()));
        assertEquals(0, render.exit(), render.toString());
        assertFalse(render.all().contains("OutOfMemoryError"), render.toString());
        assertEquals(bigSha, Digests.sha256(out.resolve("big1/srv/big.bin")), "the binary file is rendered whole, unchanged");
        Path renderedText = out.resolve("big1/srv/big.txt");
        assertEquals(Files.size(text) - "s3cr3t-v4lue-9".length() + "********".length(), Files.size(renderedText));
        try (var lines = Files.lines(renderedText)) {
            assertEquals("dsn=postgres://app:********@db/app", lines.reduce((a, b) -> b).orElseThrow(), "the secret is masked");
        }
        assertTrue(render.all().contains("big1:/srv/big.txt holds the value of a secret variable"), render.toString());
    }

    @Test
    void unpacksAnArchiveLargerThanItsHeap() throws Exception {
        // 300 MB of zeros in a zstd tarball of a few KB: the listing and its hashes must stream
        Path tree = Files.createDirectories(lab.dir().resolve("zeros/app"));
        new ProcessBuilder("truncate", "-s", "300M", tree.resolve("zeros.bin").toString()).inheritIO().start().waitFor();
        Files.writeString(tree.resolve("app.conf"), "port=1\n");
        Path archive = lab.dir().resolve("zeros.tar.zst");
        Process tar = new ProcessBuilder("tar", "--zstd", "-cf", archive.toString(), "-C", tree.getParent().toString(), "app").inheritIO().start();
        assertEquals(0, tar.waitFor());
        lab.exec("big1", "mkdir -p /srv/unpacked");
        Path playbook = playbook("unarchive.yml", "    - name: Unpack\n      unarchive: {src: " + archive + ", dest: /srv/unpacked}\n");
        Rig first = Rig.subprocess(List.of("-Xmx64m"), Map.of(), args("apply", playbook));
        assertEquals(0, first.exit(), first.toString());
        assertEquals("314572800", lab.exec("big1", "stat -c %s /srv/unpacked/app/zeros.bin").strip());
        Rig again = Rig.subprocess(List.of("-Xmx64m"), Map.of(), args("apply", playbook));
        assertEquals(0, again.exit(), again.toString());
        assertTrue(again.recapMatches("big1", "ok=1\\s+changed=0"), again.toString());
    }
}

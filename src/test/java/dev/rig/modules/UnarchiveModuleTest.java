package dev.rig.modules;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.rig.modules.ModuleTests.args;
import static dev.rig.modules.ModuleTests.converge;
import static dev.rig.modules.ModuleTests.ctx;
import static dev.rig.modules.ModuleTests.planLocally;
import static dev.rig.modules.ModuleTests.sh;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * unarchive with archives made by this machine's tar, xz, zstd and zip, run by the local "host"
 * (sh in a temp directory) as rig apply would: unpack once, then nothing; a changed file unpacks again.
 * Needs xz-utils, zstd, zip and unzip installed (.ci/run installs them), so it runs with the integration
 * tests: `mvn test` needs nothing installed.
 */
@Tag("integration")
class UnarchiveModuleTest {
    private final UnarchiveModule module = new UnarchiveModule();

    /** files/app/{bin/run, conf/app.conf, link → conf/app.conf} packed as NAME. */
    private static Path archive(Path dir, String name) {
        Path tree = dir.resolve("tree");
        String make = "set -e; mkdir -p tree/app/bin tree/app/conf files; printf '#!/bin/sh\\necho run\\n' > tree/app/bin/run; chmod 755 tree/app/bin/run;"
                + " printf 'port=1\\n' > tree/app/conf/app.conf; ln -sf conf/app.conf tree/app/link; cd tree; "
                + switch (name.substring(name.indexOf('.') + 1)) {
                    case "tar.gz" -> "tar -czf ../files/" + name + " app";
                    case "tar.xz" -> "tar -cJf ../files/" + name + " app";
                    case "tar.zst" -> "tar --zstd -cf ../files/" + name + " app";
                    case "tar" -> "tar -cf ../files/" + name + " app";
                    default -> "zip -qry ../files/" + name + " app";
                };
        ModuleTests.Ran ran = sh(dir, make, null);
        assertEquals(0, ran.rc(), ran.stderr());
        assertTrue(Files.isDirectory(tree));
        return dir.resolve("files");
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.tar.gz", "app.tar.xz", "app.tar.zst", "app.tar", "app.zip"})
    void unpacksOnceAndAgainOnlyWhenAMemberDiffers(String name, @TempDir Path dir) throws IOException {
        Path files = archive(dir, name);
        Path dest = Files.createDirectories(dir.resolve("dest"));
        Args args = args("src", name, "dest", dest.toString(), "list_files", true);
        Outcome first = converge(module, args, ctx(java.util.Map.of(), files), dir);
        assertTrue(first.message().contains("unpack " + name + " into " + dest), first.message());
        assertEquals("port=1\n", Files.readString(dest.resolve("app/conf/app.conf")));
        assertEquals("conf/app.conf", Files.readSymbolicLink(dest.resolve("app/link")).toString());
        assertTrue(((List<?>) first.result().get("files")).contains("app/bin/run"));

        Files.writeString(dest.resolve("app/conf/app.conf"), "port=2\n");
        Outcome drifted = planLocally(module, args, ctx(java.util.Map.of(), files), dir);
        assertTrue(drifted.message().contains("(1 member differ)"), drifted.message());
        converge(module, args, ctx(java.util.Map.of(), files), dir);
        assertEquals("port=1\n", Files.readString(dest.resolve("app/conf/app.conf")));
        ModuleTests.assertNoLeftoverTempFiles(dest);
    }

    @ParameterizedTest
    @ValueSource(strings = {"app.tar.gz", "app.tar.zst", "app.zip"})
    void remoteSrcComparesOnTheHost(String name, @TempDir Path dir) throws IOException {
        Path files = archive(dir, name);
        Path dest = Files.createDirectories(dir.resolve("dest"));
        Args args = args("src", files.resolve(name).toString(), "dest", dest.toString(), "remote_src", true);
        converge(module, args, ctx(), dir);
        assertEquals("port=1\n", Files.readString(dest.resolve("app/conf/app.conf")));
        Files.writeString(dest.resolve("app/bin/run"), "changed\n");
        assertTrue(planLocally(module, args, ctx(), dir).change().changes());
        converge(module, args, ctx(), dir);
        assertEquals("#!/bin/sh\necho run\n", Files.readString(dest.resolve("app/bin/run")));
    }

    @Test
    void createsSkipsAndAMissingDestFails(@TempDir Path dir) throws IOException {
        Path files = archive(dir, "app.tar.gz");
        Outcome missing = planLocally(module, args("src", "app.tar.gz", "dest", dir.resolve("nope").toString()), ctx(java.util.Map.of(), files), dir);
        assertTrue(missing.failed());
        assertEquals("dest '" + dir.resolve("nope") + "' must be an existing directory", missing.message());
        Files.createDirectories(dir.resolve("dest"));
        Outcome skipped = planLocally(module, args("src", "app.tar.gz", "dest", dir.resolve("dest").toString(), "creates", dir.resolve("tree").toString()),
                ctx(java.util.Map.of(), files), dir);
        assertFalse(skipped.change().changes());
        assertEquals("skipped, since " + dir.resolve("tree") + " exists", skipped.message());
    }

    /** An upload cut off with its connection leaves its /tmp file (no trap runs): the next unarchive removes it, and only one nobody holds. */
    @Test
    void anUnpackRemovesTheStaleTempFilesOfEarlierOnes(@TempDir Path dir) throws IOException {
        Path files = archive(dir, "app.tar.gz");
        Path dest = Files.createDirectories(dir.resolve("dest"));
        Path stale = Path.of("/tmp/.rig-unarchive-" + Long.toString(System.nanoTime() % 100_000_000L + 100_000_000L, 36).substring(0, 5) + "Qz9");
        try {
            Files.writeString(stale, "half an archive");
            converge(module, args("src", "app.tar.gz", "dest", dest.toString()), ctx(java.util.Map.of(), files), dir);
            assertEquals("port=1\n", Files.readString(dest.resolve("app/conf/app.conf")));
            assertFalse(Files.exists(stale), "the stale temp file " + stale + " is removed");
        } finally {
            Files.deleteIfExists(stale);
        }
    }
}

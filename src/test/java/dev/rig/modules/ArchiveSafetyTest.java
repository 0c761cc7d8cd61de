package dev.rig.modules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Archives whose members would land outside dest are refused before anything is uploaded (tar is Debian-essential). */
class ArchiveSafetyTest {
    private static Path tar(Path dir, String make) {
        ModuleTests.Ran ran = ModuleTests.sh(dir, "set -e; mkdir -p w/in; cd w/in; " + make, null);
        assertEquals(0, ran.rc(), ran.stderr());
        return dir.resolve("w/a.tar");
    }

    @Test
    void aMemberClimbingOutOfDestIsRefused(@TempDir Path dir) {
        Path archive = tar(dir, "echo x > ../evil; tar -P -cf ../a.tar ../evil");
        Args.ArgumentException e = assertThrows(Args.ArgumentException.class, () -> ArchiveMembers.read(archive));
        assertEquals("archive member '../evil' would land outside dest; rig refuses such archives", e.getMessage());
    }

    @Test
    void anAbsoluteMemberIsRefused(@TempDir Path dir) {
        Path archive = tar(dir, "echo x > f; tar -P -cf ../a.tar \"$PWD/f\"");
        Args.ArgumentException e = assertThrows(Args.ArgumentException.class, () -> ArchiveMembers.read(archive));
        assertTrue(e.getMessage().endsWith("would land outside dest; rig refuses such archives"), e.getMessage());
    }

    @Test
    void aLinkPointingOutOfDestIsRefused(@TempDir Path dir) {
        Path absolute = tar(dir, "ln -s /etc etc; tar -cf ../a.tar etc");
        assertEquals("archive member 'etc' is a link to '/etc', outside dest; rig refuses such archives",
                assertThrows(Args.ArgumentException.class, () -> ArchiveMembers.read(absolute)).getMessage());
        Path climbing = tar(dir, "rm -f etc; mkdir -p app; ln -s ../../outside app/up; tar -cf ../a.tar app");
        assertEquals("archive member 'app/up' is a link to '../../outside', outside dest; rig refuses such archives",
                assertThrows(Args.ArgumentException.class, () -> ArchiveMembers.read(climbing)).getMessage());
    }

    @Test
    void aLinkThatStaysInsideIsKept(@TempDir Path dir) {
        Path archive = tar(dir, "mkdir -p app/conf; echo p > app/conf/a; ln -s ../conf/a app/conf/b; ln -s conf app/c; tar -cf ../a.tar app");
        ArchiveMembers.Listing listing = ArchiveMembers.read(archive);
        assertEquals(new ArchiveMembers.Member('L', "../conf/a"), listing.members().get("app/conf/b"));
        assertEquals(new ArchiveMembers.Member('L', "conf"), listing.members().get("app/c"));
    }
}

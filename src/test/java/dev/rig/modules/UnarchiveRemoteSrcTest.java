package dev.rig.modules;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static dev.rig.modules.ModuleTests.args;
import static dev.rig.modules.ModuleTests.ctx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** unarchive with remote_src, from probe output: list_files from the archive's own listing; owner/group refused by name. */
class UnarchiveRemoteSrcTest {
    private final UnarchiveModule module = new UnarchiveModule();

    @Test
    void listFilesComesFromTheArchiveOnTheHost() {
        Args a = args("src", "/tmp/app.tar.gz", "dest", "/opt", "remote_src", true, "list_files", true);
        assertTrue(module.probe(a, ctx()).script().contains("tar -tf "), "the probe lists the members");
        Outcome o = module.plan(a, "\n@@rig-part dest\ndest=dir\n\n@@rig-part remote\nmember=app/\nmember=app/run\n", ctx());
        assertEquals(List.of("app/", "app/run"), o.result().get("files"));
        Args without = args("src", "/tmp/app.tar.gz", "dest", "/opt", "remote_src", true);
        assertTrue(!module.probe(without, ctx()).script().contains("tar -tf"), "no listing unless asked for");
    }

    @Test
    void ownerAndGroupWithRemoteSrcAreRefusedByName() {
        assertEquals(List.of("'owner' with remote_src is not implemented (rig compares a remote archive's content only); set it with the file module",
                        "'group' with remote_src is not implemented (rig compares a remote archive's content only); set it with the file module"),
                module.crossCheck(Map.of("src", "/tmp/a.tgz", "dest", "/opt", "remote_src", true, "owner", "app", "group", "app")));
        assertEquals(List.of(), module.crossCheck(Map.of("src", "a.tgz", "dest", "/opt", "owner", "app")), "an uploaded archive's owner is compared");
    }
}

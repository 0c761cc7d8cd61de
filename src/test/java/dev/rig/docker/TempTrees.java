package dev.rig.docker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Removes a test's temp directory once its engines are stopped: docker data-roots hold hundreds of MB of layers. */
final class TempTrees {
    private TempTrees() {}

    static void delete(Path dir) {
        if (dir == null) return;
        try {
            // rm, not a Java walk: image layers hold device nodes and root-only modes; --one-file-system never leaves the tree.
            Process rm = new ProcessBuilder("rm", "-rf", "--one-file-system", "--", dir.toString()).inheritIO().start();
            if (!rm.waitFor(120, TimeUnit.SECONDS)) {
                rm.destroyForcibly();
                throw new IllegalStateException("removing " + dir + " took over 120 s");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

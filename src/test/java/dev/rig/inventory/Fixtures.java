package dev.rig.inventory;

import dev.rig.core.InvalidInputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertThrows;

/** Test inventories under src/test/resources/inventory/, and small ones written on the fly. */
final class Fixtures {
    private Fixtures() {}

    static Path path(String name) {
        URL url = Fixtures.class.getResource("/inventory/" + name);
        if (url == null) throw new IllegalArgumentException("no fixture " + name);
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The differential corpus: one directory per inventory, src/test/resources/ansible-corpus/. */
    static Path corpus() {
        try {
            return Path.of(Fixtures.class.getResource("/ansible-corpus").toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Inventory load(String name) {
        return InventoryLoader.load(path(name));
    }

    static Host host(Inventory inventory, String name) {
        return inventory.host(name).orElseThrow(() -> new AssertionError("no host " + name));
    }

    /** Writes a file under dir (creating parent directories) and returns its path. */
    static Path write(Path dir, String relative, String content) {
        Path file = dir.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static InvalidInputException loadFails(Path path) {
        return assertThrows(InvalidInputException.class, () -> InventoryLoader.load(path));
    }
}

package dev.rig.lab;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * dir/fleet.properties: which sshd runs for which host, so that another process (`rig lab down`)
 * can stop a fleet it did not start. The sshd's config path lets it check that a PID is still ours.
 */
record FleetState(List<Entry> hosts) {
    static final String FILE_NAME = "fleet.properties";

    record Entry(String name, String address, int port, long pid, Path config) {}

    static Path file(Path dir) {
        return dir.resolve(FILE_NAME);
    }

    /** Writes atomically: a reader never sees half a file. */
    void write(Path dir) {
        Properties properties = new Properties();
        List<String> names = new ArrayList<>();
        for (Entry host : hosts) {
            names.add(host.name());
            String prefix = "host." + host.name() + ".";
            properties.setProperty(prefix + "address", host.address());
            properties.setProperty(prefix + "port", Integer.toString(host.port()));
            properties.setProperty(prefix + "pid", Long.toString(host.pid()));
            properties.setProperty(prefix + "config", host.config().toString());
        }
        properties.setProperty("hosts", String.join(",", names));
        try {
            Path temp = Files.createTempFile(dir, FILE_NAME, ".tmp");
            try (Writer out = Files.newBufferedWriter(temp, StandardCharsets.UTF_8)) {
                properties.store(out, "rig lab fleet: sshd processes by host");
            }
            Files.move(temp, file(dir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file(dir), e);
        }
    }

    /** The state in dir, or an empty one when no fleet has left a file there. */
    static FleetState read(Path dir) {
        Path file = file(dir);
        if (!Files.exists(file)) return new FleetState(List.of());
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
        List<Entry> hosts = new ArrayList<>();
        for (String name : properties.getProperty("hosts", "").split(",")) {
            if (name.isBlank()) continue;
            String prefix = "host." + name + ".";
            hosts.add(new Entry(name,
                    required(properties, prefix + "address", file),
                    Integer.parseInt(required(properties, prefix + "port", file)),
                    Long.parseLong(required(properties, prefix + "pid", file)),
                    Path.of(required(properties, prefix + "config", file))));
        }
        return new FleetState(List.copyOf(hosts));
    }

    static void delete(Path dir) {
        try {
            Files.deleteIfExists(file(dir));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file(dir), e);
        }
    }

    private static String required(Properties properties, String key, Path file) {
        String value = properties.getProperty(key);
        if (value == null) throw new IllegalStateException(file + " lacks " + key);
        return value;
    }
}

package dev.rig.playbook;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/** Finds a task's local src file: the role's own directory first, then beside the playbook. */
public final class LocalFiles {
    private LocalFiles() {}

    public static Optional<Path> find(String name, List<Path> dirs) {
        Path p = Path.of(name);
        if (p.isAbsolute()) return Files.exists(p) ? Optional.of(p) : Optional.empty();
        for (Path d : dirs) {
            Path c = d.resolve(name).normalize();
            if (Files.exists(c)) return Optional.of(c);
        }
        return Optional.empty();
    }

    public static String describe(String name, List<Path> dirs) {
        if (Path.of(name).isAbsolute()) return name;
        return dirs.stream().map(Path::toString).collect(Collectors.joining(", "));
    }
}

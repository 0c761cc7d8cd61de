package dev.rig.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rig.core.Digests;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * One backup written by {@link CentralBackup}, in its on-disk format: DIR/&lt;UTC time&gt;/ holding the
 * {@link #ARCHIVES}, a SHA256SUMS file (sha256sum's format) and manifest.json (central, time, the
 * Prometheus snapshot's name, each file's size and sha256). {@link #find} checks it against its sums
 * before anything is contacted.
 */
public record BackupDirectory(Path dir, String name, String snapshot, String sumsText) {
    public static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);
    public static final Pattern BACKUP_NAME = Pattern.compile("\\d{8}T\\d{6}Z");
    public static final String SUMS = "SHA256SUMS";
    public static final String MANIFEST = "manifest.json";
    public static final List<String> ARCHIVES = List.of("prometheus-snapshot.tar.gz", "grafana-data.tar.gz", "caddy-data.tar.gz", "alertmanager-data.tar.gz");

    /** The complete backups in root (named by time, with a manifest), oldest first. */
    public static List<Path> complete(Path root) throws IOException {
        try (Stream<Path> entries = Files.list(root)) {
            return entries.filter(p -> BACKUP_NAME.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p.resolve(MANIFEST)))
                    .sorted(Comparator.comparing(p -> p.getFileName().toString())).toList();
        }
    }

    /** given: a backup, or the directory holding them (the newest is taken); refused when damaged. */
    public static BackupDirectory find(Path given) {
        Path dir = Files.isRegularFile(given.resolve(MANIFEST)) ? given : newest(given);
        try {
            JsonNode manifest = CentralHttp.JSON.readTree(dir.resolve(MANIFEST).toFile());
            String sums = Files.readString(dir.resolve(SUMS));
            for (String line : sums.strip().split("\n")) {
                String[] f = line.split("\\s+", 2);
                if (f.length != 2 || !Digests.sha256(dir.resolve(f[1])).equals(f[0])) {
                    throw new InvalidInputException(new Source(dir.resolve(SUMS).toString(), 0, 0), "does not match " + (f.length == 2 ? f[1] : line) + ": the backup is damaged");
                }
            }
            String snapshot = manifest.path("prometheus_snapshot").asText("");
            if (!snapshot.matches("[A-Za-z0-9-]+")) throw new InvalidInputException(new Source(dir.resolve(MANIFEST).toString(), 0, 0), "names no Prometheus snapshot");
            return new BackupDirectory(dir, dir.getFileName().toString(), snapshot, sums);
        } catch (IOException e) {
            throw new InvalidInputException(new Source(dir.toString(), 0, 0), "is not a readable backup of rig backup central: " + e.getMessage());
        }
    }

    private static Path newest(Path root) {
        try {
            List<Path> backups = complete(root);
            if (backups.isEmpty()) throw new InvalidInputException(new Source("--from-backup " + root, 0, 0), "holds no backup made by rig backup central");
            return backups.get(backups.size() - 1);
        } catch (IOException e) {
            throw new InvalidInputException(new Source("--from-backup " + root, 0, 0), "cannot be read: " + e.getMessage());
        }
    }
}

package dev.rig.stack;

import dev.rig.cli.Main;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/** `rig render` of the repository's playbooks, in-process, and what it printed and wrote. */
record Rendered(int exit, String out, String err, Path dir) {
    static final Path PROJECT = Path.of(System.getProperty("rig.project.dir", ".")).toAbsolutePath().normalize();
    static final Path SITE = PROJECT.resolve("playbooks/site.yml");
    static final Path EXAMPLE_INVENTORY = PROJECT.resolve("inventory");

    /** Fresh random values for every secret the stack needs, written to a vars file for -e @FILE. */
    static Map<String, String> randomSecrets() {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("grafana_admin_password", "gf-" + random());
        s.put("monitoring_push_password", "push-" + random());
        s.put("postgres_exporter_dsn", "postgresql://exporter:pg-" + random() + "@db:5432/postgres?sslmode=disable");
        s.put("alertmanager_smtp_auth_password", "smtp-" + random());
        s.put("alertmanager_slack_webhook_secret", "https://chat.example.com/hooks/" + random());
        return s;
    }

    static Path varsFile(Path dir, Map<String, ?> vars) {
        StringBuilder y = new StringBuilder();
        vars.forEach((k, v) -> y.append(k).append(": ").append(yamlString(String.valueOf(v))).append('\n'));
        try {
            Files.createDirectories(dir);
            return Files.writeString(Files.createTempFile(dir, "vars", ".yml"), y.toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Rendered run(Path out, String... args) {
        List<String> all = new ArrayList<>(List.of("render", "-o", out.toString()));
        all.addAll(List.of(args));
        StringWriter o = new StringWriter();
        StringWriter e = new StringWriter();
        int code = Main.run(new PrintWriter(o, true), new PrintWriter(e, true), all.toArray(String[]::new));
        return new Rendered(code, o.toString(), e.toString(), out);
    }

    Path file(String host, String path) {
        return dir.resolve(host).resolve(path.replaceFirst("^/", ""));
    }

    String read(String host, String path) {
        try {
            return Files.readString(file(host, path));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    List<Path> files() {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().equals(".rig-render")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public String toString() {
        return "exit " + exit + "\n--- out\n" + out + "--- err\n" + err;
    }

    private static String random() {
        byte[] b = new byte[12];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static String yamlString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }
}

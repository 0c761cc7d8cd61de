package dev.rig.convert;

import dev.rig.cli.Main;
import dev.rig.modules.Modules;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The project walker: what it rewrites, what it copies, what it reports, and that it is idempotent and never writes into SRC_DIR. */
class ProjectConverterTest {
    static final Path PROJECT = Path.of("src/test/resources/convert/ansible-project");
    static final Path UNCONVERTIBLE = Path.of("src/test/resources/convert/unconvertible");

    @TempDir Path tmp;

    static Map<String, String> tree(Path dir) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(dir.relativize(p).toString(), Files.readString(p));
            }
        }
        return out;
    }

    static Map<String, FileTime> times(Path dir) throws IOException {
        Map<String, FileTime> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.toList()) out.put(dir.relativize(p).toString(), Files.getLastModifiedTime(p));
        }
        return out;
    }

    @Test
    void convertsTheWholeProjectAndReportsNothing() throws IOException {
        ProjectConverter.Result r = new ProjectConverter(new Modules()).convert(PROJECT, tmp.resolve("out"));
        assertEquals(List.of(), r.findings());
        assertEquals(List.of("site.yml"), r.playbooks());
        Path out = tmp.resolve("out");
        // templates renamed, references renamed
        assertTrue(Files.exists(out.resolve("roles/app/templates/app.conf.ftl")));
        assertTrue(Files.exists(out.resolve("roles/app/templates/users.txt.ftl")));
        assertTrue(Files.exists(out.resolve("templates/motd.ftl")));
        assertFalse(Files.exists(out.resolve("roles/app/templates/app.conf.j2")));
        String tasks = Files.readString(out.resolve("roles/app/tasks/main.yml"));
        assertTrue(tasks.contains("    src: app.conf.ftl\n"), tasks);
        assertTrue(tasks.contains("    src: users.txt.ftl\n"), tasks);
        assertTrue(Files.readString(out.resolve("site.yml")).contains("src: templates/motd.ftl"));
        // conditions are bare FreeMarker, values ${...}, a literal ${ escaped; comments and layout kept
        assertTrue(tasks.contains("  when: \"contains(group_names, \\\"web\\\")\"\n"), tasks);
        assertTrue(tasks.contains("    - to_bool(features)\n"), tasks);
        assertTrue(tasks.contains("      - to_int(app_port) > 1024\n"), tasks);
        assertTrue(tasks.contains("      export HOME_DIR=$${HOME}\n      export PORT=${to_int(app_port) + 1}\n"), tasks);
        assertTrue(Files.readString(out.resolve("site.yml")).startsWith("# An Ansible project written for rig convert"));
        // files/ and anything else copied byte for byte
        assertEquals(Files.readString(PROJECT.resolve("roles/app/files/run.sh")), Files.readString(out.resolve("roles/app/files/run.sh")));
        String conf = Files.readString(out.resolve("roles/app/templates/app.conf.ftl"));
        assertTrue(conf.contains("<#list app_users as u>user.${u?counter}"), conf);
        assertTrue(conf.contains("shell = $${HOME} $$${x}"), conf);
    }

    @Test
    void runningItTwiceGivesTheSameOutput() throws IOException {
        Path out = tmp.resolve("out");
        new ProjectConverter(new Modules()).convert(PROJECT, out);
        Map<String, String> first = tree(out);
        Files.writeString(out.resolve("stale.txt"), "left from before");
        new ProjectConverter(new Modules()).convert(PROJECT, out);
        assertEquals(first, tree(out));
    }

    @Test
    void neverWritesIntoTheSourceDirectory() throws IOException {
        Path src = tmp.resolve("src");
        copy(PROJECT, src);
        Map<String, String> before = tree(src);
        Map<String, FileTime> beforeTimes = times(src);
        new ProjectConverter(new Modules()).convert(src, tmp.resolve("out"));
        IllegalArgumentException inside = assertThrows(IllegalArgumentException.class, () -> new ProjectConverter(new Modules()).convert(src, src.resolve("converted")));
        assertTrue(inside.getMessage().contains("outside"), inside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ProjectConverter(new Modules()).convert(src, src));
        assertThrows(IllegalArgumentException.class, () -> new ProjectConverter(new Modules()).convert(src, tmp));
        assertEquals(before, tree(src));
        assertEquals(beforeTimes, times(src));
    }

    @Test
    void refusesADirectoryItDidNotWrite() throws IOException {
        Path out = tmp.resolve("mine");
        Files.createDirectories(out);
        Files.writeString(out.resolve("precious.txt"), "keep");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ProjectConverter(new Modules()).convert(PROJECT, out));
        assertTrue(e.getMessage().contains("not written by rig convert"), e.getMessage());
        assertEquals("keep", Files.readString(out.resolve("precious.txt")));
    }

    @Test
    void whatCannotConvertIsLeftInPlaceAndReportedWithItsPosition() throws IOException {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "convert", UNCONVERTIBLE.toString(), "-o", tmp.resolve("out").toString());
        assertEquals(2, code, err::toString);
        String report = out.toString();
        for (String expected : List.of(
                "hosts.ini:2:35: Jinja2 in an INI inventory is copied as it is",
                "site.yml:5:24: lookup plugin 'lookup(...)'",
                "site.yml:8:21: the filter 'my_filter' is not one rig knows",
                "site.yml:10:7: module 'community.general.ufw': rig has no such module",
                "site.yml:16:9: module 'copy' has no argument 'local_follow'",
                "site.yml:19:30: Jinja2 syntax error: a tuple (a Python expression)",
                "site.yml:20:15: the test 'version' with 2 arguments has no rig equivalent")) {
            assertTrue(report.contains(expected), "missing '" + expected + "' in:\n" + report);
        }
        assertEquals(Files.readString(UNCONVERTIBLE.resolve("hosts.ini")), Files.readString(tmp.resolve("out/hosts.ini")));
        String converted = Files.readString(tmp.resolve("out/site.yml"));
        assertTrue(converted.contains("msg: \"{{ lookup('file', '/etc/hostname') }}\""), converted);
        assertTrue(converted.contains("when: x is version('2.0', '>=')"), converted);
        assertTrue(converted.contains("msg: \"${((x)!\\\"ok\\\")}\""), converted);
    }

    @Test
    void exitsZeroWhenEverythingConverted() {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "convert", PROJECT.toString(), "-o", tmp.resolve("out").toString());
        assertEquals(0, code, out + "\n" + err);
        assertTrue(out.toString().contains("Everything converted."), out.toString());
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}

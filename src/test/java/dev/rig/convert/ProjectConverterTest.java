package dev.rig.convert;

import dev.rig.cli.Main;
import dev.rig.modules.Modules;
import dev.rig.vault.VaultCipher;
import dev.rig.vault.VaultPasswords;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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
    static final Path VAULT_PASSWORD = Path.of("src/test/resources/convert/vault-password");
    static final VaultPasswords VAULT = VaultPasswords.from(List.of(), List.of(VAULT_PASSWORD), false, Map.of());

    static ProjectConverter converter() {
        return new ProjectConverter(new Modules(), VAULT);
    }

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
        ProjectConverter.Result r = converter().convert(PROJECT, tmp.resolve("out"));
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
        converter().convert(PROJECT, out);
        Map<String, String> first = tree(out);
        Files.writeString(out.resolve("stale.txt"), "left from before");
        converter().convert(PROJECT, out);
        assertEquals(first, tree(out));
    }

    @Test
    void neverWritesIntoTheSourceDirectory() throws IOException {
        Path src = tmp.resolve("src");
        copy(PROJECT, src);
        Map<String, String> before = tree(src);
        Map<String, FileTime> beforeTimes = times(src);
        converter().convert(src, tmp.resolve("out"));
        IllegalArgumentException inside = assertThrows(IllegalArgumentException.class, () -> converter().convert(src, src.resolve("converted")));
        assertTrue(inside.getMessage().contains("outside"), inside.getMessage());
        assertThrows(IllegalArgumentException.class, () -> converter().convert(src, src));
        assertThrows(IllegalArgumentException.class, () -> converter().convert(src, tmp));
        // a path that reaches into SRC through a symbolic link, itself or its parent, is inside SRC too
        Files.createDirectories(src.resolve("sub"));
        Files.createSymbolicLink(tmp.resolve("link-to-sub"), src.resolve("sub"));
        Files.createSymbolicLink(tmp.resolve("link-to-src"), src);
        for (Path viaLink : List.of(tmp.resolve("link-to-sub/new-out"), tmp.resolve("link-to-sub"), tmp.resolve("link-to-src/a/b"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> converter().convert(src, viaLink), viaLink::toString);
            assertTrue(e.getMessage().contains("outside"), e.getMessage());
        }
        Files.delete(src.resolve("sub"));
        assertEquals(before, tree(src));
        assertEquals(beforeTimes.keySet(), times(src).keySet());
        assertEquals(beforeTimes.entrySet().stream().filter(en -> !en.getKey().isEmpty()).toList(),
                times(src).entrySet().stream().filter(en -> !en.getKey().isEmpty()).toList());
    }

    @Test
    void refusesADirectoryItDidNotWrite() throws IOException {
        Path out = tmp.resolve("mine");
        Files.createDirectories(out);
        Files.writeString(out.resolve("precious.txt"), "keep");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> converter().convert(PROJECT, out));
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
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "convert", PROJECT.toString(), "-o", tmp.resolve("out").toString(),
                "--vault-password-file", VAULT_PASSWORD.toString());
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

    @Test
    void vaultDataIsConvertedInsideAndEncryptedAgainWithTheSamePassword() throws Exception {
        Path out = tmp.resolve("out");
        assertEquals(List.of(), converter().convert(PROJECT, out).findings());
        byte[] pw = "convert-vault-pw".getBytes(StandardCharsets.UTF_8);
        String file = Files.readString(out.resolve("inventory/group_vars/db.yml"));
        assertTrue(VaultCipher.isVault(file), file);
        String plain = new String(VaultCipher.decrypt(file, pw), StandardCharsets.UTF_8);
        assertTrue(plain.contains("db_secret: \"s3cret-${app_name?upper_case}\"\n"), plain);
        assertTrue(plain.contains("db_shell: \"echo $${PATH} ${'#'}{kept}\"\n"), plain);
        assertTrue(plain.startsWith("# encrypted whole with ansible-vault"), plain); // comments kept inside too
        String web = Files.readString(out.resolve("inventory/group_vars/web.yml"));
        int at = web.indexOf("web_token: !vault |\n");
        assertTrue(at >= 0, web);
        String envelope = web.substring(web.indexOf("$ANSIBLE_VAULT", at)).replaceAll("(?m)^ +", "");
        assertEquals("tok-{{ app_port }}-$${HOME}", new String(VaultCipher.decrypt(envelope, pw), StandardCharsets.UTF_8));
        // the source's envelopes are not in the output (they were re-encrypted), and a second run writes the same bytes
        assertFalse(web.contains("30623765363239306437383733353664"), web);
        Map<String, String> first = tree(out);
        converter().convert(PROJECT, out);
        assertEquals(first, tree(out));
    }

    @Test
    void vaultDataWithoutAPasswordIsCopiedAndReportedOncePerFile() throws IOException {
        Path out = tmp.resolve("out");
        List<Finding> findings = new ProjectConverter(new Modules()).convert(PROJECT, out).findings();
        assertEquals(2, findings.size(), findings::toString);
        assertEquals("inventory/group_vars/db.yml:1:1", findings.get(0).toString().substring(0, findings.get(0).toString().indexOf(": ")));
        assertTrue(findings.get(0).reason().contains("encrypted with Ansible Vault and no vault password given"), findings::toString);
        assertTrue(findings.get(1).toString().startsWith("inventory/group_vars/web.yml:4:12: 1 inline !vault value and no vault password given"), findings::toString);
        assertEquals(Files.readString(PROJECT.resolve("inventory/group_vars/db.yml")), Files.readString(out.resolve("inventory/group_vars/db.yml")));
        String web = Files.readString(PROJECT.resolve("inventory/group_vars/web.yml"));
        assertTrue(Files.readString(out.resolve("inventory/group_vars/web.yml")).contains(web.substring(web.indexOf("web_token: !vault"))), web);
    }

    @Test
    void vaultInAPlaybookAndEncryptedVarsFilesOpen() throws IOException {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("vars"));
        byte[] pw = "convert-vault-pw".getBytes(StandardCharsets.UTF_8);
        String inline = VaultCipher.encrypt("tok".getBytes(StandardCharsets.UTF_8), pw, null).strip().replace("\n", "\n          ");
        Files.writeString(src.resolve("site.yml"), "- hosts: all\n  vars_files:\n    - vars/secret.yml\n  vars:\n    token: !vault |\n          " + inline
                + "\n  tasks:\n    - debug:\n        msg: \"{{ token }}\"\n");
        Files.writeString(src.resolve("vars/secret.yml"), VaultCipher.encrypt("db_password: x\n".getBytes(StandardCharsets.UTF_8), pw, null));
        StringWriter o = new StringWriter(), err = new StringWriter();
        int code = Main.run(new PrintWriter(o, true), new PrintWriter(err, true), "convert", src.toString(), "-o", tmp.resolve("out").toString(),
                "--vault-password-file", VAULT_PASSWORD.toString());
        // rig opens inline !vault values in a play's vars itself: converted, nothing to report
        assertEquals(0, code, o + "\n" + err);
        assertTrue(Files.readString(tmp.resolve("out/site.yml")).contains("token: !vault |"), Files.readString(tmp.resolve("out/site.yml")));
        Files.writeString(src.resolve("site.yml"), "- hosts: all\n  vars_files:\n    - vars/secret.yml\n  tasks:\n    - debug:\n        msg: \"{{ db_password }}\"\n");
        o = new StringWriter();
        code = Main.run(new PrintWriter(o, true), new PrintWriter(err, true), "convert", src.toString(), "-o", tmp.resolve("out").toString(),
                "--vault-password-file", VAULT_PASSWORD.toString());
        // rig opens an encrypted vars_files file itself: converted, nothing to report
        assertEquals(0, code, o + "\n" + err);
        o = new StringWriter();
        code = Main.run(new PrintWriter(o, true), new PrintWriter(err, true), "convert", src.toString(), "-o", tmp.resolve("out").toString());
        assertEquals(2, code, o + "\n" + err);
        assertTrue(o.toString().contains("1 thing left as written"), o.toString()); // once, not again as rig's own refusal
        assertTrue(o.toString().contains("vars/secret.yml:1:1: encrypted with Ansible Vault and no vault password given"), o.toString());
    }

    @Test
    void binaryFilesFilesJ2UnsafeAndFreeFormArguments() throws IOException {
        Path src = tmp.resolve("src");
        Files.createDirectories(src.resolve("templates"));
        Files.createDirectories(src.resolve("roles/r/files"));
        byte[] png = {(byte) 0x89, 'P', 'N', 'G', (byte) 0xff, (byte) 0xd8, 0, 1};
        Files.write(src.resolve("templates/logo.png"), png);
        Files.writeString(src.resolve("roles/r/files/conf.j2"), "x={{ x }} ${HOME}\n");
        Files.writeString(src.resolve("templates/motd.j2"), "hello {{ inventory_hostname }}\n");
        Files.writeString(src.resolve("site.yml"), """
                - hosts: all
                  vars:
                    tpl: motd
                    raw: !unsafe "{{ not templated }} ${HOME}"
                    block: !unsafe |
                      {{ a }} ${b}
                    after: 1
                  tasks:
                    - name: free form
                      template: src=templates/motd.j2 dest=/tmp/{{ tpl }} mode=0644
                    - name: free form file
                      file: path=/tmp/d state=directory
                    - name: computed
                      template:
                        src: "templates/{{ tpl }}.j2"
                        dest: /tmp/x
                """);
        Path out = tmp.resolve("out");
        List<Finding> findings = converter().convert(src, out).findings();
        String report = findings.toString();
        assertTrue(report.contains("templates/logo.png: not UTF-8 text: copied as it is"), report);
        assertTrue(report.contains("site.yml:15:14: a template src computed with Jinja2"), report);
        assertFalse(report.contains("free-form"), report);
        assertTrue(findings.stream().noneMatch(f -> f.line() >= 1 && f.line() <= 12), report);
        // a binary file and a files/*.j2 are copied byte for byte, under their own names
        assertEquals(java.util.Arrays.toString(png), java.util.Arrays.toString(Files.readAllBytes(out.resolve("templates/logo.png"))));
        assertEquals("x={{ x }} ${HOME}\n", Files.readString(out.resolve("roles/r/files/conf.j2")));
        assertFalse(Files.exists(out.resolve("roles/r/files/conf.ftl")));
        String site = Files.readString(out.resolve("site.yml"));
        // !unsafe: Ansible does not template it; rig has no such tag, so the text stays literal with ${ escaped
        assertTrue(site.contains("    raw: \"{{ not templated }} $${HOME}\"\n"), site);
        assertTrue(site.contains("    block: \"{{ a }} $${b}\\n\"\n    after: 1\n"), site);
        // key=value free form becomes a map, the template's src renamed
        assertTrue(site.contains("      template: {src: \"templates/motd.ftl\", dest: \"/tmp/${tpl}\", mode: \"0644\"}\n"), site);
        assertTrue(site.contains("      file: {path: \"/tmp/d\", state: \"directory\"}\n"), site);
    }
}

package dev.rig.vault;

import dev.rig.cli.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rig vault and Debian's real ansible-vault open each other's files and strings, 1.1 and 1.2 (vault-id labels). */
@Tag("integration")
class VaultInteropTest {
    @TempDir Path dir;

    private record Result(int exit, String out, String err) {}

    private Result ansible(String... args) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(args).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
        env.put("HOME", dir.toString());
        env.put("ANSIBLE_CONFIG", dir.resolve("no-ansible.cfg").toString());
        env.put("ANSIBLE_HOME", dir.resolve(".ansible").toString());
        env.put("ANSIBLE_LOCAL_TEMP", dir.resolve("tmp").toString());
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) throw new AssertionError("ansible did not finish: " + List.of(args));
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    private static Result rig(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    @Test
    void rigEncryptsAnsibleDecryptsAndBack() throws Exception {
        Path pass = write("pass", "s3cret-pass\n");
        Path mine = write("mine.yml", "token: from-rig\nnumber: 42\n");
        assertEquals(0, rig("vault", "encrypt", "--vault-password-file", pass.toString(), mine.toString()).exit);
        assertTrue(Files.readString(mine).startsWith("$ANSIBLE_VAULT;1.1;AES256\n"));
        Result view = ansible("ansible-vault", "view", "--vault-password-file", pass.toString(), mine.toString());
        assertEquals("token: from-rig\nnumber: 42\n", view.out, view.err);

        Path theirs = write("theirs.yml", "token: from-ansible\n");
        assertEquals(0, ansible("ansible-vault", "encrypt", "--vault-password-file", pass.toString(), theirs.toString()).exit);
        Result rigView = rig("vault", "view", "--vault-password-file", pass.toString(), theirs.toString());
        assertEquals("token: from-ansible\n", rigView.out, rigView.err);
        assertEquals(0, rig("vault", "decrypt", "--vault-password-file", pass.toString(), theirs.toString()).exit);
        assertEquals("token: from-ansible\n", Files.readString(theirs));
    }

    @Test
    void vaultIdLabelsBothWaysAndAPasswordScript() throws Exception {
        Path script = write("pass.sh", "#!/bin/sh\necho script-made-pass\n");
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
        Path mine = write("labelled.yml", "who: rig\n");
        assertEquals(0, rig("vault", "encrypt", "--vault-id", "prod@" + script, mine.toString()).exit);
        assertTrue(Files.readString(mine).startsWith("$ANSIBLE_VAULT;1.2;AES256;prod\n"));
        Result view = ansible("ansible-vault", "view", "--vault-id", "prod@" + script, mine.toString());
        assertEquals("who: rig\n", view.out, view.err);

        Path theirs = write("theirs.yml", "who: ansible\n");
        assertEquals(0, ansible("ansible-vault", "encrypt", "--vault-id", "dev@" + script, theirs.toString()).exit);
        assertEquals("who: ansible\n", rig("vault", "view", "--vault-id", "dev@" + script, theirs.toString()).out);
    }

    @Test
    void encryptStringEachWay() throws Exception {
        Path pass = write("pass", "string-pass\n");
        Result mine = rig("vault", "encrypt_string", "--vault-password-file", pass.toString(), "-n", "api_secret", "rig-made");
        Path vars = write("vars.yml", mine.out);
        Result debug = ansible("ansible", "localhost", "-m", "debug", "-a", "var=api_secret", "-e", "@" + vars,
                "--vault-password-file", pass.toString());
        assertTrue(debug.out.contains("\"api_secret\": \"rig-made\""), debug.out + debug.err);

        Result theirs = ansible("ansible-vault", "encrypt_string", "--vault-password-file", pass.toString(), "-n", "db_conn", "ansible-made");
        Path inventory = write("hosts.yml", "all:\n  hosts:\n    h1:\n      " + theirs.out.strip().replace("\n", "\n      ") + "\n");
        Result host = rig("inventory", "-i", inventory.toString(), "--vault-password-file", pass.toString(), "--host", "h1");
        assertEquals(0, host.exit, host.err);
        assertTrue(host.out.contains("\"db_conn\" : \"********\""), host.out);
        assertFalse(host.out.contains("ansible-made"), host.out);
    }

    @Test
    void extraVarsFileEncryptedWholeIsOpenedAndMasked() throws Exception {
        Path pass = write("pass", "extra-pass\n");
        Path extra = write("extra.yml", "greeting_word: sesame-open\n");
        assertEquals(0, ansible("ansible-vault", "encrypt", "--vault-password-file", pass.toString(), extra.toString()).exit);
        Path inventory = write("hosts", "[web]\nweb1\n");
        Path playbook = write("site.yml", "- hosts: web\n  gather_facts: false\n  tasks:\n    - assert: {that: [\"greeting_word == 'sesame-open'\"]}\n    - debug: {msg: \"said ${greeting_word}\"}\n");
        Path out = dir.resolve("render");
        List<String> args = new ArrayList<>(List.of("render", "-i", inventory.toString(), "-e", "@" + extra,
                "--vault-password-file", pass.toString(), "-o", out.toString(), playbook.toString()));
        Result render = rig(args.toArray(String[]::new));
        assertEquals(0, render.exit, render.out + render.err);
        assertTrue(render.out.contains("said ********"), render.out);
        assertFalse((render.out + render.err).contains("sesame-open"), render.out + render.err);
        Result noPass = rig("render", "-i", inventory.toString(), "-e", "@" + extra, "-o", out.toString(), playbook.toString());
        assertEquals(1, noPass.exit);
        assertTrue(noPass.err.contains(extra + ": encrypted with Ansible Vault, and no vault password was given"), noPass.err);
    }
}

package dev.rig.vault;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vault data everywhere Ansible opens it (vars_files, -e @FILE with inline !vault, an inventory file encrypted
 * whole), decrypted to the right values and masked in what rig prints: by name for short values and
 * booleans, in free text for the rest. The files are encrypted with rig vault (VaultInteropTest proves that
 * ansible-vault reads the same bytes).
 */
class VaultSecretsTest {
    @TempDir Path dir;
    private Path pass;

    private record Result(int exit, String out, String err) {
        String all() {
            return out + err;
        }
    }

    private static Result rig(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private Path encrypted(String name, String content) throws IOException {
        Path file = write(name, content);
        if (pass == null) pass = write("pass", "secrets-test-pass\n");
        Result r = rig("vault", "encrypt", "--vault-password-file", pass.toString(), file.toString());
        assertEquals(0, r.exit, r.err);
        assertTrue(Files.readString(file).startsWith("$ANSIBLE_VAULT;1.1;AES256"));
        return file;
    }

    /** "NAME: !vault |" and its envelope, as ansible-vault encrypt_string -n prints it. */
    private String inline(String name, String plaintext) throws IOException {
        if (pass == null) pass = write("pass", "secrets-test-pass\n");
        Result r = rig("vault", "encrypt_string", "--vault-password-file", pass.toString(), "-n", name, plaintext);
        assertEquals(0, r.exit, r.err);
        assertTrue(r.out.startsWith(name + ": !vault |"), r.out);
        return r.out.strip() + "\n";
    }

    @Test
    void varsFilesEncryptedWholeAndInlineOpenToTheirValuesAndStayMasked() throws Exception {
        encrypted("vars/whole.yml", "vf_word: opensesame-vf\npin: 42\n");
        write("vars/inline.yml", inline("api_word", "inline-vf-plain") + "plain_word: visible-word\n");
        Path inventory = write("hosts", "[web]\nweb1\n");
        Path playbook = write("site.yml", """
                - hosts: web
                  gather_facts: false
                  vars_files: [vars/whole.yml, vars/inline.yml]
                  tasks:
                    - assert: {that: ["vf_word == 'opensesame-vf'", "pin == 42", "api_word == 'inline-vf-plain'"]}
                    - debug: {msg: "${vf_word} ${api_word} ${plain_word}"}
                """);
        Result render = rig("render", "-i", inventory.toString(), "--vault-password-file", pass.toString(),
                "-o", dir.resolve("out").toString(), playbook.toString());
        assertEquals(0, render.exit, render.all());
        assertTrue(render.all().contains("visible-word"), render.all()); // the debug ran and printed
        assertFalse(render.all().contains("opensesame-vf"), render.all());
        assertFalse(render.all().contains("inline-vf-plain"), render.all());

        Result noPass = rig("render", "-i", inventory.toString(), "-o", dir.resolve("out2").toString(), playbook.toString());
        assertEquals(1, noPass.exit);
        assertTrue(noPass.err.contains(dir.resolve("vars/whole.yml") + ": encrypted with Ansible Vault, and no vault password was given"), noPass.err);
    }

    @Test
    void inlineVaultInPlayBlockAndTaskVarsOpensAndIsMasked() throws Exception {
        Path inventory = write("hosts", "[web]\nweb1\n");
        Path playbook = write("site.yml", "- hosts: web\n  gather_facts: false\n  vars:\n"
                + at(4, inline("play_word", "inline-play-plain"))
                + "  tasks:\n    - block:\n        - debug:\n" + at(12, inline("msg", "inline-arg-plain"))
                + "        - debug: {msg: \"${play_word} ${block_word} ${task_word} shown\"}\n"
                + "          vars:\n" + at(12, inline("task_word", "inline-task-plain"))
                + "      vars:\n" + at(8, inline("block_word", "inline-block-plain")));
        Result render = rig("render", "-i", inventory.toString(), "--vault-password-file", pass.toString(),
                "-o", dir.resolve("out").toString(), playbook.toString());
        assertEquals(0, render.exit, render.all() + "\n" + Files.readString(playbook));
        assertTrue(render.all().contains("******** ******** ******** shown"), render.all());
        assertTrue(render.all().contains("********"), render.all()); // the module argument's debug ran, masked
        for (String plain : new String[] {"inline-play-plain", "inline-block-plain", "inline-task-plain", "inline-arg-plain"}) {
            assertFalse(render.all().contains(plain), render.all());
        }

        Result noPass = rig("render", "-i", inventory.toString(), "-o", dir.resolve("out2").toString(), playbook.toString());
        assertEquals(1, noPass.exit, noPass.all());
        assertTrue(noPass.err.contains(playbook + ":4:"), noPass.err); // the play's vars, where the value is written
    }

    /** An encrypt_string answer re-indented: its key line at {@code indent}, the envelope two further in. */
    private static String at(int indent, String encryptString) {
        String[] lines = encryptString.strip().split("\n");
        StringBuilder b = new StringBuilder(" ".repeat(indent)).append(lines[0].strip()).append('\n');
        for (int i = 1; i < lines.length; i++) b.append(" ".repeat(indent + 2)).append(lines[i].strip()).append('\n');
        return b.toString();
    }

    @Test
    void extraVarsFileWithInlineVaultOpensAndIsMasked() throws Exception {
        Path extra = write("extra.yml", inline("greeting", "inline-extra-word") + "other: 1\n");
        Path inventory = write("hosts", "[web]\nweb1\n");
        Path playbook = write("site.yml", """
                - hosts: web
                  gather_facts: false
                  tasks:
                    - assert: {that: ["greeting == 'inline-extra-word'"]}
                    - debug: {msg: "said ${greeting}"}
                """);
        Result render = rig("render", "-i", inventory.toString(), "-e", "@" + extra, "--vault-password-file", pass.toString(),
                "-o", dir.resolve("out").toString(), playbook.toString());
        assertEquals(0, render.exit, render.all());
        assertTrue(render.all().contains("said ********"), render.all());
        assertFalse(render.all().contains("inline-extra-word"), render.all());
    }

    @Test
    void inventoryEncryptedWholeIsMaskedWhateverTheNamesIniAndYaml() throws Exception {
        Path ini = encrypted("ini/hosts", "[db]\ndb1 db_name=orders-db replicas=3\n[db:vars]\nshort=7\nenabled=True\n");
        Path yaml = encrypted("yaml/hosts.yml", "all:\n  hosts:\n    db2: {db_name: billing-db, flag: true, n: 5}\n");
        for (Path inventory : new Path[] {ini, yaml}) {
            Result list = rig("inventory", "-i", inventory.toString(), "--vault-password-file", pass.toString(), "--list");
            assertEquals(0, list.exit, list.err);
            JsonNode hostvars = new ObjectMapper().readTree(list.out).path("_meta").path("hostvars"); // valid JSON
            JsonNode host = hostvars.elements().next();
            host.fields().forEachRemaining(e -> assertEquals("********", e.getValue().asText(), e.getKey() + " in " + list.out));
            assertFalse(list.out.contains("orders-db") || list.out.contains("billing-db"), list.out);
        }
        JsonNode db1 = new ObjectMapper().readTree(rig("inventory", "-i", ini.toString(), "--vault-password-file", pass.toString(),
                "--host", "db1").out);
        assertEquals(4, db1.size(), db1.toString()); // db_name, replicas, short, enabled: each masked above
    }

    @Test
    void shortAndBooleanVaultValuesAreMaskedByNameInInventoryViews() throws Exception {
        write("inv/hosts", "[app]\napp1 plain_port=42\n");
        encrypted("inv/group_vars/app/vault.yml", "pin: 42\nlocked: true\n");
        write("inv/group_vars/app/plain.yml", inline("code", "9") + "visible: 42\n");
        Result host = rig("inventory", "-i", dir.resolve("inv/hosts").toString(), "--vault-password-file", pass.toString(),
                "--host", "app1");
        assertEquals(0, host.exit, host.err);
        JsonNode vars = new ObjectMapper().readTree(host.out);
        assertEquals("********", vars.path("pin").asText(), host.out);
        assertEquals("********", vars.path("locked").asText(), host.out);
        assertEquals("********", vars.path("code").asText(), host.out);
        // The same value under a name that is not the vault's stays visible: short values are masked by name, not everywhere.
        assertEquals(42, vars.path("visible").asInt(), host.out);
        assertEquals(42, vars.path("plain_port").asInt(), host.out);
    }
}

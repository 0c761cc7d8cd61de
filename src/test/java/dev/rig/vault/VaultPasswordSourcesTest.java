package dev.rig.vault;

import dev.rig.testkit.Rig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Where the vault password comes from, as in a real shell: $ANSIBLE_VAULT_PASSWORD_FILE and
 * $ANSIBLE_VAULT_IDENTITY_LIST read from rig's own environment, --ask-vault-pass on a terminal (not echoed) and
 * without one (a clear error), and rig vault edit running $EDITOR on a private plaintext copy.
 */
@Tag("integration")
class VaultPasswordSourcesTest {
    @TempDir Path dir;

    private Path encrypted(String name, String content, String password) throws Exception {
        Path pass = Files.writeString(dir.resolve(name + ".pass"), password + "\n");
        Path file = Files.writeString(dir.resolve(name), content);
        Rig r = Rig.run("vault", "encrypt", "--vault-password-file", pass.toString(), file.toString());
        assertEquals(0, r.exit(), r.toString());
        return file;
    }

    @Test
    void passwordFileAndIdentityListFromTheEnvironment() throws Exception {
        Path file = encrypted("env.yml", "from: env-file\n", "env-pass");
        Rig view = Rig.subprocess(Map.of("ANSIBLE_VAULT_PASSWORD_FILE", dir.resolve("env.yml.pass").toString()),
                List.of("vault", "view", file.toString()));
        assertEquals(0, view.exit(), view.toString());
        assertEquals("from: env-file\n", view.out());

        Path other = encrypted("list.yml", "from: identity-list\n", "list-pass");
        Rig listed = Rig.subprocess(Map.of("ANSIBLE_VAULT_IDENTITY_LIST", "wrong@" + dir.resolve("env.yml.pass") + ",right@" + dir.resolve("list.yml.pass")),
                List.of("vault", "view", other.toString()));
        assertEquals(0, listed.exit(), listed.toString());
        assertEquals("from: identity-list\n", listed.out());

        Rig none = Rig.subprocess(Map.of(), List.of("vault", "view", file.toString()));
        assertEquals(1, none.exit(), none.toString());
        assertTrue(none.err().contains("no vault password: give --vault-password-file FILE"), none.toString());
    }

    @Test
    void askVaultPassReadsATerminalWithoutEchoAndRefusesWithoutOne() throws Exception {
        Path file = encrypted("asked.yml", "from: typed\n", "typed-pass-77");
        Rig typed = Rig.onTerminal(List.of("vault", "view", "--ask-vault-pass", file.toString()), "Vault password: ", "typed-pass-77");
        assertEquals(0, typed.exit(), typed.toString());
        assertTrue(typed.out().contains("from: typed"), typed.toString());
        assertFalse(typed.out().contains("typed-pass-77"), "the password was echoed: " + typed.out());

        Rig noTerminal = Rig.subprocess(Map.of(), List.of("vault", "view", "--ask-vault-pass", file.toString()));
        assertEquals(1, noTerminal.exit(), noTerminal.toString());
        assertTrue(noTerminal.err().contains("--ask-vault-pass needs a terminal to read the vault password from; use --vault-password-file FILE instead"),
                noTerminal.toString());
    }

    @Test
    void editRunsTheEditorOnAPrivatePlaintextCopyAndEncryptsTheResult() throws Exception {
        Path file = encrypted("edit.yml", "word: before\n", "edit-pass");
        Path seen = dir.resolve("editor-saw");
        Path editor = Files.writeString(dir.resolve("editor.sh"), """
                #!/bin/sh
                { stat -c %%a "$1"; cat "$1"; } > %s
                echo "$1" > %s
                sed -i 's/before/after/' "$1"
                """.formatted(seen, dir.resolve("editor-path")));
        Files.setPosixFilePermissions(editor, PosixFilePermissions.fromString("rwx------"));
        Rig edit = Rig.subprocess(Map.of("EDITOR", editor.toString()),
                List.of("vault", "edit", "--vault-password-file", dir.resolve("edit.yml.pass").toString(), file.toString()));
        assertEquals(0, edit.exit(), edit.toString());
        assertEquals("600\nword: before\n", Files.readString(seen), "the editor got the plaintext in a file only its owner reads");
        assertTrue(Files.readString(file).startsWith("$ANSIBLE_VAULT;1.1;AES256\n"), "encrypted again");
        assertFalse(Files.readString(file).contains("after"));
        Rig view = Rig.run("vault", "view", "--vault-password-file", dir.resolve("edit.yml.pass").toString(), file.toString());
        assertEquals("word: after\n", view.out(), view.toString());
        Path copy = Path.of(Files.readString(dir.resolve("editor-path")).strip());
        assertTrue(copy.getFileName().toString().startsWith("rig-vault-"), copy.toString());
        assertFalse(Files.exists(copy), "the plaintext copy is deleted: " + copy);

        Path failing = Files.writeString(dir.resolve("fail.sh"), "#!/bin/sh\necho changed > \"$1\"\nexit 3\n");
        Files.setPosixFilePermissions(failing, PosixFilePermissions.fromString("rwx------"));
        String before = Files.readString(file);
        Rig failed = Rig.subprocess(Map.of("EDITOR", failing.toString()),
                List.of("vault", "edit", "--vault-password-file", dir.resolve("edit.yml.pass").toString(), file.toString()));
        assertEquals(1, failed.exit(), failed.toString());
        assertTrue(failed.err().contains("the editor exited with 3; file left unchanged"), failed.toString());
        assertEquals(before, Files.readString(file));
    }
}

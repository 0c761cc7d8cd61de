package dev.rig.playbook;

import dev.rig.core.InputError;
import dev.rig.core.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** vars_prompt read at load; without a terminal, an error naming the entry unless -e gave the variable. */
class VarsPromptTest {
    @TempDir
    Path dir;

    private Playbook load(String yaml) throws IOException {
        Path pb = dir.resolve("site.yml");
        Files.writeString(pb, yaml);
        return PlaybookLoader.load(pb, Fixtures.catalog(), Fixtures.TEMPLATES);
    }

    @Test
    void entriesAreReadWithAnsiblesDefaults() throws IOException {
        Playbook pb = load("""
                - hosts: all
                  vars_prompt:
                    - name: password
                      prompt: Password
                    - {name: region, prompt: Region, private: false, default: ams3}
                  tasks: []
                """);
        List<VarsPrompt> p = pb.plays().get(0).varsPrompt();
        assertEquals(2, p.size());
        assertEquals("password", p.get(0).name());
        assertTrue(p.get(0).hidden(), "private is Ansible's default");
        assertFalse(p.get(1).hidden());
        assertEquals("ams3", p.get(1).defaultValue());
        assertEquals(new Source(pb.file().toString(), 3, 7), p.get(0).source());
    }

    @Test
    void withoutATerminalAVariableNotGivenWithDashEIsAnError() throws IOException {
        Playbook pb = load("""
                - hosts: all
                  vars_prompt:
                    - {name: who, prompt: Who}
                    - {name: given, prompt: Given}
                  tasks: []
                """);
        VarsPrompt.Answers a = VarsPrompt.ask(List.of(pb), Map.of("given", "x"), null);
        assertEquals(List.of(new InputError(new Source(pb.file().toString(), 3, 7),
                "vars_prompt 'who' needs a terminal to ask on; give it with -e who=VALUE")), a.errors());
        assertFalse(pb.plays().get(0).vars().containsKey("given"), "-e gives it, as in Ansible; the play's vars are left alone");
    }

    @Test
    void ansiblesOtherPromptOptionsAreRefusedByName() {
        Path pb = Fixtures.write(dir, "bad.yml", "- hosts: all\n  vars_prompt:\n    - {name: pw, prompt: P, encrypt: sha512_crypt}\n  tasks: []\n");
        List<InputError> errors = Fixtures.loadFails(pb).errors();
        assertEquals(1, errors.size(), errors.toString());
        assertTrue(errors.get(0).message().startsWith("unknown keyword 'encrypt' in vars_prompt entry"), errors.toString());
    }
}

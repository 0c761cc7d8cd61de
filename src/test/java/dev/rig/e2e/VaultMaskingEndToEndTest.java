package dev.rig.e2e;

import dev.rig.lab.LabFleet;
import dev.rig.testkit.LabHosts;
import dev.rig.testkit.Rig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Vault values from every place Ansible opens them — a group_vars file encrypted whole, an inline !vault in
 * group_vars, a playbook's encrypted vars_files, an encrypted -e @FILE — used by a play on a real sshd host:
 * the host gets the decrypted values, and none of them appears in anything rig prints or writes: plan and
 * apply output, --json events, the saved plan file, the apply of that saved plan.
 */
@Tag("integration")
class VaultMaskingEndToEndTest {
    private static final List<String> SECRETS = List.of("whole-file-secret-1", "inline-secret-2", "vars-file-secret-3", "extra-file-secret-4");

    @TempDir
    static Path dir;
    @RegisterExtension
    static final LabHosts lab = LabHosts.named("vault1");
    static LabFleet fleet;
    static Path pass;

    @BeforeAll
    static void start() throws Exception {
        fleet = lab.fleet();
        pass = Files.writeString(dir.resolve("vault-pass"), "e2e-vault-pass\n");
    }

    private static Path write(String name, String content) throws Exception {
        Path file = dir.resolve(name);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, content, StandardCharsets.UTF_8);
    }

    private static Path encrypted(String name, String content) throws Exception {
        Path file = write(name, content);
        Rig r = Rig.run("vault", "encrypt", "--vault-password-file", pass.toString(), file.toString());
        assertEquals(0, r.exit(), r.toString());
        return file;
    }

    @Test
    void decryptedValuesReachTheHostAndNeverTheOutputPlanOrEvents() throws Exception {
        Path inventory = fleet.writeInventory(dir.resolve("inv/hosts.yml"), Map.of());
        encrypted("inv/group_vars/all/vault.yml", "db_word: whole-file-secret-1\npin: 42\n");
        Rig inline = Rig.run("vault", "encrypt_string", "--vault-password-file", pass.toString(), "-n", "api_word", "inline-secret-2");
        assertEquals(0, inline.exit(), inline.toString());
        write("inv/group_vars/all/plain.yml", inline.out().strip() + "\n");
        encrypted("play/vars/vault.yml", "vf_word: vars-file-secret-3\n");
        Path extra = encrypted("extra.yml", "extra_word: extra-file-secret-4\n");
        Path playbook = write("play/site.yml", """
                - hosts: all
                  gather_facts: false
                  vars_files: [vars/vault.yml]
                  tasks:
                    - name: write the secrets
                      copy:
                        dest: /srv/vault-e2e.txt
                        content: "${db_word} ${api_word} ${vf_word} ${extra_word} pin=${pin}\\n"
                    - name: say one
                      debug: {msg: "db is ${db_word}"}
                    - name: echo one
                      command: echo ${api_word} ${extra_word}
                      changed_when: false
                """);
        Path savedPlan = dir.resolve("plan.json");
        List<String> common = List.of("-i", inventory.toString(), "--known-hosts", fleet.knownHosts().toString(),
                "--vault-password-file", pass.toString(), "-e", "@" + extra);
        List<Rig> runs = new ArrayList<>();

        Rig plan = rig("plan", common, "--out", savedPlan.toString(), playbook.toString());
        runs.add(plan);
        assertEquals(0, plan.exit(), plan.toString());
        Rig planJson = rig("plan", common, "--json", playbook.toString());
        runs.add(planJson);
        assertEquals(0, planJson.exit(), planJson.toString());
        assertTrue(planJson.out().lines().allMatch(line -> line.isBlank() || line.startsWith("{")), planJson.out());

        Rig applySaved = rig("apply", common, savedPlan.toString());
        runs.add(applySaved);
        assertEquals(0, applySaved.exit(), applySaved.toString());
        assertEquals("whole-file-secret-1 inline-secret-2 vars-file-secret-3 extra-file-secret-4 pin=42\n",
                fleet.exec("vault1", "cat /srv/vault-e2e.txt"), "the host got the decrypted values");

        fleet.exec("vault1", "rm /srv/vault-e2e.txt");
        Rig applyJson = rig("apply", common, "--yes", "--json", playbook.toString());
        runs.add(applyJson);
        assertEquals(0, applyJson.exit(), applyJson.toString());
        assertTrue(applyJson.out().contains("\"changed\""), applyJson.out());
        assertTrue(fleet.exec("vault1", "cat /srv/vault-e2e.txt").startsWith("whole-file-secret-1 "));

        List<String> everything = new ArrayList<>();
        for (Rig run : runs) {
            everything.add(run.out());
            everything.add(run.err());
        }
        everything.add(Files.readString(savedPlan));
        try (Stream<Path> written = Files.walk(dir)) { // anything else rig left here (diff logs, reports)
            for (Path file : written.filter(Files::isRegularFile).filter(f -> f.getFileName().toString().startsWith("rig-")).toList()) {
                everything.add(Files.readString(file));
            }
        }
        assertTrue(plan.out().contains("********"), "the plan shows the masked content: " + plan.out());
        for (String text : everything) {
            for (String secret : SECRETS) assertFalse(text.contains(secret), secret + " printed in:\n" + text);
        }
        Rig noPass = Rig.run(List.of("apply", "-i", inventory.toString(), "--known-hosts", fleet.knownHosts().toString(), "-e", "@" + extra,
                savedPlan.toString()));
        assertEquals(1, noPass.exit(), noPass.toString());
        assertTrue(noPass.err().contains("encrypted with Ansible Vault, and no vault password was given"), noPass.toString());
    }

    private static Rig rig(String command, List<String> common, String... more) {
        List<String> args = new ArrayList<>(List.of(command));
        args.addAll(common);
        args.addAll(List.of(more));
        return Rig.run(args);
    }
}

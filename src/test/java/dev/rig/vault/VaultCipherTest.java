package dev.rig.vault;

import dev.rig.core.InvalidInputException;
import dev.rig.inventory.Inventory;
import dev.rig.inventory.InventoryLoader;
import dev.rig.load.Inputs;
import org.junit.jupiter.api.Test;

import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ansible Vault decryption of files the real ansible-vault wrote (stored in the corpus), and rig's own envelopes. */
class VaultCipherTest {
    private static Path corpus(String path) throws URISyntaxException {
        return Path.of(VaultCipherTest.class.getResource("/ansible-corpus/" + path).toURI());
    }

    private static VaultPasswords password(Path file) {
        return VaultPasswords.from(List.of(), List.of(file), false, Map.of());
    }

    @Test
    void opensAFileAnsibleVaultEncrypted() throws Exception {
        String envelope = Files.readString(corpus("45-vault-whole-group-vars/inventory/group_vars/web/vault.yml"));
        byte[] plain = VaultCipher.decrypt(envelope, "corpus-vault-password".getBytes(StandardCharsets.UTF_8));
        assertTrue(new String(plain, StandardCharsets.UTF_8).startsWith("db_password: Tr0ub4dor-and-3\n"));
    }

    @Test
    void wrongPasswordIsReportedAsSuch() throws Exception {
        String envelope = Files.readString(corpus("45-vault-whole-group-vars/inventory/group_vars/web/vault.yml"));
        VaultCipher.VaultException e = assertThrows(VaultCipher.VaultException.class,
                () -> VaultCipher.decrypt(envelope, "not-it".getBytes(StandardCharsets.UTF_8)));
        assertTrue(e.wrongPassword);
    }

    @Test
    void roundTripsWithALabel() throws Exception {
        String envelope = VaultCipher.encrypt("héllo\n".getBytes(StandardCharsets.UTF_8), "pw".getBytes(StandardCharsets.UTF_8), "prod");
        assertTrue(envelope.startsWith("$ANSIBLE_VAULT;1.2;AES256;prod\n"), envelope);
        assertEquals("prod", VaultCipher.label(envelope).orElseThrow());
        assertEquals("héllo\n", new String(VaultCipher.decrypt(envelope, "pw".getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8));
        assertTrue(envelope.lines().skip(1).allMatch(line -> line.length() <= 80 && line.matches("[0-9a-f]+")));
    }

    @Test
    void inventoryWithVaultValuesLoadsAndEveryDecryptedValueIsASecret() throws Exception {
        Path dir = corpus("45-vault-whole-group-vars");
        VaultPasswords vault = password(dir.resolve("vault-pass"));
        Inventory inventory = InventoryLoader.load(List.of(dir.resolve("inventory")), List.of(), Map.of(), vault);
        Map<String, Object> web1 = inventory.host("web1").orElseThrow().vars();
        assertEquals("only-web1-knows", web1.get("host_secret"));
        assertEquals(987654, web1.get("secret_number"));
        // api_endpoint and host_secret have no secret-like names: they are secrets because they were encrypted
        assertTrue(inventory.secretValues().containsAll(List.of("https://internal.example", "only-web1-knows", "987654")));
        assertFalse(inventory.secretValues().contains("clear"), "a plain file's values are not secrets");
    }

    @Test
    void inputsMaskEveryDecryptedValueInTheInventoryViews() throws Exception {
        Path dir = corpus("46-vault-inline-yaml");
        Inputs inputs = Inputs.inventoryOnly(List.of(dir.resolve("inventory.yml")), null, password(dir.resolve("vault-pass")));
        String list = inputs.inventory.view("list", null, null, false, false, inputs.secrets::redactValue);
        String yaml = inputs.inventory.view("host", "db1", null, true, true, inputs.secrets::redactValue);
        for (String out : List.of(list, yaml, inputs.secrets.redact("conn postgres://u:pw@db/x"))) {
            assertFalse(out.contains("postgres://u:pw@db/x"), out);
            assertFalse(out.contains("123456"), out);
        }
        assertTrue(list.contains("\"conn_string\" : \"********\""), list);
        assertTrue(list.contains("visible-value"), list);
    }

    @Test
    void noPasswordOrAWrongOneNamesTheFile() throws Exception {
        Path dir = corpus("45-vault-whole-group-vars");
        InvalidInputException none = assertThrows(InvalidInputException.class, () -> InventoryLoader.load(dir.resolve("inventory")));
        assertTrue(none.getMessage().contains("vault.yml") && none.getMessage().contains("no vault password was given"), none.getMessage());
        Path wrong = Files.createTempFile("wrong", ".pass");
        Files.writeString(wrong, "wrong\n");
        InvalidInputException bad = assertThrows(InvalidInputException.class,
                () -> InventoryLoader.load(List.of(dir.resolve("inventory")), List.of(), Map.of(), password(wrong)));
        assertTrue(bad.getMessage().contains("group_vars/web/vault.yml") && bad.getMessage().contains("wrong vault password"), bad.getMessage());
        Files.delete(wrong);
    }
}

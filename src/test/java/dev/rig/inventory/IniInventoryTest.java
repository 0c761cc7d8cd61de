package dev.rig.inventory;

import dev.rig.core.InputError;
import dev.rig.core.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.rig.inventory.Fixtures.host;
import static dev.rig.inventory.Fixtures.loadFails;
import static dev.rig.inventory.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The INI format as Ansible's ini plugin reads it; the differential corpus checks the same against ansible-inventory. */
class IniInventoryTest {
    @TempDir Path dir;

    private InputError onlyError(String ini) {
        Path file = write(dir, "hosts", ini);
        List<InputError> errors = loadFails(file).errors();
        assertEquals(1, errors.size(), errors.toString());
        return errors.get(0);
    }

    @Test
    void typesValuesAsPythonLiterals() {
        Path file = write(dir, "hosts", """
                [web]
                web1 n=8080 q="1" t=True w=yes l="[1, 'a']" s='two words' # comment
                [web:vars]
                d={'k': None}
                f = 1.5
                """);
        Map<String, Object> vars = host(InventoryLoader.load(file), "web1").vars();
        assertEquals(8080, vars.get("n"));
        assertEquals(1, vars.get("q"), "the shell quotes go, then the literal is read, as in Ansible");
        assertEquals(true, vars.get("t"));
        assertEquals("yes", vars.get("w"));
        assertEquals(List.of(1, "a"), vars.get("l"));
        assertEquals("two words", vars.get("s"));
        assertEquals(1.5, vars.get("f"));
        assertNull(((Map<?, ?>) vars.get("d")).get("k"));
    }

    @Test
    void yamlNamedFileWithIniContentIsIni() {
        Path file = write(dir, "inventory.yml", "[db]\ndb1 ansible_port=2222\n");
        assertEquals(2222, host(InventoryLoader.load(file), "db1").port());
    }

    @Test
    void badRangeNamesLineAndColumn() {
        InputError error = onlyError("[web]\n  web[3:x] a=1\n");
        assertEquals(new Source(dir.resolve("hosts").toString(), 2, 3), error.source());
        assertTrue(error.message().contains("invalid host range"), error.message());
    }

    @Test
    void childrenNamingNoGroupIsAnError() {
        InputError error = onlyError("[web]\nweb1\n[prod:children]\nweb\nnowhere\n");
        assertEquals(new Source(dir.resolve("hosts").toString(), 5, 1), error.source());
        assertEquals("section [prod:children] names group 'nowhere', which is not defined in this inventory", error.message());
    }

    @Test
    void strayEqualsIsAnError() {
        InputError error = onlyError("[web]\nweb1 a = 1\n");
        assertEquals(new Source(dir.resolve("hosts").toString(), 2, 6), error.source());
        assertEquals("expected key=value after host 'web1', found 'a'", error.message());
        InputError vars = onlyError("[web]\nweb1\n[web:vars]\n=1\n");
        assertEquals(new Source(dir.resolve("hosts").toString(), 4, 1), vars.source());
    }

    @Test
    void varsForAnUndefinedGroupAndUnknownSectionTypes() {
        assertEquals("section [ghost:vars] is for group 'ghost', which is not defined in this inventory",
                onlyError("[ghost:vars]\na=1\n").message());
        assertTrue(onlyError("[web:hosts2]\nweb1\n").message().contains("unknown type 'hosts2'"));
        assertTrue(onlyError("[web]\nweb1 a=\"open\n").message().contains("no closing quotation"));
    }

    @Test
    void groupPriorityIsNoVariable() {
        Path file = write(dir, "hosts", "[a]\nh\n[b]\nh\n[a:vars]\nv=a\nansible_group_priority=5\n[b:vars]\nv=b\n");
        Inventory inventory = InventoryLoader.load(file);
        assertEquals("a", host(inventory, "h").vars().get("v"), "a's higher priority puts it after b");
        assertEquals(5, inventory.groups().get("a").priority());
        assertTrue(!host(inventory, "h").vars().containsKey("ansible_group_priority"));
    }

    @Test
    void subscriptsPickFromAGroup() {
        Path file = write(dir, "hosts", "[web]\nw[1:5]\n");
        Inventory inventory = InventoryLoader.load(file);
        assertEquals(List.of("w1"), names(inventory.select("web[0]")));
        assertEquals(List.of("w5"), names(inventory.select("web[-1]")));
        assertEquals(List.of("w2", "w3", "w4"), names(inventory.select("web[1:3]")));
        assertEquals(List.of("w4", "w5"), names(inventory.select("web[3:]")));
    }

    @Test
    void limitFileListsHosts() {
        Path file = write(dir, "hosts", "[web]\nw[1:5]\n");
        Path limit = write(dir, "limit.txt", "w2\nw4\n\n");
        Inventory inventory = InventoryLoader.load(file);
        assertEquals(List.of("w2", "w4"), names(inventory.select(Inventory.expandLimitFiles("@" + limit))));
    }

    @Test
    void maskedNumbersStayValidJson() throws Exception {
        Path file = write(dir, "hosts", "[db]\ndb1 mongo_admin_pass=123456 other=123456\n");
        Inventory inventory = InventoryLoader.load(file);
        dev.rig.core.Secrets secrets = new dev.rig.core.Secrets();
        secrets.collect(host(inventory, "db1").vars());
        String json = inventory.view("list", null, null, false, false, secrets::redactValue);
        var tree = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json);
        assertEquals("********", tree.at("/_meta/hostvars/db1/mongo_admin_pass").asText());
        assertEquals("********", tree.at("/_meta/hostvars/db1/other").asText(), "the same value elsewhere is masked too");
        String yaml = inventory.view("host", "db1", null, true, false, secrets::redactValue);
        assertTrue(yaml.contains("mongo_admin_pass: '********'"), yaml);
    }

    private static List<String> names(List<Host> hosts) {
        return hosts.stream().map(Host::name).toList();
    }

    @Test
    void connectionVariablesRigCannotHonourAreRefusedWhereWrittenTheRestApplied() {
        InputError docker = onlyError("[web]\nweb1 ansible_connection=docker\n");
        assertEquals(new Source(dir.resolve("hosts").toString(), 2, 6), docker.source());
        assertEquals("ansible_connection 'docker' is not supported: rig connects with ssh or local only", docker.message());
        InputError args = onlyError("[web]\nweb1\n[web:vars]\nansible_ssh_common_args='-o ControlPersist=60s'\n");
        assertEquals(new Source(dir.resolve("hosts").toString(), 4, 1), args.source());
        assertTrue(args.message().startsWith("ansible_ssh_common_args: ssh option ControlPersist is not supported"), args.message());
        Path proxied = write(dir, "proxied", "[web]\nweb1\n[web:vars]\nansible_ssh_common_args='-o ProxyCommand=\"ssh -W %h:%p -q bastion\"'\n");
        assertEquals(java.util.Optional.of("ssh -W %h:%p -q bastion"), host(InventoryLoader.load(proxied), "web1").sshOptions().proxyCommand());
        InputError flag = onlyError("[web]\nweb1 ansible_ssh_extra_args='-C -o Port=2222'\n");
        assertEquals(new Source(dir.resolve("hosts").toString(), 2, 6), flag.source());
        assertTrue(flag.message().startsWith("ansible_ssh_extra_args: ssh flag -C is not supported"), flag.message());
        Path applied = write(dir, "applied", "[web]\nweb1 ansible_ssh_common_args='-o ProxyJump=root@bastion:2200 -oPort=2222'\n");
        dev.rig.ssh.SshOptions options = host(InventoryLoader.load(applied), "web1").sshOptions();
        assertEquals(java.util.Optional.of("root@bastion:2200"), options.proxyJump());
        assertEquals(java.util.Optional.of(2222), options.port());
        Path ok = write(dir, "ok", "[web]\nweb1 ansible_connection=local\nweb2 ansible_connection=ssh\n");
        assertEquals(2, InventoryLoader.load(ok).hosts().size());
    }
}

package dev.rig.inventory;

import dev.rig.core.InputError;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.rig.inventory.Fixtures.loadFails;
import static dev.rig.inventory.Fixtures.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every error names file:line:column (1-based), and all errors of one load come together. */
class InventoryErrorsTest {
    @TempDir
    Path dir;

    private Path hostsFile(String yaml) {
        return write(dir, "hosts.yml", yaml);
    }

    private static void assertError(InputError error, Path file, int line, int column, String message) {
        assertEquals(new Source(file.toString(), line, column), error.source(), error.toString());
        assertEquals(message, error.message());
    }

    private static InputError onlyError(InvalidInputException e) {
        assertEquals(1, e.errors().size(), e.getMessage());
        return e.errors().get(0);
    }

    @Test
    void unknownGroupKey() {
        Path file = hostsFile("""
                all:
                  children:
                    web:
                      hostz:
                        web1:
                """);
        assertError(onlyError(loadFails(file)), file, 4, 7, "unknown key 'hostz' in group 'web'; expected hosts, vars or children");
    }

    @Test
    void hostsGivenAsAList() {
        Path file = hostsFile("""
                all:
                  hosts:
                    - web1
                    - web2
                """);
        assertError(onlyError(loadFails(file)), file, 3, 5,
                "hosts of group 'all' must be a mapping of host names to variables, found a list");
    }

    @Test
    void varsGivenAsAString() {
        Path file = hostsFile("""
                web:
                  vars: port=80
                """);
        assertError(onlyError(loadFails(file)), file, 2, 9,
                "vars of group 'web' must be a mapping of variable names to values, found 'port=80'");
    }

    @Test
    void hostVariablesGivenAsAList() {
        Path file = hostsFile("""
                all:
                  hosts:
                    web1: [a, b]
                """);
        assertError(onlyError(loadFails(file)), file, 3, 11,
                "variables of host 'web1' must be a mapping of variable names to values, found a list");
    }

    @Test
    void hostNameThatIsNotText() {
        Path file = hostsFile("""
                all:
                  hosts:
                    ? [web1, web2]
                    :
                """);
        assertError(onlyError(loadFails(file)), file, 3, 7, "expected a host name, found a list");
    }

    @Test
    void longValuesAreShortenedInMessages() {
        Path file = hostsFile("""
                all:
                  hosts: "web1 web2 web3 web4 web5 web6 web7 web8 web9 web10"
                """);
        assertError(onlyError(loadFails(file)), file, 2, 10,
                "hosts of group 'all' must be a mapping of host names to variables, found 'web1 web2 web3 web4 web5 web6 web7 web8 ...'");
    }

    @Test
    void invalidAnsibleSshPort() {
        Path file = hostsFile("""
                all:
                  vars:
                    ansible_ssh_port: -1
                """);
        assertError(onlyError(loadFails(file)), file, 3, 23, "ansible_ssh_port must be a port number from 1 to 65535, found '-1'");
    }

    @Test
    void topLevelIsNotAMapping() {
        Path file = hostsFile("""
                - all
                """);
        assertError(onlyError(loadFails(file)), file, 1, 1,
                "the inventory must be a mapping of group names (normally 'all:'), found a list");
    }

    @Test
    void yamlSyntaxError() {
        Path file = hostsFile("""
                all:
                  hosts:
                    web1:
                      ansible_host: "10.0.0.1
                    web2:
                """);
        InputError error = onlyError(loadFails(file));
        assertEquals(new Source(file.toString(), 6, 1), error.source(), error.toString());
        assertTrue(error.message().startsWith("YAML syntax error: found unexpected end of stream"), error.message());
    }

    @Test
    void yamlSyntaxErrorInTheMiddleOfAFile() {
        Path file = hostsFile("""
                all:
                  hosts:
                    web1:
                   web2:
                """);
        InputError error = onlyError(loadFails(file));
        assertEquals(new Source(file.toString(), 4, 4), error.source(), error.toString());
        assertTrue(error.message().startsWith("YAML syntax error: "), error.message());
    }

    @Test
    void duplicateKey() {
        Path file = hostsFile("""
                all:
                  hosts:
                    web1:
                    web1:
                """);
        InputError error = onlyError(loadFails(file));
        assertEquals(new Source(file.toString(), 4, 5), error.source(), error.toString());
        assertTrue(error.message().startsWith("found duplicate key web1"), error.message());
    }

    @Test
    void directoryWithNoInventoryFile() {
        write(dir, "group_vars/all.yml", "a: 1\n");
        write(dir, "README.md", "# not an inventory, skipped as Ansible skips it\n");
        assertError(onlyError(loadFails(dir)), dir, 0, 0, "no inventory file found");
    }

    @Test
    void inventoryPathDoesNotExist() {
        Path missing = dir.resolve("nowhere");
        assertError(onlyError(loadFails(missing)), missing, 0, 0, "inventory not found: no such file or directory");
    }

    @Test
    void groupVarsFileThatIsNotAMapping() {
        hostsFile("""
                web:
                  hosts:
                    web1:
                """);
        Path varsFile = write(dir, "group_vars/web.yml", """
                # a list instead of a mapping
                - listen: 80
                """);
        assertError(onlyError(loadFails(dir)), varsFile, 2, 1,
                "a group_vars file must be a mapping of variable names to values, found a list");
    }

    @Test
    void invalidAnsiblePort() {
        Path file = hostsFile("""
                all:
                  hosts:
                    web1:
                      ansible_port: http
                """);
        assertError(onlyError(loadFails(file)), file, 4, 21, "ansible_port must be a port number from 1 to 65535, found 'http'");
    }

    @Test
    void ansiblePortOutOfRangeInGroupVars() {
        Path file = hostsFile("""
                web:
                  vars:
                    ansible_port: 70000
                """);
        assertError(onlyError(loadFails(file)), file, 3, 19, "ansible_port must be a port number from 1 to 65535, found '70000'");
    }

    @Test
    void invalidAnsibleBecome() {
        Path file = hostsFile("""
                all:
                  vars:
                    ansible_become: sometimes
                """);
        assertError(onlyError(loadFails(file)), file, 3, 21,
                "ansible_become must be a boolean (true/false, yes/no), found 'sometimes'");
    }

    @Test
    void invalidHostRange() {
        Path file = hostsFile("""
                all:
                  hosts:
                    web[3:1]:
                """);
        assertError(onlyError(loadFails(file)), file, 3, 5, "invalid host range in 'web[3:1]': the start must not be greater than the end");
    }

    @Test
    void childrenThatFormACycle() {
        Path file = hostsFile("""
                all:
                  children:
                    a:
                      children:
                        b:
                          children:
                            a:
                """);
        assertError(onlyError(loadFails(file)), file, 7, 13, "group 'a' cannot be a child of 'b': groups would contain each other (a > b > a)");
    }

    @Test
    void allCannotBeAChild() {
        Path file = hostsFile("""
                web:
                  children:
                    all:
                """);
        assertError(onlyError(loadFails(file)), file, 3, 5, "group 'all' cannot be a child of 'web': every group is already inside 'all'");
    }

    @Test
    void everyErrorIsReportedTogether() {
        Path hosts = hostsFile("""
                all:
                  children:
                    web:
                      host:
                        web1:
                      hosts:
                        web1:
                          ansible_port: "22a"
                    db:
                      hosts: db1
                """);
        Path groupVars = write(dir, "group_vars/web.yml", "just a string\n");
        Path hostVars = write(dir, "host_vars/web1/main.yml", "ansible_become: perhaps\n");

        List<InputError> errors = loadFails(dir).errors();

        assertEquals(5, errors.size(), errors.toString());
        assertError(errors.get(0), hosts, 4, 7, "unknown key 'host' in group 'web'; expected hosts, vars or children");
        assertError(errors.get(1), hosts, 8, 25, "ansible_port must be a port number from 1 to 65535, found '22a'");
        assertError(errors.get(2), hosts, 10, 14, "hosts of group 'db' must be a mapping of host names to variables, found 'db1'");
        assertError(errors.get(3), groupVars, 1, 1, "a group_vars file must be a mapping of variable names to values, found 'just a string'");
        assertError(errors.get(4), hostVars, 1, 17, "ansible_become must be a boolean (true/false, yes/no), found 'perhaps'");
    }

    @Test
    void messageOfTheExceptionListsEveryErrorWithItsPosition() {
        Path file = hostsFile("""
                all:
                  hostz:
                  varz:
                """);
        assertEquals(file + ":2:3: unknown key 'hostz' in group 'all'; expected hosts, vars or children\n"
                        + file + ":3:3: unknown key 'varz' in group 'all'; expected hosts, vars or children",
                loadFails(file).getMessage());
    }
}

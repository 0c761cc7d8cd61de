package dev.rig.playbook;

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

/**
 * Which plays gather facts (a fact named anywhere a task reads variables: a block's when, an
 * environment, an until), and which role variables each task carries (its own role instance's).
 */
class FactUseAndRoleScopeTest {
    @TempDir
    Path dir;

    private Play play(String yaml) throws IOException {
        Path pb = dir.resolve("site.yml");
        Files.writeString(pb, yaml);
        return PlaybookLoader.load(pb, Fixtures.catalog(), Fixtures.TEMPLATES).plays().get(0);
    }

    @Test
    void aFactInABlockWhenGathers() throws IOException {
        assertTrue(play("""
                - hosts: all
                  tasks:
                    - block:
                        - file: {path: /tmp/x, state: touch}
                      when: ansible_os_family == "Debian"
                """).gatherFacts());
    }

    @Test
    void aFactInAnEnvironmentOrAnUntilGathers() throws IOException {
        assertTrue(play("""
                - hosts: all
                  tasks:
                    - shell: echo "$H"
                      environment: {H: "${ansible_hostname}"}
                """).gatherFacts());
        assertTrue(play("""
                - hosts: all
                  tasks:
                    - shell: echo x
                      register: r
                      until: r.stdout == ansible_facts.hostname
                      retries: 1
                """).gatherFacts());
        assertTrue(play("""
                - hosts: all
                  environment: {K: "${ansible_kernel}"}
                  tasks:
                    - shell: echo "$K"
                """).gatherFacts());
    }

    @Test
    void aPlayThatNamesNoFactGathersNothing() throws IOException {
        assertFalse(play("""
                - hosts: all
                  tasks:
                    - block:
                        - shell: echo "$H"
                          environment: {H: "${inventory_hostname}"}
                      when: inventory_hostname == "a"
                """).gatherFacts());
    }

    @Test
    void eachRoleInstanceCarriesItsOwnVariables() throws IOException {
        Files.createDirectories(dir.resolve("roles/svc/tasks"));
        Files.writeString(dir.resolve("roles/svc/tasks/main.yml"), "- shell: echo ${port}\n");
        for (String r : List.of("ra", "rb")) {
            Files.createDirectories(dir.resolve("roles/" + r + "/tasks"));
            Files.createDirectories(dir.resolve("roles/" + r + "/defaults"));
            Files.writeString(dir.resolve("roles/" + r + "/tasks/main.yml"), "- shell: echo ${shared}\n");
            Files.writeString(dir.resolve("roles/" + r + "/defaults/main.yml"), "shared: from-" + r + "\n");
        }
        Play p = play("""
                - hosts: all
                  roles:
                    - {role: svc, vars: {port: 1}}
                    - {role: svc, vars: {port: 2}}
                    - ra
                    - rb
                """);
        List<Task> t = p.tasks();
        assertEquals(4, t.size());
        assertEquals(Map.of("port", 1), t.get(0).roleVars().vars());
        assertEquals(Map.of("port", 2), t.get(1).roleVars().vars());
        assertEquals(Map.of("shared", "from-ra"), t.get(2).roleVars().defaults());
        assertEquals(Map.of("shared", "from-rb"), t.get(3).roleVars().defaults());
        assertEquals(Map.of("shared", "from-rb"), p.roleDefaults(), "the play sees every role's defaults, the last winning");
        assertEquals(Map.of("port", 2), p.roleVars(), "Ansible 2.14 exports a role entry's vars to the play, the last winning");
    }
}

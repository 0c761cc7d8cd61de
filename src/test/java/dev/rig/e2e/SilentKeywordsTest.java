package dev.rig.e2e;

import dev.rig.testkit.Rig;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The places where an Ansible playbook used to run on rig doing something else in silence: tasks
 * tagged never, role dependencies, key=value arguments in a free form, a play's connection. Each
 * playbook runs for real on the implicit localhost (or with connection: local) through rig's command
 * line, and the test looks at what it left in a temporary directory.
 */
@Tag("integration")
class SilentKeywordsTest {
    @TempDir
    Path dir;

    private Rig apply(Path playbook, String... more) throws IOException {
        Path inventory = dir.resolve("inventory");
        if (!Files.isDirectory(inventory)) {
            Files.createDirectories(inventory);
            // A host nothing can reach: only connection: local may get its tasks done.
            Files.writeString(inventory.resolve("hosts.yml"), "all:\n  hosts:\n    far:\n      ansible_host: 127.0.0.1\n      ansible_port: 1\n");
        }
        List<String> args = new ArrayList<>(List.of("apply", "--yes", "-i", inventory.toString(), "-e", "dir=" + dir.resolve("out")));
        args.addAll(Arrays.asList(more));
        args.add(playbook.toString());
        Files.createDirectories(dir.resolve("out"));
        return Rig.run(args);
    }

    private Path write(String relative, String content) throws IOException {
        Path f = dir.resolve(relative);
        Files.createDirectories(f.getParent());
        return Files.writeString(f, content);
    }

    private boolean made(String name) {
        return Files.exists(dir.resolve("out").resolve(name));
    }

    @Test
    void neverRunsOnlyWhenOneOfItsTagsIsAskedForAndAlwaysRunsUnlessSkippedByName() throws IOException {
        Path pb = write("tags.yml", """
                - hosts: localhost
                  tasks:
                    - name: Wipe
                      file: {path: "${dir}/wiped", state: touch}
                      tags: [never, wipe]
                    - name: Plain
                      file: {path: "${dir}/plain", state: touch}
                    - name: Always
                      file: {path: "${dir}/always", state: touch}
                      tags: [always]
                    - name: Other
                      file: {path: "${dir}/other", state: touch}
                      tags: [other]
                """);
        Rig plain = apply(pb);
        assertEquals(0, plain.exit(), plain::toString);
        assertFalse(made("wiped"), "a task tagged never must not run on a plain apply");
        assertTrue(made("plain") && made("always") && made("other"));

        wipeOut();
        Rig other = apply(pb, "-t", "other");
        assertEquals(0, other.exit(), other::toString);
        assertFalse(made("wiped") || made("plain"));
        assertTrue(made("always") && made("other"), "always runs whatever --tags asks for");

        wipeOut();
        Rig wipe = apply(pb, "-t", "wipe");
        assertEquals(0, wipe.exit(), wipe::toString);
        assertTrue(made("wiped"), "never runs when one of its other tags is asked for");

        wipeOut();
        Rig skipAlways = apply(pb, "--skip-tags", "always");
        assertEquals(0, skipAlways.exit(), skipAlways::toString);
        assertFalse(made("always") || made("wiped"));
        assertTrue(made("plain"));
    }

    @Test
    void roleDependenciesRunFirstAndOncePerPlayUnlessDuplicatesAreAllowed() throws IOException {
        write("roles/common/tasks/main.yml", "- shell: echo common >> ${dir}/log\n");
        write("roles/app/meta/main.yml", "galaxy_info: {author: someone}\ndependencies:\n  - common\n");
        write("roles/app/tasks/main.yml", "- shell: echo app >> ${dir}/log\n");
        write("roles/web/meta/main.yml", "dependencies:\n  - role: common\n");
        write("roles/web/tasks/main.yml", "- shell: echo web >> ${dir}/log\n");
        Path pb = write("roles.yml", "- hosts: localhost\n  roles: [app, web]\n");
        Rig once = apply(pb);
        assertEquals(0, once.exit(), once::toString);
        assertEquals("common\napp\nweb\n", Files.readString(dir.resolve("out/log")));

        Files.delete(dir.resolve("out/log"));
        write("roles/common/meta/main.yml", "allow_duplicates: true\n");
        Rig twice = apply(pb);
        assertEquals(0, twice.exit(), twice::toString);
        assertEquals("common\napp\ncommon\nweb\n", Files.readString(dir.resolve("out/log")));
    }

    @Test
    void keyValueWordsInAFreeFormAreArgumentsAsAnsibleParsesThem() throws IOException {
        Files.createDirectories(dir.resolve("out"));
        Files.writeString(dir.resolve("out/marker"), "");
        Path pb = write("freeform.yml", """
                - hosts: localhost
                  tasks:
                    - command: touch ${dir}/made creates=${dir}/made
                    - command: touch ${dir}/guarded creates=${dir}/marker
                    - command: touch relative chdir=${dir}
                    - shell: echo "$(pwd)" > here removes=${dir}/marker chdir=${dir}
                    - file: path=${dir}/tree/sub state=directory mode=0750
                """);
        Rig run = apply(pb);
        assertEquals(0, run.exit(), run::toString);
        assertTrue(made("made"));
        assertFalse(made("creates=" + dir.resolve("out/made")), "creates= is never a file name");
        assertFalse(made("guarded"), "creates=FILE that exists skips the command");
        assertTrue(made("relative"), "chdir= is where the command runs");
        assertEquals(dir.resolve("out") + "\n", Files.readString(dir.resolve("out/here")));
        assertEquals("rwxr-x---", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("out/tree/sub"))));

        Rig again = apply(pb);
        assertEquals(0, again.recap("localhost", "changed") - 2, again::toString); // the two commands without a guard run again
    }

    @Test
    void aPlaysConnectionLocalRunsItsTasksHereWithTheHostsVariables() throws IOException {
        Path pb = write("local.yml", """
                - hosts: far
                  connection: local
                  gather_facts: false
                  tasks:
                    - copy: {dest: "${dir}/from-${inventory_hostname}", content: "${ansible_port}"}
                """);
        Rig run = apply(pb);
        assertEquals(0, run.exit(), run::toString);
        assertEquals("1", Files.readString(dir.resolve("out/from-far")));
    }

    @Test
    void aConnectionRigDoesNotHaveIsRefusedBeforeAnythingRuns() throws IOException {
        Path pb = write("docker.yml", """
                - hosts: localhost
                  connection: docker
                  tasks:
                    - file: {path: "${dir}/touched", state: touch}
                """);
        Rig run = apply(pb);
        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("docker.yml:2:15") && run.err().contains("connection 'docker'"), run::toString);
        assertFalse(made("touched"));
    }

    @Test
    void gatherFactsIsHonouredWhenATaskUsesAFact() throws Exception {
        Path pb = write("facts.yml", """
                - hosts: localhost
                  tasks:
                    - copy: {dest: "${dir}/facts", content: "${ansible_hostname} ${ansible_facts.os_family} ${ansible_facts.user_id}"}
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - copy: {dest: "${dir}/again", content: "${ansible_hostname}"}
                """);
        Rig run = apply(pb);
        assertEquals(0, run.exit(), run::toString);
        String node = new String(new ProcessBuilder("uname", "-n").start().getInputStream().readAllBytes()).strip().split("\\.")[0];
        String family = Files.readString(Path.of("/etc/os-release")).contains("ID=debian") ? "Debian" : null;
        String[] words = Files.readString(dir.resolve("out/facts")).split(" ");
        assertEquals(node, words[0]);
        if (family != null) assertEquals(family, words[1]);
        assertEquals(System.getProperty("user.name"), words[2]);
        assertEquals(node, Files.readString(dir.resolve("out/again")), "facts gathered by an earlier play stay, as in Ansible");

        Path off = write("nofacts.yml", """
                - hosts: localhost
                  gather_facts: false
                  tasks:
                    - copy: {dest: "${dir}/off", content: "${ansible_hostname}"}
                """);
        Rig refused = apply(off);
        assertEquals(1, refused.exit(), refused::toString);
        assertTrue(refused.all().contains("ansible_hostname"), refused::toString);
        assertFalse(made("off"));
    }

    @Test
    void varsPromptWithoutATerminalIsAnErrorUnlessGivenWithDashE() throws IOException {
        Path pb = write("prompt.yml", """
                - hosts: localhost
                  gather_facts: false
                  vars_prompt:
                    - {name: who, prompt: "Who are you?", private: false}
                  tasks:
                    - copy: {dest: "${dir}/prompted", content: "${who}"}
                """);
        Rig refused = apply(pb);
        assertEquals(1, refused.exit(), refused::toString);
        assertTrue(refused.err().contains("prompt.yml:4:7") && refused.err().contains("vars_prompt 'who' needs a terminal"), refused::toString);
        assertFalse(made("prompted"), "nothing runs");
        Rig given = apply(pb, "-e", "who=operator");
        assertEquals(0, given.exit(), given::toString);
        assertEquals("operator", Files.readString(dir.resolve("out/prompted")));
    }

    private void wipeOut() throws IOException {
        try (var files = Files.list(dir.resolve("out"))) {
            for (Path f : files.toList()) Files.delete(f);
        }
    }
}

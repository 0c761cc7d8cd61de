package dev.rig.playbook;

import dev.rig.core.InputError;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.rig.playbook.Fixtures.assertErrors;
import static dev.rig.playbook.Fixtures.at;
import static dev.rig.playbook.Fixtures.loadFails;
import static dev.rig.playbook.Fixtures.only;
import static dev.rig.playbook.Fixtures.path;
import static dev.rig.playbook.Fixtures.playbook;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every validation error names file:line:column (1-based) and says what was expected; all the
 * errors of a load come together in one InvalidInputException. Fixtures: playbook/CASE/site.yml.
 */
class PlaybookLoaderErrorsTest {

    @Test
    void yamlSyntaxError() {
        Path f = playbook("yaml-syntax");
        InputError e = only(loadFails("yaml-syntax"));
        assertEquals(f.toString(), e.source().file());
        // SnakeYAML notices the unclosed "{" of line 4 at the ':' of line 5
        assertEquals(5, e.source().line(), e.toString());
        assertEquals(11, e.source().column(), e.toString());
        assertEquals("YAML syntax error: expected ',' or '}', but got : (while parsing a flow mapping)", e.message());
    }

    @Test
    void topLevelMustBeAListOfPlays() {
        Path f = playbook("not-a-list");
        assertErrors(loadFails("not-a-list"), at(f, 1, 1, "expected a list of plays, found a map"));
    }

    @Test
    void playErrorsAreReportedTogether() {
        Path f = playbook("play-errors");
        assertErrors(loadFails("play-errors"),
                at(f, 2, 3, "unknown keyword 'taks' in play; expected one of: any_errors_fatal, become, become_user, connection, environment, gather_facts, handlers, hosts, "
                        + "ignore_unreachable, max_fail_percentage, name, post_tasks, pre_tasks, roles, run_once, serial, tags, tasks, vars, vars_files, vars_prompt"),
                at(f, 1, 3, "play has no 'hosts' (a host pattern such as 'all' or 'web:&prod')"),
                at(f, 6, 11, "expected a boolean (true or false) for 'become', found a string"),
                at(f, 7, 11, "expected 'serial' to be a positive integer or a percentage such as '30%', found the number 0"),
                at(f, 8, 24, "expected an integer for 'max_fail_percentage', found a string"),
                at(f, 11, 3, "expected a play (a map with hosts and tasks), found a string"));
    }

    @Test
    void taskErrorsAreReportedTogether() {
        Path f = playbook("task-errors");
        assertErrors(loadFails("task-errors"),
                at(f, 5, 7, "'debugger' is an Ansible task keyword that rig does not implement; remove it or see README, 'Playbooks'"),
                at(f, 8, 7, "task names more than one module (file, copy); a task has exactly one"),
                at(f, 9, 7, "task names no module; expected exactly one of: ..."),
                at(f, 12, 7, "unknown module 'frobnicate'; expected one of: ..."),
                at(f, 14, 24, "unknown argument 'colour' for module 'file'; expected one of: path, state, src, mode, owner, group..."),
                at(f, 16, 7, "module 'copy' requires argument 'dest'"),
                at(f, 18, 30, "argument 'mode' of module 'file': expected an octal mode such as '0644', found a list"),
                at(f, 22, 16, "argument 'state' of module 'file': expected one of file, directory, absent, touch, link, found 'bogus'"),
                at(f, 25, 7, "expected a task (a map with one module), found a string"));
    }

    @Test
    void theListOfModulesIsShownForAnUnknownModule() {
        InvalidInputException e = loadFails("task-errors");
        String unknown = e.errors().stream().filter(x -> x.message().startsWith("unknown module")).findFirst().orElseThrow().message();
        for (String m : List.of("copy", "file", "template")) assertTrue(unknown.contains(m), unknown);
    }

    @Test
    void argumentTypesAndChoices() {
        Path f = playbook("arg-types");
        assertErrors(loadFails("arg-types"),
                at(f, 5, 17, "argument 'create' of module 'typed': expected a boolean (true or false), found the string 'maybe'"),
                at(f, 6, 16, "argument 'count' of module 'typed': expected an integer, found the string 'ten'"),
                at(f, 7, 16, "argument 'items' of module 'typed': expected a list, found a map"),
                at(f, 8, 15, "argument 'opts' of module 'typed': expected a map, found a list"),
                at(f, 9, 15, "argument 'mode' of module 'typed': expected an octal mode such as '0644', found 'rwx'"),
                at(f, 10, 16, "argument 'color' of module 'typed': expected one of red, green, found 'blue'"),
                at(f, 25, 7, "module 'typed' requires argument 'name'"),
                at(f, 27, 14, "module 'typed' takes key=value arguments or a map, not free text: 'just a string'"),
                at(f, 27, 7, "module 'typed' requires argument 'name'"));
    }

    @Test
    void notifyMustNameAHandlerOfThePlay() {
        Path f = playbook("notify");
        Path role = path("notify", "roles/notifier/tasks/main.yml");
        String handlers = "handlers are: role handler, restart app, other, everything changed";
        assertErrors(loadFails("notify"),
                at(f, 8, 7, "notify names no handler: 'restart ap'; " + handlers),
                at(role, 7, 3, "notify names no handler: 'nope'; " + handlers),
                at(f, 22, 7, "notify names no handler: 'restart app' (the play has no handlers)"));
    }

    @Test
    void templateSyntaxErrorsPointInsideTheValue() {
        Path f = playbook("template-errors");
        Path ftl = path("template-errors", "templates/broken.ftl");
        InvalidInputException e = loadFails("template-errors");
        assertErrors(e,
                at(f, 5, 28, "template syntax error: ..."),
                at(f, 8, 29, "template syntax error: ..."),
                at(f, 14, 27, "template syntax error: ..."),
                at(f, 17, 22, "template syntax error: ..."),
                at(f, 20, 13, "'when' is a bare expression: write it without ${...}"),
                at(ftl, 2, 18, "template syntax error: ..."),
                at(f, 25, 19, "template syntax error: ..."),
                at(f, 29, 17, "template syntax error: ..."),
                at(f, 32, 29, "template syntax error: ..."),
                at(f, 33, 22, "template syntax error: ..."));
    }

    @Test
    void missingLocalFiles() {
        Path f = playbook("missing-files");
        Path dir = f.getParent();
        assertErrors(loadFails("missing-files"),
                at(f, 3, 7, "variables file not found: " + dir.resolve("vars/nope.yml")),
                at(f, 6, 23, "template 'nope.ftl' not found; looked in " + dir.resolve("templates") + ", " + dir),
                at(f, 8, 19, "file 'nope.txt' not found; looked in " + dir.resolve("files") + ", " + dir));
    }

    @Test
    void missingAndMalformedRoles() {
        Path f = playbook("roles-missing");
        Path roles = f.getParent().resolve("roles");
        assertErrors(loadFails("roles-missing"),
                at(f, 3, 7, "role 'nosuch' not found (looked for " + roles.resolve("nosuch") + ")"),
                at(f, 4, 7, "role 'alsomissing' not found (looked for " + roles.resolve("alsomissing") + ")"),
                at(f, 5, 7, "expected a role name or a map with 'role', found a map"),
                at(f, 6, 7, "unknown key 'when' in role entry; expected role (or name), vars or tags"));
    }

    @Test
    void errorsInsideARoleArePositionedInTheRoleFiles() {
        Path tasks = path("role-errors", "roles/broken/tasks/main.yml");
        Path defaults = path("role-errors", "roles/broken/defaults/main.yml");
        Path ftl = path("role-errors", "roles/broken/templates/t.ftl");
        InvalidInputException e = loadFails("role-errors");
        assertErrors(e,
                at(defaults, 1, 1, "expected a map of variables, found a list"),
                at(tasks, 4, 3, "unknown module 'frobnicate'; expected one of: ..."),
                at(ftl, 2, 8, "template syntax error: ..."));
    }

    @Test
    void missingImportedTaskFile() {
        Path f = playbook("import-missing");
        assertErrors(loadFails("import-missing"),
                at(f, 3, 21, "task file not found: " + f.getParent().resolve("missing.yml")));
    }

    @Test
    void importLoopIsOneErrorAndErrorsInTheLoopAreNotRepeated() {
        Path a = path("import-loop", "loop/a.yml");
        Path b = path("import-loop", "loop/b.yml");
        assertErrors(loadFails("import-loop"),
                at(b, 3, 17, "import loop: " + a + " -> " + b + " -> " + a),
                at(a, 2, 3, "unknown module 'nosuchmodule'; expected one of: ..."));
    }

    @Test
    void keywordsThatImportTasksWouldDropAreErrors() {
        // when (and vars) apply to every imported task, as in Ansible; become is not passed down by rig, so refused
        Path f = playbook("import-keywords");
        assertErrors(loadFails("import-keywords"),
                at(f, 8, 7, "'become' is not supported on import_tasks (rig has name, tags, vars, when there)"));
    }

    @Test
    void includeTasksKeywordsRigDoesNotPassOnAndTemplatedFileNamesAreErrors(@TempDir Path dir) {
        Path pb = Fixtures.write(dir, "site.yml", "- hosts: all\n  tasks:\n    - include_tasks: more.yml\n      become: true\n"
                + "    - include_tasks: \"${os}.yml\"\n    - import_tasks: more.yml\n      loop: [1]\n    - import_tasks: {file: more.yml, apply: {}}\n");
        Fixtures.write(dir, "more.yml", "- file: {path: /x, state: touch}\n");
        assertErrors(loadFails(pb),
                at(pb, 4, 7, "'become' is not supported on include_tasks (rig has loop, loop_control, name, tags, vars, when, with_dict, with_items there)"),
                at(pb, 5, 23, "include_tasks of a templated file name ('${os}.yml') is not supported: rig reads and checks every task file before it"
                        + " contacts a host; name the file, and use when to choose"),
                at(pb, 7, 7, "'loop' is not supported on import_tasks (rig has name, tags, vars, when there)"),
                at(pb, 8, 38, "unknown keyword 'apply' in import_tasks; expected one of: file"));
    }

    @Test
    void duplicateKeysAreErrorsNotSilentlyDropped() {
        Path f = playbook("duplicate-keys");
        assertErrors(loadFails("duplicate-keys"),
                at(f, 4, 5, "duplicate key 'a' (first at line 3)"),
                at(f, 7, 7, "duplicate key 'name' (first at line 6)"),
                at(f, 8, 24, "duplicate key 'dest' (first at line 8)"),
                at(f, 9, 3, "duplicate key 'tasks' (first at line 5)"));
    }

    @Test
    void duplicateKeysInVarsFilesAndImportedTaskFiles(@TempDir Path dir) {
        Path pb = Fixtures.write(dir, "site.yml", "- hosts: all\n  vars_files: [vars.yml]\n  tasks:\n    - import_tasks: more.yml\n");
        Path vars = Fixtures.write(dir, "vars.yml", "port: 1\nport: 2\n");
        Path more = Fixtures.write(dir, "more.yml", "- name: a\n  file: {path: /x}\n  name: b\n");
        assertErrors(loadFails(pb),
                at(vars, 2, 1, "duplicate key 'port' (first at line 1)"),
                at(more, 3, 3, "duplicate key 'name' (first at line 1)"));
    }

    @Test
    void anchorsAliasesAndMergeKeysAreNotDuplicates(@TempDir Path dir) {
        Path pb = Fixtures.write(dir, "site.yml", """
                - hosts: all
                  vars:
                    base: &base {a: 1, b: 2}
                    derived:
                      <<: *base
                      b: 3
                  tasks:
                    - file: &f {path: /x, state: directory}
                    - file: *f
                """);
        Play p = PlaybookLoader.load(pb, Fixtures.catalog(), Fixtures.TEMPLATES).plays().get(0);
        assertEquals(java.util.Map.of("a", 1, "b", 3), p.vars().get("derived"));
        assertEquals(2, p.tasks().size());
        assertEquals(p.tasks().get(0).args(), p.tasks().get(1).args());
    }

    @Test
    void aFileImportingItselfIsAnImportLoop(@TempDir Path dir) {
        Path pb = Fixtures.write(dir, "site.yml", "- hosts: all\n  tasks:\n    - import_tasks: self.yml\n");
        Path self = Fixtures.write(dir, "self.yml", "- file: {path: /x}\n- import_tasks: self.yml\n");
        assertErrors(loadFails(pb), at(self, 2, 17, "import loop: " + self + " -> " + self));
    }

    @Test
    void importPlaybookInlinesThePlaysInOrderAndReportsLoopsAndMissingFiles(@TempDir Path dir) {
        Path site = Fixtures.write(dir, "site.yml", "- import_playbook: sub/a.yml\n- hosts: all\n  name: last\n");
        Fixtures.write(dir, "sub/a.yml", "- hosts: web\n  name: first\n- import_playbook: b.yml\n");
        Path b = Fixtures.write(dir, "sub/b.yml", "- hosts: db\n  name: second\n");
        Playbook pb = PlaybookLoader.load(site, Fixtures.catalog(), Fixtures.TEMPLATES);
        assertEquals(java.util.List.of("first", "second", "last"), pb.plays().stream().map(Play::name).toList());
        assertTrue(pb.filesRead().contains(b), "imported playbooks count for the plan's input digests");

        Path loop = Fixtures.write(dir, "loop.yml", "- import_playbook: loop2.yml\n");
        Path loop2 = Fixtures.write(dir, "loop2.yml", "- import_playbook: loop.yml\n");
        assertErrors(loadFails(loop), at(loop2, 1, 3, "import_playbook 'loop.yml' imports itself (through [loop.yml, loop2.yml])"));
        Path missing = Fixtures.write(dir, "missing.yml", "- import_playbook: nowhere.yml\n  when: x\n");
        assertErrors(loadFails(missing),
                at(missing, 1, 20, "playbook 'nowhere.yml' not found (looked for " + dir.resolve("nowhere.yml") + ")"),
                at(missing, 2, 3, "unknown keyword 'when' in import_playbook entry; expected one of: import_playbook, name"));
    }

    @Test
    void theSameFileImportedTwiceIsNotALoop(@TempDir Path dir) {
        Path pb = Fixtures.write(dir, "site.yml", "- hosts: all\n  tasks:\n    - import_tasks: common.yml\n    - import_tasks: common.yml\n");
        Fixtures.write(dir, "common.yml", "- file: {path: /x}\n");
        assertEquals(2, PlaybookLoader.load(pb, Fixtures.catalog(), Fixtures.TEMPLATES).plays().get(0).tasks().size());
    }

    @Test
    void aDecimalLookingModeIsAnError() {
        Path f = playbook("mode-decimal");
        String hint = "is read by YAML as a decimal number; write an octal mode as '0%s' (quoted) or 0%s";
        assertErrors(loadFails("mode-decimal"),
                at(f, 3, 30, "argument 'mode' of module 'file': 644 " + hint.formatted("644", "644")),
                at(f, 8, 30, "argument 'mode' of module 'file': 755 " + hint.formatted("755", "755")));
    }

    @Test
    void playbookNotFound(@TempDir Path dir) {
        Path f = dir.resolve("nope.yml");
        assertErrors(loadFails(f), at(f, 0, 0, "playbook not found"));
    }

    @Test
    void anEmptyTaskListAndAnEmptyPlaybookAreFine(@TempDir Path dir) {
        Path f = Fixtures.write(dir, "site.yml", "- hosts: all\n  tasks:\n  handlers: []\n");
        Playbook pb = PlaybookLoader.load(f, Fixtures.catalog(), Fixtures.TEMPLATES);
        assertEquals(List.of(), pb.plays().get(0).tasks());
    }

    @Test
    void commandsExecutableIsRefusedWithAnsiblesReason() {
        Path f = playbook("command-executable");
        assertErrors(loadFails("command-executable"),
                at(f, 5, 14, "unknown argument 'executable' for module 'command'; Ansible's command ignores it since 2.4 (a shell is never used);"
                        + " use the shell module's executable; expected one of: ..."),
                at(f, 6, 16, "unknown argument 'executable' for module 'command' (written executable=...); Ansible's command ignores it since 2.4"
                        + " (a shell is never used); use the shell module's executable; expected one of: ..."));
    }

    @Test
    void loadAllReportsTheErrorsOfEveryPlaybook() {
        Path a = playbook("multi-a");
        Path b = playbook("multi-b");
        InvalidInputException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidInputException.class,
                () -> PlaybookLoader.loadAll(List.of(a, playbook("minimal"), b), Fixtures.catalog(), Fixtures.TEMPLATES));
        assertErrors(e,
                at(a, 3, 7, "unknown module 'frobnicate'; expected one of: ..."),
                at(b, 3, 14, "unknown argument 'pth' for module 'file'; expected one of: path, ..."),
                at(b, 3, 7, "module 'file' requires argument 'path'"));
        assertTrue(e.getMessage().contains(a + ":3:7: unknown module 'frobnicate'"), e.getMessage());
    }

    @Test
    void errorPositionsAreOneBased() {
        for (String c : List.of("task-errors", "template-errors", "play-errors")) {
            for (InputError e : loadFails(c).errors()) {
                Source s = e.source();
                assertTrue(s.line() >= 1 && s.column() >= 1, e.toString());
            }
        }
    }
}

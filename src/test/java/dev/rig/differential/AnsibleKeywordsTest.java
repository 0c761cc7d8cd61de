package dev.rig.differential;

import dev.rig.core.InvalidInputException;
import dev.rig.modules.Modules;
import dev.rig.playbook.AnsibleKeywords;
import dev.rig.playbook.PlaybookLoader;
import dev.rig.template.Templates;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The invariant "no Ansible keyword is ever silently ignored": Ansible's own keyword lists, read from
 * the installed ansible-core (the FieldAttributes of Play, Block, Task, Handler), are each either
 * implemented by rig (and named in the README) or refused at load with the keyword and its
 * file:line:column; the only exceptions are the README's, with their reason.
 */
@Tag("integration")
class AnsibleKeywordsTest {
    @TempDir
    Path dir;

    private static Set<String> ansible(String clazz) throws IOException, InterruptedException {
        String module = switch (clazz) {
            case "Play" -> "ansible.playbook.play";
            case "Block" -> "ansible.playbook.block";
            case "Task" -> "ansible.playbook.task";
            default -> "ansible.playbook.handler";
        };
        Process p = new ProcessBuilder("/usr/bin/python3", "-c",
                "from " + module + " import " + clazz + "; print('\\n'.join(sorted(" + clazz + ".fattributes)))")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        Set<String> names = new TreeSet<>(List.of(out.strip().split("\n")));
        // Ansible's internal names for what playbooks write as async and with_<lookup>.
        if (names.remove("async_val")) names.add("async");
        if (names.remove("loop_with")) names.add("with_items");
        return names;
    }

    @Test
    void everyKeywordAnsibleDefinesIsImplementedOrRefusedByName() throws Exception {
        String readme = Files.readString(Path.of(System.getProperty("rig.project.dir", ".")).resolve("README.md"));
        Set<String> play = ansible("Play");
        Set<String> task = new TreeSet<>(ansible("Task"));
        task.addAll(ansible("Handler"));
        Set<String> block = ansible("Block");
        assertEquals(play, AnsibleKeywords.PLAY, "rig's copy of Ansible's play keywords");
        assertEquals(block, AnsibleKeywords.BLOCK, "rig's copy of Ansible's block keywords");
        Set<String> ourTask = new TreeSet<>(AnsibleKeywords.TASK);
        ourTask.remove("local_action"); // a task form Ansible parses outside FieldAttributes (mod_args.py)
        ourTask.add("with_items");
        assertEquals(task, ourTask, "rig's copy of Ansible's task keywords");

        List<String> report = new ArrayList<>();
        for (String k : play) {
            report.add("play " + k + ": " + check(k, "play", PLAY_IMPLEMENTED, readme));
        }
        for (String k : block) {
            report.add("block " + k + ": " + check(k, "block", BLOCK_IMPLEMENTED, readme));
        }
        Set<String> taskKeys = new TreeSet<>(task);
        taskKeys.add("with_dict");
        for (String k : taskKeys) {
            report.add("task " + k + ": " + check(k, "task", TASK_IMPLEMENTED, readme));
        }
        for (Map.Entry<String, Map<String, String>> e : Map.of("play", PLAY_IMPLEMENTED, "block", BLOCK_IMPLEMENTED, "task", TASK_IMPLEMENTED).entrySet()) {
            Set<String> defined = e.getKey().equals("play") ? play : e.getKey().equals("block") ? block : taskKeys;
            for (String k : e.getValue().keySet()) {
                if (!defined.contains(k)) report.add(e.getKey() + " " + k + ": in the implemented list but not an Ansible keyword there");
            }
        }
        List<String> wrong = new ArrayList<>();
        int implemented = 0, refused = 0, exceptions = 0;
        for (String r : report) {
            if (r.endsWith(": implemented")) implemented++;
            else if (r.endsWith(": refused")) refused++;
            else if (r.endsWith(": exception")) exceptions++;
            else wrong.add(r);
        }
        System.out.println("Ansible keywords: " + report.size() + " checked (play, block, task), " + implemented + " implemented, " + refused
                + " refused at load, " + exceptions + " README exceptions");
        assertEquals(List.of(), wrong);
    }

    /**
     * The keywords rig implements in each place, each with a value that means something, written here
     * rather than read from rig: one rig starts refusing, or one it starts accepting without being
     * listed here, fails the test.
     */
    private static final Map<String, String> PLAY_IMPLEMENTED = Map.ofEntries(Map.entry("name", "n"), Map.entry("hosts", "localhost"),
            Map.entry("vars", "{a: 1}"), Map.entry("vars_files", "[]"), Map.entry("become", "true"), Map.entry("become_user", "root"),
            Map.entry("serial", "1"), Map.entry("max_fail_percentage", "10"), Map.entry("roles", "[]"), Map.entry("pre_tasks", "[]"),
            Map.entry("tasks", "[]"), Map.entry("post_tasks", "[]"), Map.entry("handlers", "[]"), Map.entry("tags", "[t]"),
            Map.entry("gather_facts", "false"), Map.entry("connection", "local"), Map.entry("environment", "{A: b}"),
            Map.entry("vars_prompt", "[{name: who, prompt: Who}]"), Map.entry("run_once", "true"), Map.entry("any_errors_fatal", "true"),
            Map.entry("ignore_unreachable", "true"));
    private static final Map<String, String> BLOCK_IMPLEMENTED = Map.ofEntries(Map.entry("name", "n"),
            Map.entry("block", "[{debug: {msg: hi}}]"), Map.entry("rescue", "[]"), Map.entry("always", "[]"), Map.entry("when", "true"),
            Map.entry("become", "true"), Map.entry("become_user", "root"), Map.entry("tags", "[t]"), Map.entry("vars", "{a: 1}"),
            Map.entry("ignore_errors", "true"), Map.entry("environment", "{A: b}"), Map.entry("run_once", "true"),
            Map.entry("any_errors_fatal", "true"), Map.entry("ignore_unreachable", "true"));
    private static final Map<String, String> TASK_IMPLEMENTED = Map.ofEntries(Map.entry("name", "n"), Map.entry("when", "true"),
            Map.entry("loop", "[1, 2]"), Map.entry("with_items", "[1, 2]"), Map.entry("with_dict", "{a: 1}"),
            Map.entry("loop_control", "{label: x}"), Map.entry("register", "r"), Map.entry("notify", "h"), Map.entry("tags", "[t]"),
            Map.entry("become", "true"), Map.entry("become_user", "root"), Map.entry("changed_when", "false"),
            Map.entry("failed_when", "false"), Map.entry("ignore_errors", "true"), Map.entry("no_log", "true"),
            Map.entry("vars", "{a: 1}"), Map.entry("args", "{msg: there}"), Map.entry("listen", "h2"), Map.entry("environment", "{A: b}"),
            Map.entry("until", "true"), Map.entry("retries", "2\n      until: true"), Map.entry("delay", "1\n      until: true"),
            Map.entry("check_mode", "true"), Map.entry("delegate_to", "localhost"), Map.entry("throttle", "2"),
            Map.entry("run_once", "true"), Map.entry("any_errors_fatal", "true"), Map.entry("ignore_unreachable", "true"));

    /** The keyword written in a play, a block or a task (a handler for listen). */
    private static String playbook(String keyword, String where, String value) {
        return switch (where) {
            case "play" -> "- " + (keyword.equals("hosts") ? "" : "hosts: localhost\n  ") + (keyword.equals("tasks") ? "" : "tasks: []\n  ")
                    + keyword + ": " + value + "\n";
            case "block" -> "- hosts: localhost\n  tasks:\n    - " + (keyword.equals("block") ? "" : "block: [{debug: {msg: hi}}]\n      ")
                    + keyword + ": " + value + "\n";
            default -> "- hosts: localhost\n  " + (keyword.equals("listen") ? "tasks: []\n  handlers" : "tasks")
                    + ":\n    - debug: {msg: hello}\n      name: h\n" + (keyword.equals("name") ? "" : "      " + keyword + ": " + value + "\n")
                    + (keyword.equals("listen") ? "" : "  handlers:\n    - {name: h, debug: {msg: h}}\n");
        };
    }

    /**
     * implemented (listed above, loads without any error, named in the README), refused (an error
     * at the keyword's file:line:column naming it), exception (the README's), or what is wrong.
     */
    private String check(String keyword, String where, Map<String, String> implementedList, String readme) throws IOException {
        if (implementedList.containsKey(keyword)) {
            List<String> errors = load(keyword, where, playbook(keyword, where, implementedList.get(keyword)));
            if (!errors.isEmpty()) return "listed as implemented but refused: " + errors;
            if (!readme.contains("`" + keyword + "`")) return "implemented but not documented in the README";
            return "implemented";
        }
        String yaml = playbook(keyword, where, "x");
        List<String> errors = load(keyword, where, yaml);
        int line = yaml.split("\n").length;
        String[] lines = yaml.split("\n");
        int column = lines[line - 1].indexOf(keyword) + 1;
        if (where.equals("task") && !keyword.equals("listen")) {
            line -= 2;
            column = lines[line - 1].indexOf(keyword) + 1;
        }
        Path f = dir.resolve(where + "-" + keyword + ".yml").toAbsolutePath().normalize();
        String at = f + ":" + line + ":" + column + ":";
        boolean refusedHere = errors.stream().anyMatch(e -> e.startsWith(at) && e.contains("'" + keyword + "'")
                && (e.contains("does not implement") || e.contains("not supported") || e.contains("unknown keyword")));
        if (refusedHere) return "refused";
        if (AnsibleKeywords.MEANINGLESS.contains(keyword)) {
            return readme.contains("`" + keyword + "`") ? "exception" : "ignored but not in the README's exceptions";
        }
        return "neither in the implemented list nor refused at " + at + " " + errors;
    }

    private List<String> load(String keyword, String where, String yaml) throws IOException {
        Path f = dir.resolve(where + "-" + keyword + ".yml");
        Files.writeString(f, yaml);
        List<String> errors = new ArrayList<>();
        try {
            PlaybookLoader.load(f, new Modules(), new Templates());
        } catch (InvalidInputException e) {
            e.errors().forEach(er -> errors.add(er.toString()));
        }
        return errors;
    }
}

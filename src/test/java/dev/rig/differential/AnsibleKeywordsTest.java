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
        int implemented = 0, refused = 0, exceptions = 0;
        for (String k : play) {
            String outcome = check(k, "- hosts: localhost\n  " + k + ": x\n  tasks: []\n", 2, 3, readme);
            report.add("play " + k + ": " + outcome);
        }
        Set<String> taskOrBlock = new TreeSet<>(task);
        taskOrBlock.addAll(block);
        taskOrBlock.add("with_dict");
        for (String k : taskOrBlock) {
            String outcome = check(k, "- hosts: localhost\n  tasks:\n    - debug: {msg: hello}\n      " + k + ": x\n", 4, 7, readme);
            report.add("task " + k + ": " + outcome);
        }
        List<String> wrong = new ArrayList<>();
        for (String r : report) {
            if (r.endsWith(": implemented")) implemented++;
            else if (r.endsWith(": refused")) refused++;
            else if (r.endsWith(": exception")) exceptions++;
            else wrong.add(r);
        }
        System.out.println("Ansible keywords: " + report.size() + " checked, " + implemented + " implemented, " + refused
                + " refused at load, " + exceptions + " README exceptions");
        assertEquals(List.of(), wrong);
    }

    /** implemented / refused / exception, or what went wrong. */
    private String check(String keyword, String yaml, int line, int column, String readme) throws IOException {
        Path f = dir.resolve(keyword + "-" + line + ".yml");
        Files.writeString(f, yaml);
        List<String> errors = new ArrayList<>();
        try {
            PlaybookLoader.load(f, new Modules(), new Templates());
        } catch (InvalidInputException e) {
            e.errors().forEach(er -> errors.add(er.toString()));
        }
        String at = f.toAbsolutePath().normalize() + ":" + line + ":" + column + ":";
        boolean refusedHere = errors.stream().anyMatch(e -> e.startsWith(at) && e.contains("'" + keyword + "'"));
        if (refusedHere) return "refused";
        if (AnsibleKeywords.MEANINGLESS.contains(keyword)) {
            return readme.contains("`" + keyword + "`") ? "exception" : "ignored but not in the README's exceptions";
        }
        if (!readme.contains("`" + keyword + "`")) return "accepted but not documented in the README: " + errors;
        return "implemented";
    }
}

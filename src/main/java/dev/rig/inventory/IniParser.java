package dev.rig.inventory;

import dev.rig.core.Errors;
import dev.rig.core.Source;
import dev.rig.inventory.InventoryDraft.GroupDraft;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Ansible's INI inventory format as ansible-core's ini plugin does: {@code [group]} sections of
 * host lines ({@code name[:port] key=value...}, split like a POSIX shell with # comments), {@code
 * [group:children]} of group names, {@code [group:vars]} of {@code key = value} lines; hosts before
 * any section are ungrouped; values typed as Python literals ({@link PythonLiteral}); lines starting
 * with # or ; are comments. A child group may be declared later in the file; one never declared, and
 * vars for a group never declared, are errors, as in Ansible.
 */
final class IniParser {
    private static final Pattern SECTION = Pattern.compile("^\\[([^:\\]\\s]+)(?::(\\w+))?\\]\\s*(?:#.*)?$");
    private static final Pattern GROUP_NAME = Pattern.compile("^([^:\\]\\s]+)\\s*(?:#.*)?$");
    /** {@code name:port}, where the name may hold [a:b] ranges (whose colons are not the port's). */
    private static final Pattern NAME_WITH_PORT = Pattern.compile("((?:[^:\\[\\]]|\\[[^\\]]*\\])+):(\\d+)");

    private final Path file;
    private final InventoryDraft draft;
    private final Errors errors;
    /** A group named as a child or given vars before it is defined → where, and the parents waiting for it. */
    private final Map<String, Pending> pending = new LinkedHashMap<>();

    private record Pending(String state, Source source, List<String> parents) {}

    private IniParser(Path file, InventoryDraft draft, Errors errors) {
        this.file = file;
        this.draft = draft;
        this.errors = errors;
    }

    /** Adds the file's groups and hosts to draft; problems go to errors, each with file:line:column. */
    static void parse(Path file, List<String> lines, InventoryDraft draft, Errors errors) {
        new IniParser(file, draft, errors).parse(lines);
    }

    private void parse(List<String> lines) {
        String group = Inventory.UNGROUPED;
        String state = "hosts";
        for (int index = 0; index < lines.size(); index++) {
            int lineNo = index + 1;
            String raw = lines.get(index);
            String line = raw.strip();
            int indent = raw.indexOf(line.isEmpty() ? " " : line.substring(0, 1)) + 1;
            if (line.isEmpty() || line.charAt(0) == '#' || line.charAt(0) == ';') continue;
            Source at = Source.of(file, lineNo, Math.max(indent, 1));
            Matcher section = SECTION.matcher(line);
            if (section.matches()) {
                group = section.group(1);
                state = section.group(2) == null ? "hosts" : section.group(2);
                if (!List.of("hosts", "children", "vars").contains(state)) {
                    errors.add(at, "section [" + group + ":" + state + "] has unknown type '" + state + "'; expected [" + group
                            + "], [" + group + ":children] or [" + group + ":vars]");
                    state = "skip";
                    continue;
                }
                if (!draft.groups.containsKey(group)) {
                    if (state.equals("vars") && !pending.containsKey(group)) pending.put(group, new Pending("vars", at, new ArrayList<>()));
                    draft.group(group);
                }
                Pending waiting = pending.get(group);
                if (waiting != null && !state.equals("vars")) {
                    if (waiting.state.equals("children")) addPendingChildren(group);
                    else pending.remove(group);
                }
                continue;
            }
            if (line.startsWith("[") && line.endsWith("]")) {
                errors.add(at, "invalid section '" + line + "': a section is [group], [group:children] or [group:vars], with no spaces");
                state = "skip";
                continue;
            }
            switch (state) {
                case "hosts" -> hostLine(raw, lineNo, group);
                case "vars" -> varLine(line, at, group);
                case "children" -> childLine(line, at, group);
                default -> { } // the lines of a section already reported as invalid
            }
        }
        pending.forEach((name, declaration) -> {
            if (declaration.state.equals("vars")) {
                errors.add(declaration.source, "section [" + name + ":vars] is for group '" + name + "', which is not defined in this inventory");
            } else {
                errors.add(declaration.source, "section [" + declaration.parents.get(declaration.parents.size() - 1)
                        + ":children] names group '" + name + "', which is not defined in this inventory");
            }
        });
    }

    private void addPendingChildren(String group) {
        Pending waiting = pending.remove(group);
        for (String parent : waiting.parents) {
            draft.group(parent).children.putIfAbsent(group, waiting.source);
            Pending parentWaiting = pending.get(parent);
            if (parentWaiting != null && parentWaiting.state.equals("children")) addPendingChildren(parent);
        }
    }

    private void childLine(String line, Source at, String parent) {
        Matcher name = GROUP_NAME.matcher(line);
        if (!name.matches()) {
            errors.add(at, "expected a group name in [" + parent + ":children], found '" + line + "'");
            return;
        }
        String child = name.group(1);
        if (child.equals(Inventory.ALL)) {
            errors.add(at, "group 'all' cannot be a child of '" + parent + "': every group is already inside 'all'");
            return;
        }
        if (draft.groups.containsKey(child)) {
            draft.group(parent).children.putIfAbsent(child, at);
        } else {
            pending.computeIfAbsent(child, c -> new Pending("children", at, new ArrayList<>())).parents.add(parent);
        }
    }

    private void varLine(String line, Source at, String group) {
        int eq = line.indexOf('=');
        if (eq < 0) {
            errors.add(at, "expected key=value in [" + group + ":vars], found '" + line + "'");
            return;
        }
        String key = line.substring(0, eq).strip();
        if (key.isEmpty()) {
            errors.add(at, "'=' without a variable name in [" + group + ":vars]");
            return;
        }
        Object value = PythonLiteral.value(line.substring(eq + 1).strip());
        GroupDraft draftGroup = draft.group(group);
        setGroupVar(draftGroup, key, value, at);
    }

    /** As Ansible's Group.set_variable: ansible_group_priority sets the group's priority and is no variable. */
    private void setGroupVar(GroupDraft group, String key, Object value, Source at) {
        if (key.equals(InventoryDraft.GROUP_PRIORITY)) {
            try {
                group.priority = Integer.parseInt(String.valueOf(value).strip());
            } catch (NumberFormatException e) {
                errors.add(at, InventoryDraft.GROUP_PRIORITY + " must be an integer, found '" + value + "'");
            }
            return;
        }
        check(key, value, at);
        group.vars.put(key, value);
    }

    private void hostLine(String raw, int lineNo, String group) {
        List<ShellWords.Word> words;
        try {
            words = ShellWords.split(raw);
        } catch (ShellWords.SplitException e) {
            errors.add(Source.of(file, lineNo, e.column), "cannot split host line: " + e.getMessage());
            return;
        }
        if (words.isEmpty()) return; // only a comment after leading spaces
        ShellWords.Word first = words.get(0);
        Source hostAt = Source.of(file, lineNo, first.column());
        String pattern = first.text();
        Map<String, Object> vars = new LinkedHashMap<>();
        Matcher withPort = NAME_WITH_PORT.matcher(pattern);
        if (withPort.matches()) {
            pattern = withPort.group(1);
            try {
                vars.put(ConnectionVars.PORT, ConnectionVars.port(ConnectionVars.PORT, withPort.group(2)));
            } catch (IllegalArgumentException e) {
                errors.add(hostAt, e.getMessage());
            }
        } else if (pattern.endsWith(":")) {
            errors.add(hostAt, "host '" + pattern + "' ends in ':', which is reserved for a port");
            return;
        }
        if (pattern.equals("---")) {
            errors.add(hostAt, "'---' is not a host name: is this a YAML file with an error?");
            return;
        }
        for (ShellWords.Word word : words.subList(1, words.size())) {
            Source wordAt = Source.of(file, lineNo, word.column());
            int eq = word.text().indexOf('=');
            if (eq < 0) {
                errors.add(wordAt, "expected key=value after host '" + pattern + "', found '" + word.text() + "'");
                return; // one error a line: the rest of a mis-split line would only repeat it
            }
            if (eq == 0) {
                errors.add(wordAt, "'=' without a variable name after host '" + pattern + "'");
                return;
            }
            String key = word.text().substring(0, eq);
            Object value = PythonLiteral.value(word.text().substring(eq + 1));
            check(key, value, wordAt);
            vars.put(key, value);
        }
        List<String> hosts;
        try {
            hosts = HostRange.expand(pattern);
        } catch (IllegalArgumentException e) {
            errors.add(hostAt, e.getMessage());
            return;
        }
        for (String host : hosts) draft.addHost(host, draft.group(group), vars);
    }

    private void check(String key, Object value, Source at) {
        try {
            ConnectionVars.check(key, value);
        } catch (IllegalArgumentException e) {
            errors.add(at, e.getMessage());
        }
    }
}

package dev.rig.modules;

import dev.rig.facts.PathFact;
import dev.rig.facts.Probe;
import dev.rig.playbook.ArgSpec;
import dev.rig.template.Templates;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
import static dev.rig.playbook.ArgSpec.ArgType.MODE;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * A block of lines between two marker lines, with Ansible's rules: an existing block (both markers
 * found) is replaced where it is; otherwise the block goes after the last line matching
 * {@code insertafter}, before the last line matching {@code insertbefore}, at BOF, or at the end
 * (also when the expression matches nothing); an empty {@code block} or {@code state: absent}
 * removes it. The probe reads the whole file; the edit is computed here and written atomically,
 * with {@code validate} and {@code backup} as for copy.
 */
public final class BlockinfileModule implements Module {
    @Override
    public String name() {
        return "blockinfile";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("path", STRING).alias("dest", "destfile", "name"), ArgSpec.choice("state", false, "present", "absent"),
                ArgSpec.optional("marker", STRING), ArgSpec.optional("block", STRING).alias("content"), ArgSpec.optional("insertafter", STRING),
                ArgSpec.optional("insertbefore", STRING), ArgSpec.optional("create", BOOL), ArgSpec.optional("backup", BOOL),
                ArgSpec.optional("validate", STRING), ArgSpec.optional("marker_begin", STRING), ArgSpec.optional("marker_end", STRING),
                ArgSpec.optional("mode", MODE), ArgSpec.optional("owner", STRING), ArgSpec.optional("group", STRING));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        List<String> problems = new ArrayList<>();
        if (args.containsKey("insertafter") && args.containsKey("insertbefore")) problems.add("give at most one of 'insertafter' or 'insertbefore'");
        for (String name : List.of("insertafter", "insertbefore")) {
            if (args.get(name) instanceof String s && !Templates.isTemplated(s) && !s.equals("EOF") && !s.equals("BOF")) {
                try {
                    Pattern.compile(s);
                } catch (PatternSyntaxException e) {
                    problems.add("argument '" + name + "' is not a valid regular expression: " + e.getDescription());
                }
            }
        }
        if (args.get("validate") instanceof String v && !Templates.isTemplated(v) && !v.contains("%s")) problems.add("validate must contain %s (the file to check)");
        return problems;
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return PathFact.probe(args.string("path"), PathFact.Want.content(LineinfileModule.MAX_BYTES));
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        String path = args.string("path");
        boolean present = args.string("state", "present").equals("present");
        PathFact.State cur = PathFact.parse(probeOutput);
        if (cur.exists() && !cur.isFile()) return Outcome.fail("path " + path + " is a " + cur.kind() + ", not a regular file");
        if (!cur.exists()) {
            if (!present) return Outcome.ok("file " + path + " not present");
            if (!args.bool("create", false)) return Outcome.fail("path " + path + " does not exist (set create: true to create it)");
        }
        if (cur.exists() && cur.content() == null) return Outcome.fail(path + " is larger than " + LineinfileModule.MAX_BYTES / 1024 + " KiB; blockinfile reads whole files");
        String text = cur.exists() ? FileContent.text(cur.content()) : "";
        if (text == null) return Outcome.fail(path + " is not a UTF-8 text file");
        String marker = args.string("marker", "# {mark} ANSIBLE MANAGED BLOCK");
        String begin = marker.replace("{mark}", args.string("marker_begin", "BEGIN")) + "\n";
        String end = marker.replace("{mark}", args.string("marker_end", "END")) + "\n";
        String block = present ? args.string("block", "") : "";
        String edited = edit(text, begin, end, block, args.optString("insertafter").orElse(null), args.optString("insertbefore").orElse(null));
        String msg = edited.equals(text) && cur.exists() ? "" : !cur.exists() ? "File created" : block.isEmpty() ? "Block removed" : "Block inserted";
        Outcome converged = FileContent.converge(path, edited.getBytes(StandardCharsets.UTF_8), FileAttributes.from(args), cur, ctx.noLog(),
                FileContent.Guard.from(args));
        Map<String, Object> result = new LinkedHashMap<>(Map.of("msg", msg));
        String message = !msg.isEmpty() && !converged.failed() ? path + ": " + msg.toLowerCase() : converged.message();
        return new Outcome(converged.change(), message, converged.failed(), null, converged.result()).withResult(result);
    }

    /** Ansible's algorithm on lines that keep their endings; markers are compared as whole lines. */
    static String edit(String text, String begin, String end, String block, String insertAfter, String insertBefore) {
        List<String> lines = LineinfileModule.splitLines(text);
        List<String> blockLines = new ArrayList<>();
        if (!block.isEmpty()) {
            blockLines.add(begin);
            blockLines.addAll(LineinfileModule.splitLines(block.endsWith("\n") ? block : block + "\n"));
            blockLines.add(end);
        }
        Integer n0 = null;
        Integer n1 = null;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).equals(begin)) n0 = i;
            if (lines.get(i).equals(end)) n1 = i;
        }
        int at;
        if (n0 == null || n1 == null) {
            if (insertAfter == null && insertBefore == null) insertAfter = "EOF";
            String regex = insertAfter != null && !insertAfter.equals("EOF") ? insertAfter
                    : insertBefore != null && !insertBefore.equals("BOF") ? insertBefore : null;
            if (regex != null) {
                Pattern p = Pattern.compile(regex);
                Integer found = null;
                if (multiline(regex)) {
                    Matcher m = p.matcher(text);
                    if (m.find()) found = count(text, insertAfter != null ? m.end() : m.start());
                } else {
                    for (int i = 0; i < lines.size(); i++) {
                        if (p.matcher(lines.get(i)).find()) found = i;
                    }
                }
                at = found == null ? lines.size() : insertAfter != null ? found + 1 : found;
            } else {
                at = insertBefore != null ? 0 : lines.size();
            }
        } else if (n0 < n1) {
            lines.subList(n0, n1 + 1).clear();
            at = n0;
        } else {
            lines.subList(n1, n0 + 1).clear();
            at = n1;
        }
        if (at > 0 && !lines.get(at - 1).endsWith("\n")) lines.set(at - 1, lines.get(at - 1) + "\n");
        lines.addAll(at, blockLines);
        return String.join("", lines);
    }

    /** Python's re.MULTILINE given inline, as Ansible checks for it. */
    private static boolean multiline(String regex) {
        return regex.matches("(?s)^\\(\\?[a-zA-Z]*m[a-zA-Z]*\\).*");
    }

    private static int count(String text, int end) {
        int n = 0;
        for (int i = 0; i < end; i++) if (text.charAt(i) == '\n') n++;
        return n;
    }
}

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
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
import static dev.rig.playbook.ArgSpec.ArgType.MODE;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * One line in a text file, with Ansible's rules: {@code regexp} replaces the last matching line;
 * without a match an identical line is left alone, otherwise the line is inserted after the last
 * {@code insertafter} match, before the last {@code insertbefore} match, or at the end;
 * {@code state: absent} removes every line matching {@code regexp} (or equal to {@code line}).
 * The whole file is read by the probe and the edit is computed here, then written atomically.
 */
public final class LineinfileModule implements Module {
    /** The probe downloads the file; bigger files are refused rather than streamed over SSH. */
    static final long MAX_BYTES = 1024 * 1024;

    private static final String BOF = "BOF";
    private static final String EOF = "EOF";

    @Override
    public String name() {
        return "lineinfile";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("path", STRING).alias("dest", "destfile", "name"), ArgSpec.optional("backrefs", BOOL),
                ArgSpec.optional("firstmatch", BOOL), ArgSpec.optional("backup", BOOL), ArgSpec.optional("validate", STRING), ArgSpec.optional("line", STRING), ArgSpec.optional("regexp", STRING),
                ArgSpec.choice("state", false, "present", "absent"), ArgSpec.optional("insertafter", STRING),
                ArgSpec.optional("insertbefore", STRING), ArgSpec.optional("create", BOOL), ArgSpec.optional("mode", MODE),
                ArgSpec.optional("owner", STRING), ArgSpec.optional("group", STRING));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        List<String> problems = new ArrayList<>();
        Object state = args.get("state");
        if (!(state instanceof String s && Templates.isTemplated(s))) {
            if ("absent".equals(state)) {
                if (!args.containsKey("regexp") && !args.containsKey("line")) problems.add("state 'absent' requires 'regexp' or 'line'");
            } else if (!args.containsKey("line")) {
                problems.add("state 'present' requires 'line'");
            }
        }
        if (args.containsKey("insertafter") && args.containsKey("insertbefore")) {
            problems.add("give at most one of 'insertafter' or 'insertbefore'");
        }
        for (String name : List.of("regexp", "insertafter", "insertbefore")) {
            if (args.get(name) instanceof String s && !Templates.isTemplated(s) && !s.equals(BOF) && !s.equals(EOF)) {
                try {
                    Pattern.compile(s);
                } catch (PatternSyntaxException e) {
                    problems.add(badRegex(name, e));
                }
            }
        }
        return problems;
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return PathFact.probe(args.string("path"), PathFact.Want.content(MAX_BYTES));
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        String path = args.string("path");
        String state = args.string("state", "present");
        if (!state.equals("present") && !state.equals("absent")) return Outcome.fail("unknown state '" + state + "'");
        boolean present = state.equals("present");
        PathFact.State cur = PathFact.parse(probeOutput);
        if (cur.exists() && !cur.isFile()) return Outcome.fail(path + " exists and is a " + cur.kind() + ", not a regular file");
        if (!cur.exists()) {
            if (!present) return Outcome.ok(path + " does not exist; no line to remove");
            if (!args.bool("create", false)) return Outcome.fail(path + " does not exist (set create: true to create it)");
        }
        if (cur.exists() && cur.content() == null) {
            return Outcome.fail(path + " is larger than " + MAX_BYTES / 1024 + " KiB; lineinfile reads whole files");
        }
        String text = cur.exists() ? FileContent.text(cur.content()) : "";
        if (text == null) return Outcome.fail(path + " is not a UTF-8 text file");

        Edit edit = present
                ? ensurePresent(text, args.string("line"), pattern(args, "regexp"), args.optString("insertafter").orElse(null),
                        args.optString("insertbefore").orElse(null), args.bool("backrefs", false), args.bool("firstmatch", false))
                : removeAll(text, matcher(args));
        Outcome converged = FileContent.converge(path, edit.text().getBytes(StandardCharsets.UTF_8), FileAttributes.from(args), cur, ctx.noLog(),
                FileContent.Guard.from(args));
        Map<String, Object> result = new LinkedHashMap<>(Map.of("msg", edit.message()));
        if (!present) result.put("found", edit.removed());
        boolean contentChanged = !edit.text().equals(text) || !cur.exists();
        String message = contentChanged && !converged.failed() ? path + ": " + edit.message() : converged.message();
        return new Outcome(converged.change(), message, converged.failed(), null, converged.result()).withResult(result);
    }

    /** The file's new text and what was done to it. */
    record Edit(String text, String message, int removed) {}

    /** Ansible's state=present, on text whose lines keep their own endings so untouched lines stay byte for byte. */
    static Edit ensurePresent(String text, String line, Pattern regexp, String insertAfter, String insertBefore) {
        return ensurePresent(text, line, regexp, insertAfter, insertBefore, false, false);
    }

    /**
     * With {@code backrefs}, the matching line becomes {@code line} with \1 or \g<name> filled from the match, and
     * no match leaves the file as it is; with {@code firstmatch}, insertafter/insertbefore use the first match.
     */
    static Edit ensurePresent(String text, String line, Pattern regexp, String insertAfter, String insertBefore, boolean backrefs, boolean firstmatch) {
        List<String> lines = splitLines(text);
        int replace = regexp == null ? -1 : lastIndex(lines, l -> regexp.matcher(l).find());
        if (replace >= 0) {
            String wanted = line;
            if (backrefs) {
                java.util.regex.Matcher m = regexp.matcher(body(lines.get(replace)));
                m.find();
                wanted = expand(m, line);
            }
            if (body(lines.get(replace)).equals(wanted)) return new Edit(text, "line already present", 0);
            lines.set(replace, wanted + ending(lines.get(replace)));
            return new Edit(String.join("", lines), "line replaced", 0);
        }
        if (backrefs) return new Edit(text, "no match for the regexp: nothing to do (backrefs)", 0);
        if (lastIndex(lines, line::equals) >= 0) return new Edit(text, "line already present", 0);
        lines.add(insertionPoint(lines, insertAfter, insertBefore, firstmatch), line + "\n");
        return new Edit(String.join("", lines), "line added", 0);
    }

    /** Ansible's state=absent: every matching line goes. */
    static Edit removeAll(String text, Predicate<String> matches) {
        List<String> lines = splitLines(text);
        List<String> kept = lines.stream().filter(l -> !matches.test(body(l))).toList();
        int removed = lines.size() - kept.size();
        if (removed == 0) return new Edit(text, "line not present", 0);
        return new Edit(String.join("", kept), removed + (removed == 1 ? " line removed" : " lines removed"), removed);
    }

    /** Where a new line goes: BOF; after/before the last line matching the regex; else the end (also when the regex matches nothing). */
    private static int insertionPoint(List<String> lines, String insertAfter, String insertBefore, boolean firstmatch) {
        if (BOF.equals(insertAfter) || BOF.equals(insertBefore)) return 0;
        int at = lines.size();
        if (insertAfter != null && !EOF.equals(insertAfter)) {
            Predicate<String> p = compile("insertafter", insertAfter).asPredicate();
            int found = firstmatch ? firstIndex(lines, p) : lastIndex(lines, p);
            if (found >= 0) at = found + 1;
        } else if (insertBefore != null) {
            Predicate<String> p = compile("insertbefore", insertBefore).asPredicate();
            int found = firstmatch ? firstIndex(lines, p) : lastIndex(lines, p);
            if (found >= 0) at = found;
        }
        // the line before the new one may be the file's last, lacking its newline
        if (at > 0 && ending(lines.get(at - 1)).isEmpty()) lines.set(at - 1, lines.get(at - 1) + "\n");
        return at;
    }

    private static Predicate<String> matcher(Args args) {
        Pattern regexp = pattern(args, "regexp");
        if (regexp != null) return l -> regexp.matcher(l).find();
        return args.string("line")::equals;
    }

    private static Pattern pattern(Args args, String name) {
        return args.optString(name).map(s -> compile(name, s)).orElse(null);
    }

    private static Pattern compile(String name, String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new Args.ArgumentException(badRegex(name, e));
        }
    }

    private static String badRegex(String name, PatternSyntaxException e) {
        return "argument '" + name + "' is not a valid regular expression: " + e.getDescription() + " near index " + e.getIndex();
    }

    private static int firstIndex(List<String> lines, Predicate<String> matches) {
        for (int i = 0; i < lines.size(); i++) {
            if (matches.test(body(lines.get(i)))) return i;
        }
        return -1;
    }

    /** Python's match.expand: \1..\99 and \g<name> or \g<1> from the match; other text literal. */
    static String expand(java.util.regex.Matcher m, String template) {
        java.util.regex.Matcher refs = Pattern.compile("\\\\(?:(\\d{1,2})|g<(\\w+)>)").matcher(template);
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (refs.find()) {
            out.append(template, last, refs.start());
            String ref = refs.group(1) != null ? refs.group(1) : refs.group(2);
            String value = ref.chars().allMatch(Character::isDigit) ? m.group(Integer.parseInt(ref)) : m.group(ref);
            if (value != null) out.append(value);
            last = refs.end();
        }
        return out.append(template.substring(last)).toString();
    }

    /** Index of the last line whose text (without its ending) matches, or -1. */
    private static int lastIndex(List<String> lines, Predicate<String> matches) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (matches.test(body(lines.get(i)))) return i;
        }
        return -1;
    }

    /** Lines split after each '\n', each keeping its ending; a last line without one is kept as it is. */
    static List<String> splitLines(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        for (int nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
            lines.add(text.substring(start, nl + 1));
            start = nl + 1;
        }
        if (start < text.length()) lines.add(text.substring(start));
        return lines;
    }

    private static String body(String line) {
        return line.substring(0, line.length() - ending(line).length());
    }

    /** "\n", "\r\n" or "" (the file's last line, when the file does not end with a newline). */
    private static String ending(String line) {
        if (line.endsWith("\r\n")) return "\r\n";
        return line.endsWith("\n") ? "\n" : "";
    }
}

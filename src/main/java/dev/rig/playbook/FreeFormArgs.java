package dev.rig.playbook;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Ansible's {@code parse_kv} for a module's arguments written as one string ({@code file: path=/x
 * state=directory}, {@code command: touch /x creates=/x}). Words are split at blanks outside quotes
 * and outside {@code ${...}}; a word {@code key=value} is an argument (its value unquoted). For the
 * free-form modules (command, shell) only Ansible's own option names are taken out
 * ({@link #RAW_MODULE_OPTIONS}); every other word stays in the command text, as in Ansible.
 */
public final class FreeFormArgs {
    /** The options Ansible takes out of a command/shell free form (splitter.parse_kv, check_raw). */
    public static final Set<String> RAW_MODULE_OPTIONS = Set.of("creates", "removes", "chdir", "executable", "warn", "stdin",
            "stdin_add_newline", "strip_empty_ends");

    /** {@code options}: the key=value arguments; {@code raw}: the remaining words (null when none). */
    public record Parsed(Map<String, String> options, String raw) {}

    private FreeFormArgs() {}

    public static Parsed parse(String text, boolean rawModule) {
        Map<String, String> options = new LinkedHashMap<>();
        List<String> lines = new ArrayList<>();
        boolean tookAny = false;
        List<String> rawWords = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            List<String> kept = new ArrayList<>();
            for (String word : words(line)) {
                int eq = unescapedEquals(word);
                String key = eq > 0 ? word.substring(0, eq).strip() : null;
                if (key != null && key.matches("[A-Za-z_][A-Za-z0-9_]*") && (!rawModule || RAW_MODULE_OPTIONS.contains(key))) {
                    options.put(key, unquote(word.substring(eq + 1).strip()));
                    tookAny = true;
                } else {
                    kept.add(word);
                    rawWords.add(word);
                }
            }
            lines.add(String.join(" ", kept));
        }
        String raw;
        if (rawWords.isEmpty()) raw = null;
        else if (!tookAny) raw = text; // nothing taken out: the command text stays exactly as written
        else raw = String.join("\n", lines).strip();
        return new Parsed(options, raw);
    }

    private static int unescapedEquals(String word) {
        for (int i = 1; i < word.length(); i++) {
            if (word.charAt(i) == '=' && word.charAt(i - 1) != '\\') return i;
            if (word.charAt(i) == '"' || word.charAt(i) == '\'') return -1; // a quoted word, not key=value
        }
        return -1;
    }

    /** Blank-separated words; quotes and ${...} keep blanks inside a word, and stay in it. */
    static List<String> words(String line) {
        List<String> out = new ArrayList<>();
        StringBuilder w = new StringBuilder();
        char quote = 0;
        int braces = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                w.append(c);
                if (c == '\\' && quote == '"' && i + 1 < line.length()) w.append(line.charAt(++i));
                else if (c == quote) quote = 0;
            } else if (braces > 0) {
                w.append(c);
                if (c == '{') braces++;
                else if (c == '}') braces--;
            } else if (c == '$' && i + 1 < line.length() && line.charAt(i + 1) == '{') {
                w.append("${");
                i++;
                braces = 1;
            } else if (c == '"' || c == '\'') {
                quote = c;
                w.append(c);
            } else if (c == ' ' || c == '\t') {
                if (!w.isEmpty()) out.add(w.toString());
                w.setLength(0);
            } else {
                w.append(c);
            }
        }
        if (!w.isEmpty()) out.add(w.toString());
        return out;
    }

    static String unquote(String v) {
        if (v.length() >= 2 && (v.charAt(0) == '"' || v.charAt(0) == '\'') && v.charAt(v.length() - 1) == v.charAt(0)) {
            return v.substring(1, v.length() - 1);
        }
        return v;
    }
}

package dev.rig.modules;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code shlex.split} in POSIX mode, which is how Ansible's command module splits a
 * free-form string: whitespace separates words, single quotes are literal, double quotes keep
 * spaces and let a backslash escape only {@code "} and {@code \}, a bare backslash escapes any
 * character. Nothing else is special: no variables, globs, pipes or comments.
 */
final class Shlex {
    private Shlex() {}

    static List<String> split(String text) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false; // '' is a word too, so an empty builder is not enough
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                if (inWord) words.add(word.toString());
                word.setLength(0);
                inWord = false;
                i++;
                continue;
            }
            inWord = true;
            if (c == '\\') {
                if (i + 1 >= text.length()) throw new Args.ArgumentException("cannot split command: nothing after the final backslash");
                word.append(text.charAt(i + 1));
                i += 2;
            } else if (c == '\'') {
                int close = text.indexOf('\'', i + 1);
                if (close < 0) throw unclosed(c);
                word.append(text, i + 1, close);
                i = close + 1;
            } else if (c == '"') {
                i = doubleQuoted(text, i + 1, word);
            } else {
                word.append(c);
                i++;
            }
        }
        if (inWord) words.add(word.toString());
        return words;
    }

    /** Appends the double-quoted text starting at {@code from} and returns the index after the closing quote. */
    private static int doubleQuoted(String text, int from, StringBuilder word) {
        int i = from;
        while (i < text.length()) {
            char c = text.charAt(i);
            if (c == '"') return i + 1;
            if (c == '\\' && i + 1 < text.length() && (text.charAt(i + 1) == '"' || text.charAt(i + 1) == '\\')) {
                word.append(text.charAt(i + 1));
                i += 2;
            } else {
                word.append(c);
                i++;
            }
        }
        throw unclosed('"');
    }

    private static Args.ArgumentException unclosed(char quote) {
        return new Args.ArgumentException("cannot split command: no closing quotation (" + quote + ")");
    }
}

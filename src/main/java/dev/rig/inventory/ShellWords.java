package dev.rig.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Python's {@code shlex.split(line, comments=True)}, which Ansible's ini plugin splits host lines
 * with: words separated by whitespace, quotes removed ('...' literal, "..." with \\ and \" escapes), a
 * backslash escaping the next character outside quotes, and # outside quotes ending the line. Each
 * word keeps the 1-based column it starts at, for error messages.
 */
final class ShellWords {
    record Word(String text, int column) {}

    static final class SplitException extends Exception {
        final int column;

        SplitException(String message, int column) {
            super(message);
            this.column = column;
        }
    }

    private ShellWords() {}

    static List<Word> split(String line) throws SplitException {
        return split(line, true);
    }

    /** comments false: # is an ordinary character, as in Python's shlex.split(line) (how Ansible splits ssh args). */
    static List<Word> split(String line, boolean comments) throws SplitException {
        List<Word> words = new ArrayList<>();
        StringBuilder word = null;
        int start = 0;
        int i = 0;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (Character.isWhitespace(c)) {
                if (word != null) words.add(new Word(word.toString(), start + 1));
                word = null;
                i++;
                continue;
            }
            if (c == '#' && comments) break; // a comment, also right after a word
            if (word == null) {
                word = new StringBuilder();
                start = i;
            }
            if (c == '\\') {
                if (i + 1 >= line.length()) throw new SplitException("no character after the final backslash", i + 1);
                word.append(line.charAt(i + 1));
                i += 2;
            } else if (c == '\'') {
                int close = line.indexOf('\'', i + 1);
                if (close < 0) throw new SplitException("no closing quotation (')", i + 1);
                word.append(line, i + 1, close);
                i = close + 1;
            } else if (c == '"') {
                i = doubleQuoted(line, i, word);
            } else {
                word.append(c);
                i++;
            }
        }
        if (word != null) words.add(new Word(word.toString(), start + 1));
        return words;
    }

    /** Appends a "..." section's text; returns the index after its closing quote. */
    private static int doubleQuoted(String line, int open, StringBuilder word) throws SplitException {
        int i = open + 1;
        while (i < line.length()) {
            char c = line.charAt(i);
            if (c == '"') return i + 1;
            if (c == '\\' && i + 1 < line.length() && (line.charAt(i + 1) == '\\' || line.charAt(i + 1) == '"')) {
                word.append(line.charAt(i + 1));
                i += 2;
                continue;
            }
            word.append(c);
            i++;
        }
        throw new SplitException("no closing quotation (\")", open + 1);
    }
}

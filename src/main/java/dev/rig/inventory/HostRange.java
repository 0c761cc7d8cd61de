package dev.rig.inventory;

import java.util.ArrayList;
import java.util.List;

/**
 * Ansible's host ranges: {@code web[01:03]} is web01, web02, web03 (a zero-padded start pads every
 * number to its width), {@code db[a:c]} is dba, dbb, dbc, {@code n[0:10:5]} has a step, and a name may
 * hold several ranges.
 */
final class HostRange {
    /** Guards against a typo such as [0:99999999] eating all memory. */
    static final int MAX_HOSTS = 10_000;

    private HostRange() {}

    /** The host names a name expands to; throws IllegalArgumentException for a malformed range. */
    static List<String> expand(String name) {
        List<String> names = new ArrayList<>();
        expandInto(name, names);
        return names;
    }

    private static void expandInto(String name, List<String> names) {
        int open = name.indexOf('[');
        if (open < 0) {
            if (name.indexOf(']') >= 0) throw invalid(name, "']' without '['");
            names.add(name);
            return;
        }
        int close = name.indexOf(']', open);
        if (close < 0) throw invalid(name, "'[' without ']'");
        String head = name.substring(0, open);
        String tail = name.substring(close + 1);
        for (String value : values(name, name.substring(open + 1, close))) {
            expandInto(head + value + tail, names);
            if (names.size() > MAX_HOSTS) throw invalid(name, "it expands to more than " + MAX_HOSTS + " hosts");
        }
    }

    private static List<String> values(String name, String range) {
        String[] bounds = range.split(":", -1);
        if (bounds.length != 2 && bounds.length != 3) throw invalid(name, "expected [start:end] or [start:end:step]");
        String start = bounds[0].isEmpty() ? "0" : bounds[0];
        String end = bounds[1];
        int step = bounds.length == 3 ? number(name, bounds[2]) : 1;
        if (step < 1) throw invalid(name, "the step must be at least 1");
        if (start.matches("[a-zA-Z]") && end.matches("[a-zA-Z]")) return letters(name, start.charAt(0), end.charAt(0), step);

        int first = number(name, start);
        int last = number(name, end);
        if (first > last) throw invalid(name, "the start must not be greater than the end");
        boolean zeroPadded = start.length() > 1 && start.startsWith("0");
        if (zeroPadded && start.length() != end.length()) throw invalid(name, "a zero-padded start and the end must have the same width");
        String format = zeroPadded ? "%0" + start.length() + "d" : "%d";
        List<String> values = new ArrayList<>();
        for (long i = first; i <= last && values.size() <= MAX_HOSTS; i += step) values.add(String.format(format, i));
        return values;
    }

    /** Python's string.ascii_letters order, which Ansible indexes: [x:B] is x, y, z, A, B. */
    private static final String ASCII_LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private static List<String> letters(String name, char first, char last, int step) {
        int from = ASCII_LETTERS.indexOf(first);
        int to = ASCII_LETTERS.indexOf(last);
        if (from > to) throw invalid(name, "the start must not be greater than the end");
        List<String> values = new ArrayList<>();
        for (int i = from; i <= to; i += step) values.add(String.valueOf(ASCII_LETTERS.charAt(i)));
        return values;
    }

    private static int number(String name, String text) {
        if (!text.matches("\\d{1,9}")) throw invalid(name, "'" + text + "' is not a number");
        return Integer.parseInt(text);
    }

    private static IllegalArgumentException invalid(String name, String why) {
        return new IllegalArgumentException("invalid host range in '" + name + "': " + why);
    }
}

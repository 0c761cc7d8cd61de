package dev.rig.report;

import java.util.ArrayList;
import java.util.List;

/** Text diffs in unified format (3 lines of context), computed with a longest-common-subsequence table. */
public final class UnifiedDiff {
    static final int CONTEXT = 3;
    static final int MAX_LINES = 4000;

    private UnifiedDiff() {}

    public static List<String> render(String before, String after, String path) {
        List<String> a = lines(before);
        List<String> b = lines(after);
        List<String> out = new ArrayList<>();
        out.add("--- " + path + " (before)");
        out.add("+++ " + path + " (after)");
        if ((long) a.size() * b.size() > (long) MAX_LINES * MAX_LINES / 4) {
            out.add("@@ files differ (" + a.size() + " → " + b.size() + " lines; too large to show) @@");
            return out;
        }
        List<Op> ops = diff(a, b);
        int i = 0;
        while (i < ops.size()) {
            while (i < ops.size() && ops.get(i).kind == ' ') i++;
            if (i >= ops.size()) break;
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            // Extend the hunk while changes are within 2*CONTEXT of each other.
            int lastChange = i;
            while (end < ops.size()) {
                if (ops.get(end).kind != ' ') lastChange = end;
                else if (end - lastChange > 2 * CONTEXT) break;
                end++;
            }
            end = Math.min(ops.size(), lastChange + CONTEXT + 1);
            int aStart = 0, bStart = 0, aLen = 0, bLen = 0;
            for (int k = 0; k < start; k++) {
                if (ops.get(k).kind != '+') aStart++;
                if (ops.get(k).kind != '-') bStart++;
            }
            List<String> body = new ArrayList<>();
            for (int k = start; k < end; k++) {
                Op op = ops.get(k);
                if (op.kind != '+') aLen++;
                if (op.kind != '-') bLen++;
                body.add(op.kind + op.line);
            }
            out.add("@@ -" + range(aStart, aLen) + " +" + range(bStart, bLen) + " @@");
            out.addAll(body);
            i = end;
        }
        return out;
    }

    private static String range(int start, int len) {
        return (len == 0 ? start : start + 1) + "," + len;
    }

    private record Op(char kind, String line) {}

    private static List<Op> diff(List<String> a, List<String> b) {
        int n = a.size(), m = b.size();
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a.get(i).equals(b.get(j)) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<Op> ops = new ArrayList<>();
        int i = 0, j = 0;
        while (i < n && j < m) {
            if (a.get(i).equals(b.get(j))) {
                ops.add(new Op(' ', a.get(i)));
                i++;
                j++;
            } else if (lcs[i + 1][j] >= lcs[i][j + 1]) {
                ops.add(new Op('-', a.get(i++)));
            } else {
                ops.add(new Op('+', b.get(j++)));
            }
        }
        while (i < n) ops.add(new Op('-', a.get(i++)));
        while (j < m) ops.add(new Op('+', b.get(j++)));
        return ops;
    }

    private static List<String> lines(String s) {
        if (s == null || s.isEmpty()) return List.of();
        List<String> l = new ArrayList<>(List.of(s.split("\n", -1)));
        if (s.endsWith("\n")) l.remove(l.size() - 1);
        return l;
    }
}

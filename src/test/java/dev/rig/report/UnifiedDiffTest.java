package dev.rig.report;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class UnifiedDiffTest {
    @Test
    void oneChangedLineWithContext() {
        String before = "a\nb\nc\nd\ne\nf\ng\nh\n";
        String after = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assertEquals(List.of("--- f (before)", "+++ f (after)", "@@ -2,7 +2,7 @@", " b", " c", " d", "-e", "+E", " f", " g", " h"),
                UnifiedDiff.render(before, after, "f"));
    }

    @Test
    void aNewFileIsAllAdditions() {
        assertEquals(List.of("--- f (before)", "+++ f (after)", "@@ -0,0 +1,2 @@", "+x", "+y"), UnifiedDiff.render("", "x\ny\n", "f"));
    }

    @Test
    void distantChangesMakeSeparateHunks() {
        StringBuilder b = new StringBuilder();
        for (int i = 1; i <= 30; i++) b.append(i).append('\n');
        String after = b.toString().replace("\n2\n", "\ntwo\n").replace("\n29\n", "\ntwenty-nine\n");
        List<String> diff = UnifiedDiff.render(b.toString(), after, "f");
        assertEquals(2, diff.stream().filter(l -> l.startsWith("@@")).count(), String.join("\n", diff));
    }
}

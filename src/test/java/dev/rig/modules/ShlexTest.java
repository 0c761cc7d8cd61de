package dev.rig.modules;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Expected values are what Python's shlex.split returns for the same input. */
class ShlexTest {
    @Test
    void whitespaceSeparatesWords() {
        assertEquals(List.of("ls", "-l", "/tmp"), Shlex.split("  ls \t-l\n /tmp  "));
        assertEquals(List.of(), Shlex.split("   "));
    }

    @Test
    void quotesKeepSpacesAndJoinAdjacentText() {
        assertEquals(List.of("echo", "a b", "c d", "xyz w"), Shlex.split("echo 'a b' \"c d\" x'y'\"z w\""));
    }

    @Test
    void nothingIsExpandedOrInterpreted() {
        assertEquals(List.of("echo", "$HOME", "*", "a;b", "|", "#c"), Shlex.split("echo \"$HOME\" * a;b | #c"));
    }

    @Test
    void emptyQuotesAreAnEmptyWord() {
        assertEquals(List.of("a", "", "b", ""), Shlex.split("a '' b \"\""));
    }

    @Test
    void backslashEscapesAnyCharacterOutsideQuotes() {
        assertEquals(List.of("a b", "'", "\"", "\\"), Shlex.split("a\\ b \\' \\\" \\\\"));
    }

    @Test
    void insideDoubleQuotesBackslashEscapesOnlyQuoteAndBackslash() {
        assertEquals(List.of("say \"hi\" \\ \\n \\$x"), Shlex.split("\"say \\\"hi\\\" \\\\ \\n \\$x\""));
    }

    @Test
    void insideSingleQuotesBackslashIsLiteral() {
        assertEquals(List.of("a\\nb"), Shlex.split("'a\\nb'"));
    }

    @Test
    void unbalancedInputIsAnError() {
        assertThrows(Args.ArgumentException.class, () -> Shlex.split("echo 'oops"));
        assertThrows(Args.ArgumentException.class, () -> Shlex.split("echo \"oops"));
        assertThrows(Args.ArgumentException.class, () -> Shlex.split("echo \"oops\\\""));
        assertThrows(Args.ArgumentException.class, () -> Shlex.split("echo oops\\"));
    }
}

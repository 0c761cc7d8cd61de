package dev.rig.core;

import java.nio.file.Path;

/** Where a value came from: file, 1-based line and column. Every input error carries one. */
public record Source(String file, int line, int column) {
    public static final Source NONE = new Source("<none>", 0, 0);

    public static Source of(Path file, int line, int column) {
        return new Source(file.toString(), line, column);
    }

    /** A position inside a multi-line string value that starts at this source. */
    public Source offset(int lineInValue, int columnInValue) {
        if (lineInValue <= 1) return new Source(file, line, column + Math.max(0, columnInValue - 1));
        return new Source(file, line + lineInValue - 1, columnInValue);
    }

    @Override
    public String toString() {
        return line > 0 ? file + ":" + line + ":" + column : file;
    }
}

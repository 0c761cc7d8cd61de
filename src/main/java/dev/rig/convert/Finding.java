package dev.rig.convert;

/** Something rig convert left as it was: where in SRC_DIR (relative path, 1-based line and column) and why. */
public record Finding(String file, int line, int column, String reason) implements Comparable<Finding> {
    @Override
    public String toString() {
        return file + (line > 0 ? ":" + line + ":" + column : "") + ": " + reason;
    }

    @Override
    public int compareTo(Finding o) {
        int c = file.compareTo(o.file);
        if (c != 0) return c;
        c = Integer.compare(line, o.line);
        return c != 0 ? c : Integer.compare(column, o.column);
    }
}

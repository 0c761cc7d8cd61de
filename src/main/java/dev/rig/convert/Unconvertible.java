package dev.rig.convert;

/** A construct the converter leaves as it is, with the reason; pos is within the Jinja2 text. */
public final class Unconvertible extends RuntimeException {
    private final Jinja.Pos pos;

    public Unconvertible(Jinja.Pos pos, String reason) {
        super(reason);
        this.pos = pos;
    }

    public Jinja.Pos pos() {
        return pos;
    }
}

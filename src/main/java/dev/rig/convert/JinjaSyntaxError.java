package dev.rig.convert;

/** Text that is not valid Jinja2: where, and what was expected. */
public final class JinjaSyntaxError extends RuntimeException {
    private final Jinja.Pos pos;

    public JinjaSyntaxError(Jinja.Pos pos, String message) {
        super(message);
        this.pos = pos;
    }

    public Jinja.Pos pos() {
        return pos;
    }
}

package dev.rig.template;

import dev.rig.core.Source;

/** A template or expression failed: an undefined variable, a syntax error, a wrong type. */
public class TemplateError extends RuntimeException {
    private final Source source;
    private final String problem;

    public TemplateError(Source source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.problem = problem;
    }

    public Source source() {
        return source;
    }

    public String problem() {
        return problem;
    }
}

package dev.rig.plan;

/** What a change does to a resource, as Terraform names it. RUN is a command that has no state to compare. */
public enum Action {
    NOOP, CREATE, UPDATE, DELETE, RUN;

    public String symbol() {
        return switch (this) {
            case NOOP -> " ";
            case CREATE -> "+";
            case UPDATE -> "~";
            case DELETE -> "-";
            case RUN -> "!";
        };
    }
}

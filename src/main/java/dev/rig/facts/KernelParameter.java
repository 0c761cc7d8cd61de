package dev.rig.facts;

import dev.rig.core.Shell;

import java.util.Optional;

/** A kernel parameter's live value as {@code sysctl -n KEY} prints it, or sysctl's error when the kernel has no such parameter. */
public record KernelParameter(Optional<String> value, String error) {
    /** The parameter key (a name already checked to be a sysctl key). */
    public static Fact<KernelParameter> of(String key) {
        return Fact.of(new Probe("if v=$(sysctl -n " + Shell.quote(key) + " 2>&1); then printf 'value=%s\\n' \"$v\"; else printf 'error=%s\\n' \"$v\"; fi"),
                KernelParameter::parse);
    }

    static KernelParameter parse(String output) {
        String out = output == null ? "" : output;
        if (out.startsWith("value=")) return new KernelParameter(Optional.of(out.substring(6)), "");
        return new KernelParameter(Optional.empty(), out.replaceFirst("^error=", "").strip());
    }
}

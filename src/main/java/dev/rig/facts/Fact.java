package dev.rig.facts;

/**
 * What a module needs to know about a host, as a type: a read-only {@link Probe} and a parser from
 * its output to a value (a record). A module asks for facts and turns desired-vs-fact into commands;
 * it neither writes probe scripts inline nor parses probe text itself. Parsers are pure, so a fact
 * is tested with recorded probe output alone.
 *
 * <pre>
 * public record Thing(...) {
 *     public static Fact&lt;Thing&gt; of(String name) { return Fact.of(new Probe("..."), Thing::parse); }
 *     static Thing parse(String output) { ... }
 * }
 * </pre>
 */
public interface Fact<T> {
    Probe probe();

    /** The value the probe's output stands for; output is null when the probe did not run. */
    T parse(String output);

    static <T> Fact<T> of(Probe probe, java.util.function.Function<String, T> parser) {
        return new Fact<>() {
            @Override
            public Probe probe() {
                return probe;
            }

            @Override
            public T parse(String output) {
                return parser.apply(output);
            }
        };
    }
}

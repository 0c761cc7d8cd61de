package dev.rig.modules;

import dev.rig.facts.Probe;
import dev.rig.facts.StatFact;
import dev.rig.playbook.ArgSpec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.rig.playbook.ArgSpec.ArgType.BOOL;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * Reads a path's facts for {@code register}, as Ansible's stat does (its result's {@code stat} map,
 * with Ansible's field names); never changes anything. The checksum is sha1 unless
 * {@code checksum_algorithm} says otherwise, as in Ansible. File attributes (lsattr) are not read:
 * {@code get_attributes: true} is refused rather than answered with nothing.
 */
public final class StatModule implements Module {
    @Override
    public String name() {
        return "stat";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("path", STRING).alias("dest", "name"), ArgSpec.optional("follow", BOOL),
                ArgSpec.optional("get_checksum", BOOL), ArgSpec.choice("checksum_algorithm", false, "md5", "sha1", "sha224", "sha256", "sha384", "sha512")
                        .alias("checksum", "checksum_algo"),
                ArgSpec.optional("get_mime", BOOL).alias("mime", "mime_type", "mime-type"), ArgSpec.optional("get_attributes", BOOL).alias("attr", "attributes"));
    }

    @Override
    public List<String> crossCheck(Map<String, Object> args) {
        List<String> problems = new ArrayList<>();
        Object attrs = args.get("get_attributes");
        if (attrs != null && !"false".equalsIgnoreCase(String.valueOf(attrs)) && !"no".equalsIgnoreCase(String.valueOf(attrs))) {
            problems.add("get_attributes: rig does not read file attributes (lsattr); leave it out or give false");
        }
        return problems;
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return StatFact.probe(args.string("path"), want(args));
    }

    private static StatFact.Want want(Args args) {
        String algorithm = args.bool("get_checksum", true) ? args.string("checksum_algorithm", "sha1") : null;
        if (algorithm != null && !StatFact.ALGORITHMS.contains(algorithm)) throw new Args.ArgumentException("unknown checksum_algorithm '" + algorithm + "'");
        return new StatFact.Want(args.bool("follow", false), algorithm, args.bool("get_mime", true));
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        if (args.bool("get_attributes", false)) throw new Args.ArgumentException("get_attributes: rig does not read file attributes (lsattr)");
        StatFact.Stat stat = StatFact.parse(args.string("path"), probeOutput);
        Map<String, Object> fields = stat.asResult();
        String what = !stat.exists() ? "does not exist"
                : Boolean.TRUE.equals(fields.get("isdir")) ? "is a directory" : Boolean.TRUE.equals(fields.get("islnk")) ? "is a link" : "exists";
        return Outcome.ok(stat.path() + " " + what).withResult(Map.of("stat", fields));
    }
}

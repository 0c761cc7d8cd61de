package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.PathFact;
import dev.rig.plan.HostCommand;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Mode, owner and group as asked for by a task, and the commands that make an existing path match. */
record FileAttributes(Optional<String> mode, Optional<String> owner, Optional<String> group) {
    static FileAttributes from(Args args) {
        return new FileAttributes(args.mode("mode"), args.optString("owner"), args.optString("group"));
    }

    boolean any() {
        return mode.isPresent() || owner.isPresent() || group.isPresent();
    }

    /** Commands fixing what differs on an existing path; records each differing field in before/after. */
    List<HostCommand> fix(String path, PathFact.State current, Map<String, String> before, Map<String, String> after) {
        List<HostCommand> out = new ArrayList<>();
        if (mode.isPresent() && !mode.get().equals(current.mode())) {
            before.put("mode", current.mode());
            after.put("mode", mode.get());
            out.add(HostCommand.of(Shell.join("chmod", mode.get(), "--", path), "chmod " + mode.get() + " " + path));
        }
        String ownership = chownSpec(current, before, after);
        if (ownership != null) out.add(HostCommand.of(Shell.join("chown", "-h", ownership, "--", path), "chown " + ownership + " " + path));
        return out;
    }

    /** Attributes for a path about to be created: everything asked for. */
    void describeNew(Map<String, String> after) {
        mode.ifPresent(m -> after.put("mode", m));
        owner.ifPresent(o -> after.put("owner", o));
        group.ifPresent(g -> after.put("group", g));
    }

    /** Commands setting every asked-for attribute on a path rig just created. */
    List<HostCommand> apply(String path) {
        List<HostCommand> out = new ArrayList<>();
        mode.ifPresent(m -> out.add(HostCommand.of(Shell.join("chmod", m, "--", path), "chmod " + m + " " + path)));
        String spec = owner.orElse("") + group.map(g -> ":" + g).orElse("");
        if (!spec.isEmpty()) out.add(HostCommand.of(Shell.join("chown", "-h", spec, "--", path), "chown " + spec + " " + path));
        return out;
    }

    private String chownSpec(PathFact.State current, Map<String, String> before, Map<String, String> after) {
        boolean ownerDiffers = owner.isPresent() && !owner.get().equals(current.owner());
        boolean groupDiffers = group.isPresent() && !group.get().equals(current.group());
        if (ownerDiffers) {
            before.put("owner", current.owner());
            after.put("owner", owner.get());
        }
        if (groupDiffers) {
            before.put("group", current.group());
            after.put("group", group.get());
        }
        if (!ownerDiffers && !groupDiffers) return null;
        return (ownerDiffers ? owner.get() : "") + (groupDiffers ? ":" + group.get() : "");
    }
}

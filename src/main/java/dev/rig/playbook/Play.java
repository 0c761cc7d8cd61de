package dev.rig.playbook;

import dev.rig.core.Source;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A play: which hosts, which variables, which tasks (a tree of {@link Step}s). Role defaults and role vars are gathered
 * here from the play's roles, each at its own precedence level. {@code gatherFacts}: gather_facts
 * (Ansible's default, true) and some task, variable or template of the play uses a fact. {@code connectionLocal}: the play's
 * {@code connection: local}, its tasks run on the operator's machine with each host's variables.
 * {@code varsPrompt}: asked before the run ({@link VarsPrompt#ask}), the answers put into {@code vars}.
 */
public record Play(
        String name,
        Source source,
        String hosts,
        Map<String, Object> vars,
        Map<String, Object> roleDefaults,
        Map<String, Object> roleVars,
        Boolean become,
        String becomeUser,
        Object serial,
        Integer maxFailPercentage,
        List<Step> steps,
        List<Task> handlers,
        Path file,
        boolean gatherFacts,
        boolean connectionLocal,
        List<VarsPrompt> varsPrompt) {

    /** Every task of the tree in play order (rescue and always parts included): what lookahead and settings read. */
    public List<Task> tasks() {
        return Step.tasks(steps);
    }

    public String displayName() {
        return name != null && !name.isBlank() ? name : hosts;
    }
}

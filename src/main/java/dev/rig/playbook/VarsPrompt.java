package dev.rig.playbook;

import dev.rig.core.InputError;
import dev.rig.core.Source;

import java.io.Console;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One entry of a play's {@code vars_prompt}: asked on the operator's terminal before any host is
 * contacted, without echo when {@code private} (Ansible's default, true); skipped when the variable
 * came with {@code -e}, as in Ansible. Without a terminal, a variable not given with {@code -e} is
 * an error naming the entry.
 */
public record VarsPrompt(String name, String prompt, boolean hidden, String defaultValue, Source source) {

    /** What answering the prompts of some playbooks gave: errors, and the answers given without echo (secrets). */
    public record Answers(List<InputError> errors, List<String> secretValues) {}

    /** Asks every play's prompts on {@code console} (null: no terminal) and puts the answers into the play's vars. */
    public static Answers ask(List<Playbook> playbooks, Map<String, Object> extraVars, Console console) {
        List<InputError> errors = new ArrayList<>();
        List<String> secrets = new ArrayList<>();
        for (Playbook pb : playbooks) {
            for (Play play : pb.plays()) {
                for (VarsPrompt p : play.varsPrompt()) {
                    if (extraVars.containsKey(p.name())) continue;
                    if (console == null) {
                        errors.add(new InputError(p.source(), "vars_prompt '" + p.name() + "' needs a terminal to ask on; give it with -e "
                                + p.name() + "=VALUE"));
                        continue;
                    }
                    String label = (p.prompt() == null ? p.name() : p.prompt())
                            + (p.defaultValue() != null && !p.hidden() ? " [" + p.defaultValue() + "]" : "") + ": ";
                    String answer;
                    if (p.hidden()) {
                        char[] c = console.readPassword("%s", label);
                        answer = c == null ? "" : new String(c);
                    } else {
                        answer = console.readLine("%s", label);
                    }
                    if ((answer == null || answer.isEmpty()) && p.defaultValue() != null) answer = p.defaultValue();
                    if (answer == null) answer = "";
                    if (p.hidden() && !answer.isEmpty()) secrets.add(answer);
                    play.vars().put(p.name(), answer);
                }
            }
        }
        return new Answers(errors, secrets);
    }
}

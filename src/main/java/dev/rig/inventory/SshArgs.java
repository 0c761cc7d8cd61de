package dev.rig.inventory;

import dev.rig.ssh.SshOptions;

import java.util.List;

/**
 * ansible_ssh_common_args and ansible_ssh_extra_args, read as Ansible hands them to ssh: split like a shell
 * (Python's shlex.split), common ones first; ssh keeps a keyword's first value. rig honours
 * {@code -o Keyword=value} (also {@code -oKeyword=value} and {@code -o "Keyword value"}) for the keywords
 * {@link SshOptions} lists, and {@code -J} (ProxyJump); any other option or flag is an error naming it.
 */
final class SshArgs {
    private SshArgs() {}

    /** The options of several such values, in order. @throws IllegalArgumentException naming what rig cannot apply */
    static SshOptions parse(List<String> values) {
        SshOptions.Builder options = new SshOptions.Builder();
        for (String value : values) add(value, options);
        return options.build();
    }

    private static void add(String text, SshOptions.Builder options) {
        List<ShellWords.Word> words;
        try {
            words = ShellWords.split(text, false);
        } catch (ShellWords.SplitException e) {
            throw new IllegalArgumentException(e.getMessage() + " at column " + e.column);
        }
        for (int i = 0; i < words.size(); i++) {
            String word = words.get(i).text();
            if (word.equals("-o") || word.equals("-J")) {
                if (i + 1 >= words.size()) throw new IllegalArgumentException("ssh option " + word + " has no argument");
                String argument = words.get(++i).text();
                if (word.equals("-o")) option(argument, options);
                else options.set("ProxyJump", argument);
            } else if (word.startsWith("-o")) {
                option(word.substring(2), options);
            } else if (word.startsWith("-J")) {
                options.set("ProxyJump", word.substring(2));
            } else if (word.startsWith("-")) {
                throw new IllegalArgumentException("ssh flag " + word + " is not supported: rig applies -o Keyword=value for "
                        + String.join(", ", SshOptions.keywords()) + ", and -J");
            } else {
                throw new IllegalArgumentException("unexpected '" + word + "': ssh options are written -o Keyword=value");
            }
        }
    }

    /** "Keyword=value" or "Keyword value", as ssh's -o reads it. */
    private static void option(String argument, SshOptions.Builder options) {
        String text = argument.strip();
        int end = 0;
        while (end < text.length() && text.charAt(end) != '=' && !Character.isWhitespace(text.charAt(end))) end++;
        String keyword = text.substring(0, end);
        String rest = text.substring(end).stripLeading();
        if (rest.startsWith("=")) rest = rest.substring(1).stripLeading();
        if (keyword.isEmpty()) throw new IllegalArgumentException("ssh option -o '" + argument + "' names no keyword");
        if (rest.isEmpty()) {
            throw new IllegalArgumentException("ssh option -o " + keyword + " has no value: write -o " + keyword + "=VALUE");
        }
        options.set(keyword, rest);
    }
}

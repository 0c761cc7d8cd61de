package dev.rig.modules;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * A task's arguments after rendering for one host. Types were checked at load time where the
 * value was literal; values that came from templates are checked here, with the same messages.
 */
public final class Args {
    private final Map<String, Object> values;

    public Args(Map<String, Object> values) {
        this.values = values;
    }

    public Map<String, Object> values() {
        return values;
    }

    public boolean has(String name) {
        return values.get(name) != null;
    }

    public String string(String name) {
        return optString(name).orElseThrow(() -> new ArgumentException("argument '" + name + "' is required"));
    }

    public Optional<String> optString(String name) {
        Object v = values.get(name);
        if (v == null) return Optional.empty();
        if (v instanceof Map<?, ?> || v instanceof List<?>) throw new ArgumentException("argument '" + name + "' must be a string");
        // A YAML boolean where a string is expected reads as Python writes it, as in Ansible (content: yes gives "True").
        if (v instanceof Boolean b) return Optional.of(b ? "True" : "False");
        return Optional.of(String.valueOf(v));
    }

    public String string(String name, String fallback) {
        return optString(name).orElse(fallback);
    }

    public boolean bool(String name, boolean fallback) {
        Object v = values.get(name);
        if (v == null) return fallback;
        if (v instanceof Boolean b) return b;
        String s = String.valueOf(v).toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("yes")) return true;
        if (s.equals("false") || s.equals("no")) return false;
        throw new ArgumentException("argument '" + name + "' must be true or false, not '" + v + "'");
    }

    public long integer(String name, long fallback) {
        Object v = values.get(name);
        if (v == null) return fallback;
        if (v instanceof Number n) return n.longValue();
        try {
            return Long.parseLong(String.valueOf(v).strip());
        } catch (NumberFormatException e) {
            throw new ArgumentException("argument '" + name + "' must be an integer, not '" + v + "'");
        }
    }

    /** A string or a list of strings. */
    public List<String> list(String name) {
        Object v = values.get(name);
        if (v == null) return List.of();
        if (v instanceof List<?> l) return l.stream().map(String::valueOf).toList();
        return List.of(String.valueOf(v));
    }

    /**
     * A file mode as four octal digits. A YAML number is read as YAML read it (0644 unquoted is
     * octal 420), so both '0644' and 0644 mean rw-r--r--.
     */
    public Optional<String> mode(String name) {
        Object v = values.get(name);
        if (v == null) return Optional.empty();
        String s = v instanceof Integer i ? Integer.toOctalString(i) : String.valueOf(v).strip();
        if (!s.matches("[0-7]{3,4}")) throw new ArgumentException("argument '" + name + "' must be an octal mode such as '0644', not '" + v + "'");
        while (s.length() < 4) s = "0" + s;
        return Optional.of(s);
    }

    /** A module argument that was wrong only once rendered for a host. */
    public static final class ArgumentException extends RuntimeException {
        public ArgumentException(String message) {
            super(message);
        }
    }
}

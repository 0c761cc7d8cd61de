package dev.rig.core;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one redaction path: every string rig prints or writes goes through {@link #redact}, and every
 * exception it reports through {@link #redact(Throwable)}. A variable is secret when its name ends in
 * password, passwd, token, secret, _key, _pass or _dsn (Ansible's ansible_become_pass, ansible_ssh_pass), or when
 * its value came out of Ansible Vault ({@link #addName}). Two rules mask them: structurally, by name, wherever
 * variables are printed as data (inventory views, saved plans), whatever the value (a number, a boolean, one
 * character); and in free text, where a value of at least {@value #MIN_SECRET_LENGTH} characters is replaced
 * wherever it appears. A shorter value is not masked in free text: "42" or "on" would mask every such
 * substring of every line, line numbers and counts included.
 */
public final class Secrets {
    public static final String MASK = "********";
    private static final int MIN_SECRET_LENGTH = 3;
    private final Map<String, Boolean> values = new ConcurrentHashMap<>();
    /** Variables secret whatever their names say: those whose values came out of Ansible Vault. */
    private final java.util.Set<String> names = ConcurrentHashMap.newKeySet();
    private volatile List<String> ordered = List.of();

    public static boolean isSecretName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith("password") || n.endsWith("passwd") || n.endsWith("token")
                || n.endsWith("secret") || n.endsWith("_key") || n.equals("key") || n.endsWith("_pass")
                || n.endsWith("_dsn"); // a data source name carries its password
    }

    /** A variable to mask whatever its name: one whose value was decrypted from Ansible Vault. */
    public void addName(String name) {
        names.add(name);
    }

    public void addNames(Collection<String> more) {
        names.addAll(more);
    }

    /** True for a secret-looking name ({@link #isSecretName}) and for every variable that came out of the vault. */
    public boolean isSecret(String name) {
        return isSecretName(name) || names.contains(name);
    }

    /** Registers every secret-named entry of a variable map (recursively) as a secret value. */
    public void collect(Map<String, ?> vars) {
        for (Map.Entry<String, ?> e : vars.entrySet()) {
            Object v = e.getValue();
            if (isSecret(e.getKey()) && (v instanceof String || v instanceof Number)) {
                add(String.valueOf(v));
            } else if (v instanceof Map<?, ?> m) {
                @SuppressWarnings("unchecked")
                Map<String, ?> sub = (Map<String, ?>) m;
                collect(sub);
            }
        }
    }

    public void add(String value) {
        if (value == null || value.length() < MIN_SECRET_LENGTH) return;
        if (values.putIfAbsent(value, Boolean.TRUE) == null) {
            List<String> l = new ArrayList<>(values.keySet());
            // Longest first, so a secret that contains another is masked whole.
            l.sort(Comparator.comparingInt(String::length).reversed());
            ordered = List.copyOf(l);
        }
    }

    public void addAll(Collection<String> more) {
        more.forEach(this::add);
    }

    public String redact(String text) {
        if (text == null) return null;
        String out = text;
        for (String s : ordered) {
            if (out.contains(s)) out = out.replace(s, MASK);
        }
        return out;
    }

    /**
     * A copy of a variable value (maps and lists walked) with every secret replaced by {@link #MASK}: a
     * secret-named entry's whole value, a registered secret that is the whole of a number or string, and
     * registered secrets inside strings. Printed as JSON or YAML, the result stays well-formed, unlike
     * redacting the printed text (a masked number would become a bare ********).
     */
    public Object redactValue(Object value) {
        if (value instanceof Map<?, ?> map) {
            Map<Object, Object> out = new java.util.LinkedHashMap<>();
            map.forEach((k, v) -> out.put(k, isSecret(String.valueOf(k)) && (v instanceof String || v instanceof Number || v instanceof Boolean)
                    ? MASK : redactValue(v)));
            return out;
        }
        if (value instanceof List<?> list) return list.stream().map(this::redactValue).toList();
        if (value instanceof Number number) return values.containsKey(String.valueOf(number)) ? MASK : number;
        if (value instanceof String text) return values.containsKey(text) ? MASK : redact(text);
        return value;
    }

    /** Whether some secret value spans lines (a private key): a line-by-line redaction would miss it. */
    public boolean anySpansLines() {
        return ordered.stream().anyMatch(v -> v.indexOf('\n') >= 0 || v.indexOf('\r') >= 0);
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * failure as error output may show it, message and stack trace: a copy whose messages, its causes'
     * included, are redacted, with the original's class names and stack frames. Rethrow this, not failure.
     */
    public RuntimeException redact(Throwable failure) {
        return redactedCopy(failure, 0);
    }

    private Redacted redactedCopy(Throwable failure, int depth) {
        Throwable cause = failure.getCause();
        Redacted copy = new Redacted(failure.getClass().getName(), redact(failure.getMessage()),
                cause == null || cause == failure || depth >= MAX_CAUSES ? null : redactedCopy(cause, depth + 1));
        copy.setStackTrace(failure.getStackTrace());
        return copy;
    }

    private static final int MAX_CAUSES = 32;

    /** A redacted stand-in for an exception: prints as "original.Class: redacted message". */
    private static final class Redacted extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final String originalClass;

        Redacted(String originalClass, String message, Redacted cause) {
            super(message, cause);
            this.originalClass = originalClass;
        }

        @Override
        public String toString() {
            return getMessage() == null ? originalClass : originalClass + ": " + getMessage();
        }
    }
}

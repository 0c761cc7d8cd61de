package dev.rig.template;

import freemarker.template.TemplateBooleanModel;
import freemarker.template.TemplateHashModelEx2;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateNumberModel;
import freemarker.template.TemplateScalarModel;
import freemarker.template.TemplateSequenceModel;
import freemarker.template.utility.DeepUnwrap;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Template functions with the meaning of Ansible's filters and tests that FreeMarker has no built-in
 * for (rig convert writes calls to them; see the README's list). Each follows the Ansible 2.14 /
 * Jinja2 filter of the same name (ansible/plugins/filter/core.py): to_bool is Ansible's bool, to_int
 * Jinja2's int (0 when not a number), to_str Python's str, truthy Python's truth value.
 */
final class AnsibleFilters {
    private AnsibleFilters() {}

    interface Fn {
        Object apply(List<Object> args) throws TemplateModelException;
    }

    static Map<String, TemplateModel> all() {
        Map<String, TemplateModel> m = new LinkedHashMap<>();
        put(m, "to_bool", 1, 1, a -> toBool(a.get(0)));
        put(m, "to_int", 1, 1, a -> toInt(a.get(0)));
        put(m, "to_float", 1, 1, a -> toFloat(a.get(0)));
        put(m, "to_str", 1, 1, a -> pyStr(a.get(0)));
        put(m, "truthy", 1, 1, a -> truthy(a.get(0)));
        put(m, "length", 1, 1, a -> length(a.get(0)));
        put(m, "unique", 1, 2, a -> unique(list(a.get(0), "unique"), a.size() > 1 && toBool(a.get(1))));
        put(m, "sort", 1, 4, a -> sort(list(a.get(0), "sort"), a.size() > 1 && toBool(a.get(1)), a.size() > 2 && toBool(a.get(2)), a.size() > 3 ? string(a.get(3)) : ""));
        put(m, "first", 1, 1, a -> a.get(0) instanceof String s ? (s.isEmpty() ? "" : s.substring(0, s.offsetByCodePoints(0, 1))) : firstOf(list(a.get(0), "first")));
        put(m, "last", 1, 1, a -> a.get(0) instanceof String s ? (s.isEmpty() ? "" : s.substring(s.offsetByCodePoints(s.length(), -1))) : lastOf(list(a.get(0), "last")));
        put(m, "is_integer", 1, 1, a -> isInteger(a.get(0)));
        put(m, "is_float", 1, 1, a -> a.get(0) instanceof Number n && !isInteger(n));
        put(m, "reverse", 1, 1, a -> a.get(0) instanceof String s ? new StringBuilder(s).reverse().toString() : reversed(list(a.get(0), "reverse")));
        put(m, "contains", 2, 2, a -> contains(a.get(0), a.get(1)));
        put(m, "regex_search", 2, 3, a -> regexSearch(string(a.get(0)), string(a.get(1)), a.size() > 2 ? string(a.get(2)) : ""));
        put(m, "regex_match", 2, 3, a -> pattern(string(a.get(1)), a.size() > 2 ? string(a.get(2)) : "").matcher(string(a.get(0))).lookingAt());
        put(m, "dict2items", 1, 3, a -> dict2items(map(a.get(0), "dict2items"), a.size() > 1 ? string(a.get(1)) : "key", a.size() > 2 ? string(a.get(2)) : "value"));
        put(m, "items2dict", 1, 3, a -> items2dict(list(a.get(0), "items2dict"), a.size() > 1 ? string(a.get(1)) : "key", a.size() > 2 ? string(a.get(2)) : "value"));
        put(m, "combine", 1, 99, a -> combine(a, false));
        put(m, "combine_recursive", 1, 99, a -> combine(a, true));
        put(m, "to_json", 1, 1, a -> Json.write(a.get(0), -1, false));
        put(m, "to_nice_json", 1, 2, a -> Json.write(a.get(0), a.size() > 1 ? ((Number) a.get(1)).intValue() : 4, true));
        put(m, "to_yaml", 1, 1, a -> PyYaml.dump(a.get(0), 2, true));
        put(m, "to_nice_yaml", 1, 2, a -> PyYaml.dump(a.get(0), a.size() > 1 ? ((Number) a.get(1)).intValue() : 4, false));
        put(m, "b64decode", 1, 1, a -> new String(Base64.getDecoder().decode(string(a.get(0)).strip()), StandardCharsets.UTF_8));
        put(m, "basename", 1, 1, a -> { String s = string(a.get(0)); return s.substring(s.lastIndexOf('/') + 1); });
        put(m, "dirname", 1, 1, a -> dirname(string(a.get(0))));
        put(m, "quote", 1, 1, a -> quote(pyStr(a.get(0))));
        put(m, "hash", 2, 2, a -> hash(pyStr(a.get(0)), string(a.get(1))));
        return m;
    }

    private static void put(Map<String, TemplateModel> m, String name, int min, int max, Fn fn) {
        m.put(name, (TemplateMethodModelEx) args -> {
            if (args.size() < min || args.size() > max) {
                throw new TemplateModelException(name + "() takes " + (min == max ? String.valueOf(min) : min + " to " + max) + " argument" + (max == 1 ? "" : "s") + ", got " + args.size());
            }
            List<Object> plain = new ArrayList<>();
            for (Object o : args) plain.add(unwrap((TemplateModel) o));
            try {
                return fn.apply(plain);
            } catch (IllegalArgumentException | ClassCastException e) {
                throw new TemplateModelException(name + "(): " + e.getMessage());
            }
        });
    }

    /** Java values of a model; lists and maps are read through their wrapper, so template-valued variables inside are rendered. */
    static Object unwrap(TemplateModel m) throws TemplateModelException {
        if (m == null) return null;
        if (m instanceof TemplateSequenceModel seq && !(m instanceof TemplateScalarModel)) {
            List<Object> out = new ArrayList<>(seq.size());
            for (int i = 0; i < seq.size(); i++) out.add(unwrap(seq.get(i)));
            return out;
        }
        if (m instanceof TemplateHashModelEx2 hash && !(m instanceof TemplateScalarModel)) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (TemplateHashModelEx2.KeyValuePairIterator it = hash.keyValuePairIterator(); it.hasNext(); ) {
                TemplateHashModelEx2.KeyValuePair kv = it.next();
                out.put(DeepUnwrap.unwrap(kv.getKey()), unwrap(kv.getValue()));
            }
            return out;
        }
        if (m instanceof TemplateScalarModel s) return s.getAsString();
        if (m instanceof TemplateNumberModel n) return n.getAsNumber();
        if (m instanceof TemplateBooleanModel b) return b.getAsBoolean();
        return DeepUnwrap.unwrap(m);
    }

    static String string(Object o) {
        if (o instanceof String s) return s;
        throw new IllegalArgumentException("expected a string, got " + pyStr(o));
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Object o, String what) {
        if (o instanceof List<?> l) return (List<Object>) l;
        throw new IllegalArgumentException("expected a list, got " + pyStr(o));
    }

    @SuppressWarnings("unchecked")
    static Map<Object, Object> map(Object o, String what) {
        if (o instanceof Map<?, ?> m) return (Map<Object, Object>) m;
        throw new IllegalArgumentException("expected a map, got " + pyStr(o));
    }

    static boolean toBool(Object o) {
        if (o instanceof Boolean b) return b;
        if (o instanceof Number n) return n.doubleValue() == 1;
        if (o instanceof String s) return List.of("yes", "on", "1", "true").contains(s.toLowerCase(java.util.Locale.ROOT));
        return false;
    }

    static Object toInt(Object o) {
        if (o instanceof Boolean b) return b ? 1 : 0;
        if (o instanceof Number n) return BigDecimal.valueOf(n.doubleValue()).toBigInteger();
        if (o instanceof String s) {
            String t = s.strip().replace("_", "");
            try {
                return new BigInteger(t);
            } catch (NumberFormatException e) {
                try {
                    return new BigDecimal(t).toBigInteger();
                } catch (NumberFormatException e2) {
                    return 0;
                }
            }
        }
        return 0;
    }

    static Object toFloat(Object o) {
        if (o instanceof Number n) return n.doubleValue();
        if (o instanceof String s) {
            try {
                return Double.parseDouble(s.strip());
            } catch (NumberFormatException e) {
                return 0.0;
            }
        }
        return 0.0;
    }

    static boolean truthy(Object o) {
        if (o == null) return false;
        if (o instanceof Boolean b) return b;
        if (o instanceof Number n) return n.doubleValue() != 0;
        if (o instanceof String s) return !s.isEmpty();
        if (o instanceof Collection<?> c) return !c.isEmpty();
        if (o instanceof Map<?, ?> m) return !m.isEmpty();
        return true;
    }

    static int length(Object o) {
        if (o instanceof String s) return s.codePointCount(0, s.length());
        if (o instanceof Collection<?> c) return c.size();
        if (o instanceof Map<?, ?> m) return m.size();
        throw new IllegalArgumentException("length of " + pyStr(o));
    }

    private static Object firstOf(List<Object> l) {
        if (l.isEmpty()) throw new IllegalArgumentException("the list is empty");
        return l.get(0);
    }

    private static Object lastOf(List<Object> l) {
        if (l.isEmpty()) throw new IllegalArgumentException("the list is empty");
        return l.get(l.size() - 1);
    }

    /** Python's int type (bool aside): a fractionless arithmetic result counts, a YAML float (2.0) does not, as in Jinja2's "is integer". */
    static boolean isInteger(Object o) {
        if (o instanceof Integer || o instanceof Long || o instanceof Short || o instanceof Byte || o instanceof BigInteger) return true;
        return o instanceof BigDecimal d && d.stripTrailingZeros().scale() <= 0 && d.scale() <= 0;
    }

    /** Jinja2's sort key: strings lowered unless case-sensitive (its default is not), an attribute path followed. */
    private static Object sortKey(Object item, boolean caseSensitive, String attribute) {
        Object v = item;
        if (!attribute.isEmpty()) {
            for (String part : attribute.split("\\.")) {
                if (v instanceof Map<?, ?> m && m.containsKey(part)) v = m.get(part);
                else if (v instanceof List<?> l && part.matches("\\d+") && Integer.parseInt(part) < l.size()) v = l.get(Integer.parseInt(part));
                else throw new IllegalArgumentException("an item has no attribute '" + attribute + "'");
            }
        }
        return !caseSensitive && v instanceof String s ? s.toLowerCase(java.util.Locale.ROOT) : v;
    }

    /** Python's "<" on two sort keys: numbers (and booleans) by value, strings by code point; other mixes are Python's TypeError. */
    private static int pyCompare(Object a, Object b) {
        if ((a instanceof Number || a instanceof Boolean) && (b instanceof Number || b instanceof Boolean)) return decimal(a).compareTo(decimal(b));
        if (a instanceof String x && b instanceof String y) return compareCodePoints(x, y);
        throw new IllegalArgumentException("'<' not supported between " + pyStr(a) + " and " + pyStr(b));
    }

    private static int compareCodePoints(String x, String y) {
        int[] a = x.codePoints().toArray(), b = y.codePoints().toArray();
        for (int i = 0; i < Math.min(a.length, b.length); i++) if (a[i] != b[i]) return Integer.compare(a[i], b[i]);
        return Integer.compare(a.length, b.length);
    }

    private static BigDecimal decimal(Object o) {
        return o instanceof Boolean b ? (b ? BigDecimal.ONE : BigDecimal.ZERO) : new BigDecimal(o.toString());
    }

    /** Jinja2's sort: stable, case-insensitive unless asked, reverse keeping equal items in their order (as Python's sorted). */
    static List<Object> sort(List<Object> l, boolean reverse, boolean caseSensitive, String attribute) {
        List<Object> keys = new ArrayList<>();
        for (Object o : l) keys.add(sortKey(o, caseSensitive, attribute));
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < l.size(); i++) order.add(i);
        java.util.Comparator<Integer> byKey = (i, j) -> pyCompare(keys.get(i), keys.get(j));
        order.sort(reverse ? byKey.reversed() : byKey);
        List<Object> out = new ArrayList<>();
        for (int i : order) out.add(l.get(i));
        return out;
    }

    /** Ansible 2.14's unique (Jinja2's, case-insensitive unless asked): the first of each, in order. */
    static List<Object> unique(List<Object> l, boolean caseSensitive) {
        List<Object> out = new ArrayList<>();
        List<Object> seen = new ArrayList<>();
        for (Object o : l) {
            Object key = !caseSensitive && o instanceof String s ? s.toLowerCase(java.util.Locale.ROOT) : o;
            if (seen.stream().noneMatch(k -> same(k, key))) {
                seen.add(key);
                out.add(o);
            }
        }
        return out;
    }

    private static List<Object> reversed(List<Object> l) {
        List<Object> out = new ArrayList<>(l);
        java.util.Collections.reverse(out);
        return out;
    }

    static boolean contains(Object container, Object item) {
        if (container instanceof String s) return s.contains(pyStr(item));
        if (container instanceof Map<?, ?> m) return m.keySet().stream().anyMatch(k -> same(k, item));
        if (container instanceof Collection<?> c) return c.stream().anyMatch(x -> same(x, item));
        throw new IllegalArgumentException("'in' needs a string, list or map, got " + pyStr(container));
    }

    private static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        return java.util.Objects.equals(a, b);
    }

    private static Pattern pattern(String p, String flags) {
        int f = 0;
        if (flags.contains("i")) f |= Pattern.CASE_INSENSITIVE;
        if (flags.contains("m")) f |= Pattern.MULTILINE;
        return Pattern.compile(p.replace("(?P<", "(?<"), f);
    }

    private static String regexSearch(String s, String p, String flags) {
        Matcher m = pattern(p, flags).matcher(s);
        return m.find() ? m.group() : "";
    }

    private static List<Object> dict2items(Map<Object, Object> m, String k, String v) {
        List<Object> out = new ArrayList<>();
        for (Map.Entry<Object, Object> e : m.entrySet()) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put(k, e.getKey());
            item.put(v, e.getValue());
            out.add(item);
        }
        return out;
    }

    private static Map<Object, Object> items2dict(List<Object> items, String k, String v) {
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Object o : items) {
            Map<Object, Object> item = map(o, "items2dict");
            if (!item.containsKey(k) || !item.containsKey(v)) throw new IllegalArgumentException("an item without '" + k + "' and '" + v + "'");
            out.put(item.get(k), item.get(v));
        }
        return out;
    }

    private static Map<Object, Object> combine(List<Object> maps, boolean recursive) {
        Map<Object, Object> out = new LinkedHashMap<>();
        for (Object o : maps) merge(out, map(o, "combine"), recursive);
        return out;
    }

    @SuppressWarnings("unchecked")
    private static void merge(Map<Object, Object> into, Map<Object, Object> from, boolean recursive) {
        for (Map.Entry<Object, Object> e : from.entrySet()) {
            Object old = into.get(e.getKey());
            if (recursive && old instanceof Map<?, ?> a && e.getValue() instanceof Map<?, ?> b) {
                Map<Object, Object> merged = new LinkedHashMap<>((Map<Object, Object>) a);
                merge(merged, (Map<Object, Object>) b, true);
                into.put(e.getKey(), merged);
            } else {
                into.put(e.getKey(), e.getValue());
            }
        }
    }

    private static String dirname(String s) {
        int i = s.lastIndexOf('/');
        if (i < 0) return "";
        String head = s.substring(0, i + 1);
        return head.matches("/+") ? head : head.replaceAll("/+$", "");
    }

    /** Python's shlex.quote. */
    static String quote(String s) {
        if (s.isEmpty()) return "''";
        if (s.matches("[\\w@%+=:,./-]+") && s.chars().allMatch(c -> c < 128)) return s;
        return "'" + s.replace("'", "'\"'\"'") + "'";
    }

    private static String hash(String s, String algo) {
        String name = switch (algo.toLowerCase(java.util.Locale.ROOT)) {
            case "md5" -> "MD5";
            case "sha1" -> "SHA-1";
            case "sha224" -> "SHA-224";
            case "sha256" -> "SHA-256";
            case "sha384" -> "SHA-384";
            case "sha512" -> "SHA-512";
            default -> throw new IllegalArgumentException("unknown hash type '" + algo + "' (md5, sha1, sha224, sha256, sha384, sha512)");
        };
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(name).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Python's str(): True/False, None, repr of lists and dicts. */
    static String pyStr(Object o) {
        if (o instanceof String s) return s;
        return pyRepr(o);
    }

    static String pyRepr(Object o) {
        if (o == null) return "None";
        if (o instanceof Boolean b) return b ? "True" : "False";
        if (o instanceof Number n) return number(n);
        if (o instanceof String s) {
            String q = s.contains("'") && !s.contains("\"") ? "\"" : "'";
            StringBuilder b = new StringBuilder(q);
            for (char c : s.toCharArray()) {
                if (c == '\\') b.append("\\\\");
                else if (c == '\n') b.append("\\n");
                else if (c == '\t') b.append("\\t");
                else if (c == '\r') b.append("\\r");
                else if (String.valueOf(c).equals(q)) b.append('\\').append(c);
                else b.append(c);
            }
            return b.append(q).toString();
        }
        if (o instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            for (Object x : l) parts.add(pyRepr(x));
            return "[" + String.join(", ", parts) + "]";
        }
        if (o instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) parts.add(pyRepr(e.getKey()) + ": " + pyRepr(e.getValue()));
            return "{" + String.join(", ", parts) + "}";
        }
        return String.valueOf(o);
    }

    /** An integer without a fraction, a float as Python prints it. */
    static String number(Number n) {
        if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte || n instanceof BigInteger) return n.toString();
        BigDecimal d = n instanceof BigDecimal bd ? bd : new BigDecimal(n.toString());
        if (n instanceof BigDecimal && d.stripTrailingZeros().scale() <= 0) return d.toBigInteger().toString();
        double v = d.doubleValue();
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e16) return (long) v + ".0";
        return Double.toString(v);
    }

    /** JSON as Python's json.dumps writes it (ensure_ascii, ", " and ": " separators; indent: sorted keys, "," and ": "). */
    static final class Json {
        static String write(Object o, int indent, boolean sortKeys) {
            StringBuilder b = new StringBuilder();
            write(o, indent, sortKeys, 0, b);
            return b.toString();
        }

        private static void write(Object o, int indent, boolean sort, int level, StringBuilder b) {
            if (o == null) b.append("null");
            else if (o instanceof Boolean x) b.append(x);
            else if (o instanceof Number n) b.append(number(n));
            else if (o instanceof String s) string(s, b);
            else if (o instanceof List<?> l) {
                if (l.isEmpty()) { b.append("[]"); return; }
                b.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) b.append(indent >= 0 ? "," : ", ");
                    newline(indent, level + 1, b);
                    write(l.get(i), indent, sort, level + 1, b);
                }
                newline(indent, level, b);
                b.append(']');
            } else if (o instanceof Map<?, ?> m) {
                if (m.isEmpty()) { b.append("{}"); return; }
                Map<?, ?> entries = sort ? new TreeMap<>(stringKeys(m)) : m;
                b.append('{');
                int i = 0;
                for (Map.Entry<?, ?> e : entries.entrySet()) {
                    if (i++ > 0) b.append(indent >= 0 ? "," : ", ");
                    newline(indent, level + 1, b);
                    string(String.valueOf(e.getKey()), b);
                    b.append(": ");
                    write(e.getValue(), indent, sort, level + 1, b);
                }
                newline(indent, level, b);
                b.append('}');
            } else string(String.valueOf(o), b);
        }

        private static void newline(int indent, int level, StringBuilder b) {
            if (indent < 0) return;
            b.append('\n').append(" ".repeat(indent * level));
        }

        static void string(String s, StringBuilder b) {
            b.append('"');
            for (char c : s.toCharArray()) {
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    case '\b' -> b.append("\\b");
                    case '\f' -> b.append("\\f");
                    default -> {
                        if (c < 0x20 || c > 0x7e) b.append(String.format("\\u%04x", (int) c));
                        else b.append(c);
                    }
                }
            }
            b.append('"');
        }
    }

    static Map<String, Object> stringKeys(Map<?, ?> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), e.getValue());
        return out;
    }

    /** YAML as PyYAML's yaml.dump writes it for Ansible's to_yaml (flow for collections of scalars) and to_nice_yaml (block, indent). */
    static final class PyYaml {
        private static final Pattern PLAIN = Pattern.compile("[A-Za-z_/.][A-Za-z0-9_ ./=+-]*");
        private static final Pattern RESOLVES = Pattern.compile("(?i)(yes|no|true|false|on|off|null|~|[-+]?[0-9][0-9_.:eE+-]*|\\.inf|\\.nan|=|<<)");

        static String dump(Object o, int indent, boolean flowLeaves) {
            StringBuilder b = new StringBuilder();
            if (isScalar(o) || flowLeaves && leaf(o)) {
                if (!isScalar(o)) b.append(flow(o));
                else {
                    blockScalar(o, b, indent);
                    b.append('\n'); // PyYAML would end a plain scalar's document with "...", Ansible's filters do not
                }
                if (!isScalar(o)) b.append('\n');
                return b.toString();
            }
            block(o, indent, flowLeaves, 0, b);
            return b.toString();
        }

        private static boolean isScalar(Object o) {
            return !(o instanceof List<?> || o instanceof Map<?, ?>);
        }

        private static boolean leaf(Object o) {
            if (o instanceof List<?> l) return l.stream().allMatch(PyYaml::isScalar);
            if (o instanceof Map<?, ?> m) return m.values().stream().allMatch(PyYaml::isScalar);
            return true;
        }

        private static boolean inline(Object v, boolean flowLeaves) {
            return isScalar(v) || v instanceof List<?> l && l.isEmpty() || v instanceof Map<?, ?> m && m.isEmpty() || flowLeaves && leaf(v);
        }

        /** Writes a collection in block style; the first line continues the current one (after "- " or at a line start). */
        private static void block(Object o, int indent, boolean flowLeaves, int col, StringBuilder b) {
            if (o instanceof Map<?, ?> m) {
                boolean first = true;
                for (Map.Entry<String, Object> e : new TreeMap<>(stringKeys(m)).entrySet()) {
                    if (!first) b.append(" ".repeat(col));
                    first = false;
                    b.append(scalar(e.getKey())).append(':');
                    Object v = e.getValue();
                    if (inline(v, flowLeaves)) {
                        b.append(' ');
                        if (isScalar(v)) blockScalar(v, b, col + indent);
                        else b.append(flow(v));
                        b.append('\n');
                    } else if (v instanceof List<?>) {
                        b.append('\n').append(" ".repeat(col));
                        block(v, indent, flowLeaves, col, b); // PyYAML does not indent a list inside a map
                    } else {
                        b.append('\n').append(" ".repeat(col + indent));
                        block(v, indent, flowLeaves, col + indent, b);
                    }
                }
            } else if (o instanceof List<?> l) {
                boolean first = true;
                for (Object v : l) {
                    if (!first) b.append(" ".repeat(col));
                    first = false;
                    if (inline(v, flowLeaves)) {
                        b.append("- ");
                        if (isScalar(v)) blockScalar(v, b, col + indent);
                        else b.append(flow(v));
                        b.append('\n');
                    } else {
                        b.append('-').append(" ".repeat(indent - 1));
                        block(v, indent, flowLeaves, col + indent, b);
                    }
                }
            }
        }

        private static String flow(Object o) {
            if (o instanceof List<?> l) {
                List<String> parts = new ArrayList<>();
                for (Object v : l) parts.add(isScalar(v) ? scalar(v) : flow(v));
                return "[" + String.join(", ", parts) + "]";
            }
            Map<?, ?> m = (Map<?, ?>) o;
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, Object> e : new TreeMap<>(stringKeys(m)).entrySet()) {
                parts.add(scalar(e.getKey()) + ": " + (isScalar(e.getValue()) ? scalar(e.getValue()) : flow(e.getValue())));
            }
            return "{" + String.join(", ", parts) + "}";
        }

        private static final int WIDTH = 80;

        /**
         * A scalar in block context, as PyYAML's emitter writes it (width 80): a plain string folded at a single space past the
         * width, a single-quoted one with its line breaks doubled and continued at {@code indent}. True when it was written plain.
         */
        static boolean blockScalar(Object o, StringBuilder b, int indent) {
            String s = o instanceof String str ? str : null;
            String simple = scalar(o);
            if (s == null || simple.startsWith("\"")) {
                b.append(simple);
                return s == null;
            }
            boolean plain = !simple.startsWith("'");
            if (plain) {
                if (s.contains(" ")) b.append(folded(s, b, indent, false));
                else b.append(s);
                return true;
            }
            b.append(folded(s, b, indent, true));
            return false;
        }

        private static int column(StringBuilder b) {
            return b.length() - (b.lastIndexOf("\n") + 1);
        }

        /** PyYAML's write_plain / write_single_quoted with split: a lone space past the width becomes a line break and the indent. */
        private static String folded(String text, StringBuilder before, int indent, boolean quoted) {
            StringBuilder out = new StringBuilder();
            int column = column(before);
            if (quoted) {
                out.append('\'');
                column++;
            }
            int start = 0;
            boolean spaces = false, breaks = false;
            for (int end = 0; end <= text.length(); end++) {
                Character ch = end < text.length() ? text.charAt(end) : null;
                if (spaces) {
                    if (ch == null || ch != ' ') {
                        if (start + 1 == end && column > WIDTH && start != 0 && end != text.length()) {
                            out.append('\n').append(" ".repeat(indent));
                            column = indent;
                        } else {
                            out.append(text, start, end);
                            column += end - start;
                        }
                        start = end;
                    }
                } else if (breaks) {
                    if (ch == null || ch != '\n') {
                        if (text.charAt(start) == '\n') out.append('\n');
                        for (int i = start; i < end; i++) out.append('\n');
                        out.append(" ".repeat(indent));
                        column = indent;
                        start = end;
                    }
                } else if (ch == null || ch == ' ' || ch == '\n' || quoted && ch == '\'') {
                    if (start < end) {
                        out.append(text, start, end);
                        column += end - start;
                        start = end;
                    }
                }
                if (quoted && ch != null && ch == '\'') {
                    out.append("''");
                    column += 2;
                    start = end + 1;
                }
                if (ch != null) {
                    spaces = ch == ' ';
                    breaks = ch == '\n';
                }
            }
            if (quoted) out.append('\'');
            return out.toString();
        }

        static String scalar(Object o) {
            if (o == null) return "null";
            if (o instanceof Boolean x) return x.toString();
            if (o instanceof Number n) return number(n);
            String s = String.valueOf(o);
            if (s.isEmpty()) return "''";
            if (PLAIN.matcher(s).matches() && !RESOLVES.matcher(s).matches() && !s.endsWith(" ")) return s;
            if (s.chars().anyMatch(c -> c < 0x20 && c != '\n') || s.contains(" \n")) { // PyYAML: special characters, or a space before a break
                StringBuilder b = new StringBuilder();
                Json.string(s, b);
                return b.toString();
            }
            return "'" + s.replace("'", "''") + "'";
        }
    }
}

package dev.rig.template;

import dev.rig.core.InputError;
import dev.rig.core.Source;
import freemarker.core.InvalidReferenceException;
import freemarker.core.ParseException;
import freemarker.core.TemplateClassResolver;
import freemarker.core.Environment;
import freemarker.template.AdapterTemplateModel;
import freemarker.template.Configuration;
import freemarker.template.DefaultObjectWrapper;
import freemarker.template.SimpleScalar;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;
import freemarker.template.TemplateHashModel;
import freemarker.template.TemplateHashModelEx2;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateScalarModel;
import freemarker.template.TemplateSequenceModel;
import freemarker.template.utility.DeepUnwrap;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.ConcurrentHashMap;

/**
 * FreeMarker as rig's expression and template language.
 * <ul>
 * <li>{@code ${expr}} inside any string; a string that is exactly one {@code ${expr}} yields the
 *     expression's native value (list, map, number), so {@code loop: ${hosts}} works.</li>
 * <li>{@code when:} is a bare boolean expression.</li>
 * <li>An undefined variable is an error naming it and where it is used, never an empty string.</li>
 * <li>{@code $${} writes a literal {@code ${} (as in Terraform), for compose files and shell.</li>
 * <li>Variable values that are themselves templates are rendered when used, against the same
 *     variables, so group_vars can refer to other variables.</li>
 * </ul>
 * Thread-safe: one instance serves every host.
 */
public final class Templates {
    static {
        System.setProperty("org.freemarker.loggerLibrary", "none");
    }

    private static final int MAX_NESTING = 20;
    private static final String NATIVE_VAR = "rig__value";

    private final Configuration cfg;
    private final Map<String, Template> cache = new ConcurrentHashMap<>();
    private final ThreadLocal<Render> current = new ThreadLocal<>();

    private record Render(Map<String, Object> vars, int depth) {}

    public Templates() {
        cfg = new Configuration(Configuration.VERSION_2_3_34);
        cfg.setObjectWrapper(new LazyWrapper());
        cfg.setNumberFormat("c");
        cfg.setBooleanFormat("c");
        // ISO 8601 dates, and a fixed locale and zone: a template renders the same on every operator's machine
        cfg.setDateTimeFormat("iso");
        cfg.setDateFormat("iso");
        cfg.setTimeFormat("iso");
        cfg.setLocale(Locale.ROOT);
        cfg.setTimeZone(TimeZone.getTimeZone("UTC"));
        cfg.setSQLDateAndTimeTimeZone(TimeZone.getTimeZone("UTC"));
        cfg.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        cfg.setLogTemplateExceptions(false);
        cfg.setWrapUncheckedExceptions(true);
        cfg.setAPIBuiltinEnabled(false);
        cfg.setNewBuiltinClassResolver(TemplateClassResolver.ALLOWS_NOTHING_RESOLVER);
        cfg.setDefaultEncoding("UTF-8");
        // rig writes files as UTF-8; ?url and ?url_path need a charset, or every DSN template fails
        cfg.setOutputEncoding("UTF-8");
        cfg.setURLEscapingCharset("UTF-8");
        cfg.setTabSize(1); // a tab is one column in error positions, as in YAML marks and editors
        Functions.all().forEach(cfg::setSharedVariable);
    }

    /** True when the string holds an interpolation or a directive and so needs rendering. */
    public static boolean isTemplated(String s) {
        return s != null && (s.contains("${") || s.contains("<#") || s.contains("<@"));
    }

    /** Renders every string inside a value (maps and lists walked recursively). */
    public Object renderValue(Object value, Source src, Map<String, Object> vars) {
        if (value instanceof String s) {
            if (!isTemplated(s)) return s;
            String expr = singleExpression(s);
            // positions in the expression are 2 columns into the value, after "${"
            return expr != null ? evaluate(expr, src.offset(1, 3), vars) : render(s, src, vars);
        }
        if (value instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) out.put(String.valueOf(e.getKey()), renderValue(e.getValue(), src, vars));
            return out;
        }
        if (value instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) out.add(renderValue(o, src, vars));
            return out;
        }
        return value;
    }

    public String render(String text, Source src, Map<String, Object> vars) {
        if (!isTemplated(text)) return text;
        Template t = parse(text, src);
        StringWriter out = new StringWriter();
        run(src, text, 0, vars, () -> t.process(vars, out));
        return out.toString();
    }

    public String renderFile(Path file, Map<String, Object> vars) {
        String text = read(file);
        Source src = new Source(file.toString(), 1, 1);
        Template t = parse(text, src);
        StringWriter out = new StringWriter();
        run(src, text, 0, vars, () -> t.process(vars, out));
        return out.toString();
    }

    /** Evaluates a bare boolean expression (a {@code when:} or {@code that:}). */
    public boolean test(String expression, Source src, Map<String, Object> vars) {
        Object v = evaluate(expression, src, vars);
        if (v instanceof Boolean b) return b;
        if (v instanceof UnknownValue u) throw new KnownAfterApplyException(u.origin());
        throw new TemplateError(src, "expected a boolean expression, but '" + expression.strip() + "' is " + describe(v));
    }

    /** Evaluates one expression and returns its native value. */
    public Object evaluate(String expression, Source src, Map<String, Object> vars) {
        String text = "<#assign " + NATIVE_VAR + " = (" + expression + ")>";
        int shift = -("<#assign " + NATIVE_VAR + " = (").length();
        Template t = parse(text, src, shift);
        Object[] result = new Object[1];
        run(src, text, shift, vars, () -> {
            Environment env = t.createProcessingEnvironment(vars, Writer.nullWriter());
            env.process();
            // unwrapped inside the render, so that lists and maps of templates are rendered too
            result[0] = unwrapDeep(env.getMainNamespace().get(NATIVE_VAR));
        });
        return result[0];
    }

    /** Syntax check of a template string or file content, for validation before contact. */
    public List<InputError> checkSyntax(String text, Source src) {
        try {
            parse(text, src);
            return List.of();
        } catch (TemplateError e) {
            return List.of(new InputError(e.source(), e.problem()));
        }
    }

    public List<InputError> checkExpression(String expression, Source src) {
        try {
            parse("<#assign " + NATIVE_VAR + " = (" + expression + ")>", src, -("<#assign " + NATIVE_VAR + " = (").length());
            return List.of();
        } catch (TemplateError e) {
            return List.of(new InputError(e.source(), e.problem()));
        }
    }

    public static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TemplateError(new Source(file.toString(), 0, 0), "cannot read template: " + e.getMessage());
        }
    }

    /** {@code $${} → a literal {@code ${}: rewritten to FreeMarker's own way of printing it. */
    static String unescape(String text) {
        return text.contains("$${") ? text.replace("$${", "${'$'}{") : text;
    }

    /**
     * Where the expression of a string that is exactly one {@code ${...}} begins and ends, or null.
     * "${a} {b}" is text, since its first ${ closes before the end; so is "${a}\n", whose newline
     * belongs to the value (content: "${x}\n").
     */
    private static String singleExpression(String s) {
        if (!s.startsWith("${")) return null;
        int close = closingBrace(s, 2);
        return close == s.length() - 1 ? s.substring(2, close) : null;
    }

    /** The index of the '}' closing an interpolation whose expression starts at {@code from}, skipping string literals and nested braces. */
    private static int closingBrace(String s, int from) {
        int depth = 0;
        char quote = 0;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (quote != 0) {
                if (c == '\\') i++;
                else if (c == quote) quote = 0;
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '{') {
                depth++;
            } else if (c == '}') {
                if (depth == 0) return i;
                depth--;
            }
        }
        return -1;
    }

    /**
     * Maps a 1-based column of the text FreeMarker parsed back to the text as written: each
     * {@code $${} was rewritten to the seven characters {@code ${'$'}{}.
     */
    static int originalColumn(String text, int line, int column) {
        if (!text.contains("$${")) return column;
        String[] lines = text.split("\n", -1);
        if (line < 1 || line > lines.length) return column;
        String l = lines[line - 1];
        int col0 = column - 1;
        int shift = 0;
        for (int i = l.indexOf("$${"); i >= 0; i = l.indexOf("$${", i + 3)) {
            int start = i + shift;
            if (col0 < start) break;
            if (col0 < start + 7) return i + 1;
            shift += 4;
        }
        return col0 - shift + 1;
    }

    private Template parse(String text, Source src) {
        return parse(text, src, 0);
    }

    private Template parse(String text, Source src, int firstLineColumnShift) {
        String key = src.file() + '\0' + text;
        Template cached = cache.get(key);
        if (cached != null) return cached;
        try {
            Template t = new Template(src.file(), new StringReader(unescape(text)), cfg);
            if (cache.size() < 50_000) cache.put(key, t);
            return t;
        } catch (ParseException e) {
            int line = e.getLineNumber();
            int col = originalColumn(text, line, e.getColumnNumber()) + (line <= 1 ? firstLineColumnShift : 0);
            throw new TemplateError(src.offset(line, Math.max(1, col)), "template syntax error: " + firstLine(e.getEditorMessage()));
        } catch (IOException e) {
            throw new TemplateError(src, "cannot parse template: " + e.getMessage());
        }
    }

    private interface Body {
        void run() throws TemplateException, IOException;
    }

    /** Runs a render; {@code text} is what was parsed and {@code shift} the column shift of its first line, for error positions. */
    private void run(Source src, String text, int shift, Map<String, Object> vars, Body body) {
        Render outer = current.get();
        int depth = outer == null ? 0 : outer.depth + 1;
        if (depth > MAX_NESTING) throw new TemplateError(src, "variables refer to each other in a loop");
        current.set(new Render(vars, depth));
        try {
            body.run();
        } catch (TemplateException e) {
            KnownAfterApplyException later = findCause(e, KnownAfterApplyException.class);
            if (later != null) throw later;
            TemplateError inner = findCause(e, TemplateError.class);
            if (inner != null) throw inner;
            throw new TemplateError(position(src, text, shift, e), explain(e));
        } catch (IOException e) {
            throw new TemplateError(src, e.getMessage());
        } finally {
            if (outer == null) current.remove(); else current.set(outer);
        }
    }

    private static Source position(Source src, String text, int shift, TemplateException e) {
        Integer line = e.getLineNumber();
        Integer col = e.getColumnNumber();
        if (line == null || col == null) return src;
        int c = originalColumn(text, line, col) + (line <= 1 ? shift : 0);
        return src.offset(line, Math.max(1, c));
    }

    private static String explain(TemplateException e) {
        if (e instanceof InvalidReferenceException) {
            String name = e.getBlamedExpressionString();
            // evaluate() wraps the expression in parentheses: "(foo)" is the user's "foo"
            while (name != null && name.length() > 2 && name.startsWith("(") && name.endsWith(")")
                    && closingParen(name) == name.length() - 1) {
                name = name.substring(1, name.length() - 1).strip();
            }
            return "undefined variable '" + name + "'";
        }
        return firstLine(e.getMessageWithoutStackTop());
    }

    private static int closingParen(String s) {
        int depth = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '(') depth++;
            else if (c == ')' && --depth == 0) return i;
        }
        return -1;
    }

    /**
     * The Java value of a model, walking lists and maps through their own wrapper: the variables'
     * lists and maps so render their template strings when read; values already rendered stay as they are.
     */
    private static Object unwrapDeep(TemplateModel m) throws TemplateModelException {
        if (m == null) return null;
        if (m instanceof UnknownModel u) return u.value;
        if (m instanceof TemplateSequenceModel seq && !(m instanceof TemplateScalarModel)) {
            List<Object> out = new ArrayList<>(seq.size());
            for (int i = 0; i < seq.size(); i++) out.add(unwrapDeep(seq.get(i)));
            return out;
        }
        if (m instanceof TemplateHashModelEx2 hash && !(m instanceof TemplateScalarModel)) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (TemplateHashModelEx2.KeyValuePairIterator it = hash.keyValuePairIterator(); it.hasNext(); ) {
                TemplateHashModelEx2.KeyValuePair kv = it.next();
                out.put(DeepUnwrap.unwrap(kv.getKey()), unwrapDeep(kv.getValue()));
            }
            return out;
        }
        return DeepUnwrap.unwrap(m);
    }

    private static String firstLine(String s) {
        if (s == null) return "error";
        String t = s.strip();
        int nl = t.indexOf('\n');
        return nl < 0 ? t : t.substring(0, nl).strip();
    }

    private static <T extends Throwable> T findCause(Throwable t, Class<T> type) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (type.isInstance(c)) return type.cast(c);
            if (c instanceof TemplateModelException tme && tme.getCauseException() != null && type.isInstance(tme.getCauseException())) {
                return type.cast(tme.getCauseException());
            }
        }
        return null;
    }

    private static String describe(Object v) {
        if (v == null) return "null";
        if (v instanceof String s) return "the string \"" + s + "\"";
        if (v instanceof Number n) return "the number " + n;
        if (v instanceof List<?>) return "a list";
        if (v instanceof Map<?, ?>) return "a map";
        return v.getClass().getSimpleName();
    }

    /** Renders template-valued variables when they are used, and turns unknown values into a "known after apply". */
    private final class LazyWrapper extends DefaultObjectWrapper {
        /** Wraps values that are already rendered: their strings are not rendered a second time. */
        private final RenderedWrapper rendered = new RenderedWrapper();

        LazyWrapper() {
            super(Configuration.VERSION_2_3_34);
        }

        @Override
        public TemplateModel wrap(Object obj) throws TemplateModelException {
            if (obj instanceof String s && isTemplated(s)) {
                Render r = current.get();
                if (r != null) {
                    Object v = renderValue(s, new Source("variable value \"" + s + "\"", 0, 0), r.vars);
                    return v instanceof String str ? new SimpleScalar(str) : rendered.wrap(v);
                }
            }
            if (obj instanceof UnknownValue u) return new UnknownModel(u);
            return super.wrap(obj);
        }
    }

    private static final class RenderedWrapper extends DefaultObjectWrapper {
        RenderedWrapper() {
            super(Configuration.VERSION_2_3_34);
        }

        @Override
        public TemplateModel wrap(Object obj) throws TemplateModelException {
            if (obj instanceof UnknownValue u) return new UnknownModel(u);
            return super.wrap(obj);
        }
    }

    /** Any use of an unknown value aborts the expression with "known after apply". */
    private static final class UnknownModel implements TemplateScalarModel, TemplateHashModel, AdapterTemplateModel {
        private final UnknownValue value;

        UnknownModel(UnknownValue value) {
            this.value = value;
        }

        private TemplateModelException later() {
            return new TemplateModelException(new KnownAfterApplyException(value.origin()));
        }

        @Override public String getAsString() throws TemplateModelException { throw later(); }
        @Override public TemplateModel get(String key) throws TemplateModelException { throw later(); }
        @Override public boolean isEmpty() throws TemplateModelException { throw later(); }
        @Override public Object getAdaptedObject(Class<?> hint) { return value; }
    }
}

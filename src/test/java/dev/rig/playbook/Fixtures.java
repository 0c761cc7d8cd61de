package dev.rig.playbook;

import dev.rig.core.InputError;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import dev.rig.modules.Modules;
import dev.rig.template.Templates;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Playbooks under src/test/resources/playbook/CASE/, and assertions on the errors they give. */
final class Fixtures {
    private Fixtures() {}

    static final Templates TEMPLATES = new Templates();

    /** src/test/resources/playbook/CASE/FILE, as an absolute normalized path (the loader reports those). */
    static Path path(String testCase, String file) {
        URL url = Fixtures.class.getResource("/playbook/" + testCase + "/" + file);
        if (url == null) throw new IllegalArgumentException("no fixture " + testCase + "/" + file);
        try {
            return Path.of(url.toURI()).toAbsolutePath().normalize();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path playbook(String testCase) {
        return path(testCase, "site.yml");
    }

    static Playbook load(String testCase) {
        return PlaybookLoader.load(playbook(testCase), catalog(), TEMPLATES);
    }

    static InvalidInputException loadFails(String testCase) {
        return loadFails(playbook(testCase));
    }

    static InvalidInputException loadFails(Path file) {
        return assertThrows(InvalidInputException.class, () -> PlaybookLoader.load(file, catalog(), TEMPLATES));
    }

    static Path write(Path dir, String relative, String content) {
        Path file = dir.resolve(relative);
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The real modules, plus "typed": a fake module with one argument of each checked type. */
    static ModuleCatalog catalog() {
        Modules real = new Modules();
        ModuleSpec typed = new ModuleSpec() {
            @Override
            public String name() {
                return "typed";
            }

            @Override
            public List<ArgSpec> args() {
                return List.of(ArgSpec.required("name", ArgSpec.ArgType.STRING),
                        ArgSpec.optional("create", ArgSpec.ArgType.BOOL),
                        ArgSpec.optional("count", ArgSpec.ArgType.INT),
                        ArgSpec.optional("items", ArgSpec.ArgType.LIST),
                        ArgSpec.optional("opts", ArgSpec.ArgType.MAP),
                        ArgSpec.optional("mode", ArgSpec.ArgType.MODE),
                        ArgSpec.choice("color", false, "red", "green"));
            }
        };
        return new ModuleCatalog() {
            @Override
            public Optional<ModuleSpec> find(String name) {
                return name.equals("typed") ? Optional.of(typed) : real.find(name);
            }

            @Override
            public Set<String> names() {
                Set<String> all = new TreeSet<>(real.names());
                all.add("typed");
                return all;
            }
        };
    }

    /** One expected error: file, line, column and the message (exactly, or its start when it ends in "..."). */
    record Expected(Path file, int line, int column, String message) {
        boolean matches(InputError e) {
            if (!e.source().equals(new Source(file.toString(), line, column))) return false;
            return message.endsWith("...") ? e.message().startsWith(message.substring(0, message.length() - 3)) : e.message().equals(message);
        }

        @Override
        public String toString() {
            return file + ":" + line + ":" + column + ": " + message;
        }
    }

    static Expected at(Path file, int line, int column, String message) {
        return new Expected(file, line, column, message);
    }

    /** Exactly these errors, in any order, all in the one exception. */
    static void assertErrors(InvalidInputException e, Expected... expected) {
        List<InputError> left = new ArrayList<>(e.errors());
        List<Expected> missing = new ArrayList<>();
        for (Expected x : expected) {
            Optional<InputError> hit = left.stream().filter(x::matches).findFirst();
            if (hit.isPresent()) left.remove(hit.get());
            else missing.add(x);
        }
        if (!missing.isEmpty() || !left.isEmpty()) {
            fail("errors differ.\nmissing:\n  " + missing.stream().map(Expected::toString).collect(Collectors.joining("\n  "))
                    + "\nunexpected:\n  " + left.stream().map(InputError::toString).collect(Collectors.joining("\n  "))
                    + "\nall:\n  " + e.errors().stream().map(InputError::toString).collect(Collectors.joining("\n  ")));
        }
    }

    static InputError only(InvalidInputException e) {
        assertEquals(1, e.errors().size(), e.getMessage());
        return e.errors().get(0);
    }

    static void assertMessageLists(InvalidInputException e, String... fragments) {
        String all = e.getMessage();
        for (String f : fragments) assertTrue(all.contains(f), "no '" + f + "' in:\n" + all);
    }

    static List<String> names(List<Task> tasks) {
        return tasks.stream().map(t -> t.name() != null ? t.name() : t.module()).toList();
    }

    static Map<String, Object> map(Object... kv) {
        java.util.LinkedHashMap<String, Object> m = new java.util.LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }
}

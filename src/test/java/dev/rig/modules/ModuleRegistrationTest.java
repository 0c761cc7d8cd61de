package dev.rig.modules;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A module cannot be forgotten in {@link Modules}: every class of rig's own code that implements
 * {@link Module} is found on the class path and must be registered there under its name.
 */
class ModuleRegistrationTest {
    @Test
    void everyModuleImplementationOnTheClassPathIsRegistered() throws Exception {
        Path classes = Path.of(Module.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Set<String> implementations = new TreeSet<>();
        try (Stream<Path> files = Files.walk(classes)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".class")).toList()) {
                String name = classes.relativize(f).toString().replace('/', '.').replaceAll("\\.class$", "");
                Class<?> c = Class.forName(name, false, Module.class.getClassLoader());
                if (Module.class.isAssignableFrom(c) && !c.isInterface() && !Modifier.isAbstract(c.getModifiers())) implementations.add(c.getName());
            }
        }
        assertTrue(implementations.size() >= 20, () -> "found only " + implementations + " in " + classes);
        Modules modules = new Modules();
        Set<String> registered = modules.names().stream().map(n -> modules.get(n).getClass().getName()).collect(Collectors.toCollection(TreeSet::new));
        Set<String> missing = new TreeSet<>(implementations);
        missing.removeAll(registered);
        assertEquals(Set.of(), missing, "Module implementations not registered in Modules");
    }

    @Test
    void everyRegisteredModuleAnswersToItsOwnName() {
        Modules modules = new Modules();
        for (String name : modules.names()) assertEquals(name, modules.get(name).name());
        assertTrue(modules.names().containsAll(List.of("file", "copy", "command", "apt", "service", "compose")), () -> "registered: " + modules.names());
    }
}

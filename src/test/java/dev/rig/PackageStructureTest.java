package dev.rig;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The house rules the README states for the main sources: packages form no cycle, and nothing imports
 * {@code dev.rig.cli} (the command line only parses options and picks a view). Read from the sources, imports and
 * fully qualified references alike, so a new edge fails here instead of in a review.
 */
class PackageStructureTest {
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.rig\\.([a-z][a-z0-9_]*)\\b");

    @Test
    void noPackageImportsTheCommandLine() throws IOException {
        Map<String, Set<String>> graph = graph();
        List<String> offenders = new ArrayList<>();
        graph.forEach((from, tos) -> {
            if (!from.equals("cli") && tos.contains("cli")) offenders.add(from);
        });
        assertEquals(List.of(), offenders, "packages that import dev.rig.cli");
    }

    @Test
    void packagesFormNoCycle() throws IOException {
        Map<String, Set<String>> graph = graph();
        assertTrue(graph.size() > 10, "read the main sources: " + graph.keySet());
        List<String> cycle = cycle(graph);
        assertEquals(List.of(), cycle, "a package cycle");
    }

    /** Package (first segment under dev.rig) → the other packages it references. */
    private static Map<String, Set<String>> graph() throws IOException {
        Path root = Path.of(System.getProperty("rig.project.dir", ".")).resolve("src/main/java/dev/rig");
        Map<String, Set<String>> graph = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                Path relative = root.relativize(file);
                if (relative.getNameCount() < 2) continue; // dev/rig/X.java has no package of its own
                String from = relative.getName(0).toString();
                Set<String> tos = graph.computeIfAbsent(from, k -> new TreeSet<>());
                Matcher m = REFERENCE.matcher(withoutComments(Files.readString(file)));
                while (m.find()) {
                    if (!m.group(1).equals(from)) tos.add(m.group(1));
                }
            }
        }
        return graph;
    }

    private static String withoutComments(String source) {
        return source.replaceAll("(?s)/\\*.*?\\*/", "").replaceAll("//[^\\n]*", "");
    }

    /** One cycle as a path of packages (first repeated at the end), or an empty list. */
    private static List<String> cycle(Map<String, Set<String>> graph) {
        Map<String, Integer> state = new TreeMap<>(); // 1 = on the stack, 2 = done
        for (String start : graph.keySet()) {
            List<String> path = new ArrayList<>();
            if (visit(start, graph, state, path)) return path;
        }
        return List.of();
    }

    private static boolean visit(String node, Map<String, Set<String>> graph, Map<String, Integer> state, List<String> path) {
        Integer s = state.get(node);
        if (s != null && s == 2) return false;
        path.add(node);
        if (s != null && s == 1) {
            List<String> loop = new ArrayList<>(path.subList(path.indexOf(node), path.size()));
            path.clear();
            path.addAll(loop);
            return true;
        }
        state.put(node, 1);
        for (String next : graph.getOrDefault(node, Set.of())) {
            if (visit(next, graph, state, path)) return true;
        }
        state.put(node, 2);
        path.remove(path.size() - 1);
        return false;
    }
}

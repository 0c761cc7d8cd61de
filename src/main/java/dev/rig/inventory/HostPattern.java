package dev.rig.inventory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Ansible host patterns: parts separated by commas or colons; each part is a host name, a group name
 * (all its hosts, through children too), {@code all} or a glob with {@code *} and {@code ?} over host and
 * group names, or {@code ~regex} (matched from the start of the name, as Python's re.match). A part
 * prefixed {@code &} intersects and {@code !} excludes. As in Ansible, unions are applied first, then
 * intersections, then exclusions, and a pattern with no plain part starts from {@code all}.
 */
final class HostPattern {
    /** A colon-separated part: anything but whitespace, colons and brackets, or a whole [..] (whose colon is not a separator). */
    private static final Pattern COLON_SEPARATED_PART = Pattern.compile("(?:[^\\s:\\[\\]]|\\[[^\\]]*\\])+");

    private final Inventory inventory;

    HostPattern(Inventory inventory) {
        this.inventory = inventory;
    }

    List<Host> select(String pattern) {
        List<String> parts = split(pattern);
        if (parts.isEmpty()) return List.of();
        List<String> plain = parts.stream().filter(part -> !isIntersection(part) && !isExclusion(part)).toList();

        Set<String> selected = new HashSet<>();
        for (String part : plain.isEmpty() ? List.of(Inventory.ALL) : plain) selected.addAll(matches(part));
        parts.stream().filter(HostPattern::isIntersection).forEach(part -> selected.retainAll(matches(part.substring(1))));
        parts.stream().filter(HostPattern::isExclusion).forEach(part -> selected.removeAll(matches(part.substring(1))));
        return inventory.hosts().stream().filter(host -> selected.contains(host.name())).toList();
    }

    /** The parts, as written, that name no host and no group (Ansible warns "Could not match supplied host pattern"). */
    List<String> unmatchedParts(String pattern) {
        List<String> unmatched = new ArrayList<>();
        for (String part : split(pattern)) {
            String expression = isIntersection(part) || isExclusion(part) ? part.substring(1) : part;
            boolean matched = !matches(expression).isEmpty() || inventory.groups().keySet().stream().anyMatch(nameMatcher(expression));
            if (!matched) unmatched.add(part);
        }
        return unmatched;
    }

    /** Ansible's split_host_pattern: commas, else colons outside [..] (an IPv6 address or a subscript keeps its colons). */
    static List<String> split(String pattern) {
        List<String> parts = new ArrayList<>();
        for (String piece : pattern.split(",")) {
            piece = piece.strip();
            if (!piece.contains(":")) {
                if (!piece.isEmpty()) parts.add(piece);
                continue;
            }
            Matcher part = COLON_SEPARATED_PART.matcher(piece);
            while (part.find()) parts.add(part.group());
        }
        return parts;
    }

    /** Ansible's PATTERN_WITH_SUBSCRIPT: {@code name[3]}, {@code name[-1]}, {@code name[1:3]} (inclusive), {@code name[2:]}. */
    private static final Pattern SUBSCRIPTED = Pattern.compile("^(.+)\\[(?:(-?[0-9]+)|([0-9]+):([0-9]*))\\]$");

    /**
     * Names of the hosts an expression (a part without its & or !) stands for, in Ansible's order: a
     * group's hosts (its own, then its children's, level by level), then matching hosts. A subscript
     * picks from that list as Ansible's _apply_subscript does.
     */
    private Set<String> matches(String expression) {
        Matcher subscript = expression.startsWith("~") ? null : SUBSCRIPTED.matcher(expression);
        if (subscript != null && subscript.matches()) {
            List<String> all = new ArrayList<>(enumerate(subscript.group(1)));
            if (subscript.group(2) != null) {
                int index = Integer.parseInt(subscript.group(2));
                int at = index < 0 ? all.size() + index : index;
                if (at < 0 || at >= all.size()) return Set.of(); // Ansible fails with an IndexError; nothing matches here
                return Set.of(all.get(at));
            }
            int start = Integer.parseInt(subscript.group(3));
            int end = subscript.group(4).isEmpty() ? all.size() - 1 : Integer.parseInt(subscript.group(4));
            if (end == 0) return start < all.size() ? Set.of(all.get(start)) : Set.of(); // Python: "if end:" is false for 0
            return new LinkedHashSet<>(all.subList(Math.min(start, all.size()), Math.max(Math.min(end + 1, all.size()), Math.min(start, all.size()))));
        }
        return enumerate(expression);
    }

    private Set<String> enumerate(String expression) {
        if (inventory.host(expression).isPresent()) return Set.of(expression); // a host name wins over a group of the same name, as in Ansible
        Predicate<String> matcher = nameMatcher(expression);
        Set<String> names = new LinkedHashSet<>();
        boolean anyGroup = false;
        for (Group group : inventory.groups().values()) {
            if (!matcher.test(group.name())) continue;
            anyGroup = true;
            names.addAll(groupHosts(group));
        }
        boolean glob = expression.startsWith("~") || expression.contains("*") || expression.contains("?");
        if (!anyGroup || glob) {
            for (Host host : inventory.hosts()) if (matcher.test(host.name())) names.add(host.name());
        }
        return names;
    }

    /** Group.get_hosts: the group's own hosts, then its children's, then theirs, each once. */
    private List<String> groupHosts(Group group) {
        if (group.name().equals(Inventory.ALL)) return inventory.hosts().stream().map(Host::name).toList();
        List<Group> ordered = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        ordered.add(group);
        seen.add(group.name());
        for (int i = 0; i < ordered.size(); i++) {
            for (String child : ordered.get(i).children()) {
                if (seen.add(child)) ordered.add(inventory.groups().get(child));
            }
        }
        Set<String> hosts = new LinkedHashSet<>();
        ordered.forEach(g -> hosts.addAll(g.hosts()));
        return new ArrayList<>(hosts);
    }

    /**
     * A --limit value with each {@code @FILE} part replaced by the lines of FILE (host names or
     * patterns), as Ansible's inventory.subset does.
     */
    static String expandLimitFiles(String limit) {
        List<String> parts = new ArrayList<>();
        for (String part : split(limit)) {
            if (!part.startsWith("@")) {
                parts.add(part);
                continue;
            }
            java.nio.file.Path file = java.nio.file.Path.of(part.substring(1));
            try {
                for (String line : java.nio.file.Files.readAllLines(file)) if (!line.isBlank()) parts.add(line.strip());
            } catch (java.io.IOException e) {
                throw new IllegalArgumentException("cannot read limit file " + file + ": " + e.getMessage(), e);
            }
        }
        return String.join(",", parts);
    }

    private static Predicate<String> nameMatcher(String expression) {
        if (expression.startsWith("~")) {
            try {
                Pattern regex = Pattern.compile(expression.substring(1));
                return name -> regex.matcher(name).lookingAt();
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("invalid regular expression in host pattern '" + expression + "': " + e.getDescription(), e);
            }
        }
        if (expression.contains("*") || expression.contains("?")) {
            Pattern glob = Pattern.compile(globToRegex(expression));
            return name -> glob.matcher(name).matches();
        }
        return expression::equals;
    }

    private static String globToRegex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return regex.toString();
    }

    private static boolean isIntersection(String part) {
        return part.startsWith("&");
    }

    private static boolean isExclusion(String part) {
        return part.startsWith("!");
    }
}

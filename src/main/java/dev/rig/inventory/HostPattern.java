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
            Predicate<String> matcher = nameMatcher(expression);
            boolean matched = inventory.groups().keySet().stream().anyMatch(matcher)
                    || inventory.hosts().stream().map(Host::name).anyMatch(matcher);
            if (!matched) unmatched.add(part);
        }
        return unmatched;
    }

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

    /** Names of the hosts an expression (a part without its & or !) stands for. */
    private Set<String> matches(String expression) {
        if (inventory.host(expression).isPresent()) return Set.of(expression); // a host name wins over a group of the same name
        Predicate<String> matcher = nameMatcher(expression);
        Set<String> names = new LinkedHashSet<>();
        for (Host host : inventory.hosts()) {
            // host.groups() holds every group containing the host, through children too
            if (matcher.test(host.name()) || host.groups().stream().anyMatch(matcher)) names.add(host.name());
        }
        return names;
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

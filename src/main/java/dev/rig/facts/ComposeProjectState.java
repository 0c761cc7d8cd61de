package dev.rig.facts;

import dev.rig.core.Shell;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Docker Compose project on a host: which compose the host has ({@code flavor} v2, v1 or none), the
 * project's containers (one-off {@code run} containers left out) and networks, found by compose's
 * project label, each service's expected config hash as compose computes it from the files already in
 * the project's directory ({@code config --hash}), and the errors docker or compose gave instead.
 */
public record ComposeProjectState(String flavor, List<Container> containers, List<String> networks, Map<String, String> expected,
                                  String configError, String error) {
    /** The label compose gives every container and network of a project. */
    public static final String PROJECT_LABEL = "com.docker.compose.project";
    private static final Pattern HASH_LINE = Pattern.compile("hash=(\\S+) ([0-9a-f]{64})");

    public ComposeProjectState {
        containers = List.copyOf(containers);
        networks = List.copyOf(networks);
        expected = java.util.Collections.unmodifiableMap(new TreeMap<>(expected));
    }

    /** A container of the project: its full id, its service, the config hash it was created from, and its state (running, exited...). */
    public record Container(String id, String service, String hash, String state) {
        public String shortId() {
            return id.length() > 12 ? id.substring(0, 12) : id;
        }
    }

    /**
     * The project named project, its files in dest; composeFile (a name in dest) is null when there are
     * no files to hash (a project being removed).
     */
    public static Fact<ComposeProjectState> of(String project, String dest, String composeFile) {
        String filter = Shell.quote("label=" + PROJECT_LABEL + "=" + project);
        StringBuilder s = new StringBuilder(DETECT_COMPOSE);
        s.append("if out=$(docker ps -a --no-trunc --filter ").append(filter)
                .append(" --format 'container={{.ID}} {{.Label \"com.docker.compose.service\"}} {{.Label \"com.docker.compose.config-hash\"}} {{.State}} {{.Label \"com.docker.compose.oneoff\"}}' 2>&1)")
                .append("; then printf '%s\\n' \"$out\"; else printf '%s\\n' \"$out\" | sed 's/^/docker_error=/'; exit 0; fi\n");
        s.append("docker network ls -q --filter ").append(filter).append(" 2>/dev/null | sed 's/^/network=/'\n");
        if (composeFile != null) {
            String compose = "compose -p " + Shell.quote(project) + " -f " + Shell.quote(composeFile);
            s.append("cd ").append(Shell.quote(dest)).append(" 2>/dev/null && [ -f ").append(Shell.quote(composeFile)).append(" ] || exit 0\n");
            s.append("if out=$(").append(compose).append(" config --hash='*' 2>&1); then printf '%s\\n' \"$out\" | sed 's/^/hash=/';")
                    .append(" else printf '%s\\n' \"$out\" | sed 's/^/config_error=/'; fi\n");
        }
        return Fact.of(new Probe(s.toString()), ComposeProjectState::parse);
    }

    /** Defines {@code compose} as whichever of v2 and v1 the host has and says which; neither is a state too (an earlier task may install Docker). */
    private static final String DETECT_COMPOSE = "if docker compose version >/dev/null 2>&1; then compose() { docker compose \"$@\"; }; echo flavor=v2\n"
            + "elif command -v docker-compose >/dev/null 2>&1; then compose() { docker-compose \"$@\"; }; echo flavor=v1\n"
            + "else echo flavor=none; exit 0; fi\n";

    public List<Container> containers(String service) {
        return containers.stream().filter(c -> c.service().equals(service)).toList();
    }

    /** Services that have containers but are no longer in the files. */
    public List<String> orphans() {
        return containers.stream().map(Container::service).filter(s -> !expected.containsKey(s)).distinct().sorted().toList();
    }

    /** One line per thing: flavor=, container=ID SERVICE HASH STATE ONEOFF, network=, hash=SERVICE SHA256, config_error=, docker_error=. */
    static ComposeProjectState parse(String output) {
        String flavor = "none";
        List<Container> containers = new ArrayList<>();
        List<String> networks = new ArrayList<>();
        Map<String, String> expected = new LinkedHashMap<>();
        StringBuilder configError = new StringBuilder();
        StringBuilder error = new StringBuilder();
        for (String line : (output == null ? "" : output).split("\n")) {
            if (line.startsWith("flavor=")) flavor = line.substring(7).strip();
            else if (line.startsWith("container=")) {
                String[] f = line.substring(10).split(" ", -1);
                if (f.length >= 4 && !(f.length > 4 && f[4].equalsIgnoreCase("true"))) containers.add(new Container(f[0], f[1], f[2], f[3]));
            } else if (line.startsWith("network=")) networks.add(line.substring(8).strip());
            else if (line.startsWith("hash=")) {
                Matcher m = HASH_LINE.matcher(line.strip());
                if (m.matches()) expected.put(m.group(1), m.group(2));
            } else if (line.startsWith("config_error=")) configError.append(line.substring(13)).append('\n');
            else if (line.startsWith("docker_error=")) error.append(line.substring(13)).append('\n');
        }
        return new ComposeProjectState(flavor, containers, networks, expected,
                configError.isEmpty() ? null : configError.toString().strip(), error.isEmpty() ? null : error.toString().strip());
    }
}

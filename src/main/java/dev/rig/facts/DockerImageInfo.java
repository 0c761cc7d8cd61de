package dev.rig.facts;

import dev.rig.core.Shell;

/**
 * One image name in the host's Docker, as {@code docker image inspect} sees it: the id it names, or
 * that no image has that name, or that the host has no docker command at all (an earlier task may
 * install it). Any other answer of docker's (a daemon that is down, a socket it may not open) is kept
 * in {@code error}.
 */
public record DockerImageInfo(String name, boolean dockerInstalled, String id, String error) {
    public static Fact<DockerImageInfo> of(String name) {
        return Fact.of(new Probe("command -v docker >/dev/null 2>&1 || { echo id=no-docker; exit 0; }\n"
                + "if out=$(docker image inspect --format '{{.Id}}' " + Shell.quote(name) + " 2>&1); then echo id=$out\n"
                + "elif printf '%s' \"$out\" | grep -qi 'no such image'; then echo id=absent\n"
                + "else printf 'error=%s\\n' \"$out\"; fi\n"), output -> parse(name, output));
    }

    /** The image is there (id is its sha256:... id). */
    public boolean present() {
        return id != null;
    }

    /** id=ID, id=absent, id=no-docker, or error=MESSAGE (the first line of it: docker's errors are one line). */
    static DockerImageInfo parse(String name, String output) {
        String id = null;
        for (String line : (output == null ? "" : output).split("\n")) {
            if (line.startsWith("error=")) return new DockerImageInfo(name, true, null, line.substring(6));
            if (line.startsWith("id=")) id = line.substring(3).strip();
        }
        if (id == null) throw new IllegalStateException("unexpected probe output: " + output);
        return switch (id) {
            case "no-docker" -> new DockerImageInfo(name, false, null, null);
            case "absent" -> new DockerImageInfo(name, true, null, null);
            default -> new DockerImageInfo(name, true, id, null);
        };
    }
}

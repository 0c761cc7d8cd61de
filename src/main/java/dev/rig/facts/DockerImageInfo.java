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

    /**
     * id=ID, id=absent, id=no-docker, or error=MESSAGE: the rest of the output, stripped (docker 2x prints an
     * empty line before "Cannot connect to the Docker daemon ...", so the first line alone would say nothing).
     */
    static DockerImageInfo parse(String name, String output) {
        String id = null;
        String out = output == null ? "" : output;
        for (String line : out.split("\n")) {
            if (line.startsWith("error=")) {
                int at = out.startsWith("error=") ? 0 : out.indexOf("\nerror=") + 1;
                String message = out.substring(at + 6).strip();
                return new DockerImageInfo(name, true, null, message.isEmpty() ? "docker failed and said nothing" : message);
            }
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

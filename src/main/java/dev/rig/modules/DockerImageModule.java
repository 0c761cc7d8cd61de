package dev.rig.modules;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rig.core.Shell;
import dev.rig.facts.DockerImageInfo;
import dev.rig.facts.Probe;
import dev.rig.plan.Action;
import dev.rig.plan.Change;
import dev.rig.plan.Diff;
import dev.rig.plan.HostCommand;
import dev.rig.playbook.ArgSpec;
import dev.rig.playbook.LocalFiles;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

import static dev.rig.playbook.ArgSpec.ArgType.LOCAL_FILE;
import static dev.rig.playbook.ArgSpec.ArgType.STRING;

/**
 * Loads an image from a tarball on the operator's machine ({@code docker save} output, gzipped or
 * not) into the host's Docker, for hosts that cannot reach a registry. The image id is read from the
 * tarball locally (the sha256 of its config), so the tarball travels only when the host's
 * {@code name} is missing or is another image.
 */
public final class DockerImageModule implements Module {
    @Override
    public String name() {
        return "docker_image";
    }

    @Override
    public List<ArgSpec> args() {
        return List.of(ArgSpec.required("name", STRING), ArgSpec.required("src", LOCAL_FILE));
    }

    @Override
    public Probe probe(Args args, ModuleContext ctx) {
        return DockerImageInfo.of(args.string("name")).probe();
    }

    @Override
    public Outcome plan(Args args, String probeOutput, ModuleContext ctx) {
        String name = args.string("name");
        Tarball tarball = tarball(args, ctx);
        DockerImageInfo current = DockerImageInfo.of(name).parse(probeOutput);
        if (current.error() != null) return Outcome.fail("cannot read image " + name + " on the host: " + current.error());
        Map<String, Object> result = Map.of("name", name, "id", tarball.id());
        if (tarball.id().equals(current.id())) return Outcome.ok(name + " is " + shortId(tarball.id())).withResult(result);

        StringBuilder s = new StringBuilder("set -e\n");
        s.append("docker load --quiet >/dev/null\n"); // the tarball arrives on stdin
        s.append("docker image inspect ").append(Shell.quote(tarball.id())).append(" >/dev/null 2>&1")
                .append(" || { echo 'docker load did not produce image ").append(tarball.id()).append("' >&2; exit 1; }\n");
        if (!tarball.tags().contains(name)) s.append(Shell.join("docker", "tag", tarball.id(), name)).append('\n');
        String size = tarball.content().size() / (1024 * 1024) + " MiB";
        String description = "docker load " + name + " (" + shortId(tarball.id()) + ", " + size + ")";
        Diff diff = Diff.attributes("image " + name, Map.of("id", current.present() ? shortId(current.id()) : "absent"), Map.of("id", shortId(tarball.id())));
        Change change = Change.of(current.present() ? Action.UPDATE : Action.CREATE, List.of(HostCommand.withInput(s.toString(), tarball.content(), description)),
                List.of(diff), "load image " + name + (current.dockerInstalled() ? "" : " (docker is not installed yet)"));
        return Outcome.of(change).withResult(result);
    }

    private static String shortId(String id) {
        String hex = id.startsWith("sha256:") ? id.substring(7) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    private static Tarball tarball(Args args, ModuleContext ctx) {
        String src = args.string("src");
        Path file = LocalFiles.find(src, ctx.fileDirs())
                .orElseThrow(() -> new Args.ArgumentException("image tarball '" + src + "' not found; looked in " + LocalFiles.describe(src, ctx.fileDirs())));
        return (Tarball) ctx.memo().computeIfAbsent("docker_image:" + file, k -> Tarball.read(file));
    }

    /**
     * A {@code docker save} tarball: the file (streamed to the host, never held in memory: images run to
     * gigabytes), the image id its manifest names, and the tags it carries.
     */
    record Tarball(dev.rig.core.Payload content, String id, List<String> tags) {
        static Tarball read(Path file) {
            try {
                // Two streaming passes over the file: the manifest names the config, which may come before it.
                byte[] manifest = entry(file, "manifest.json");
                if (manifest == null) throw new Args.ArgumentException(file + " is not a docker save tarball (no manifest.json)");
                JsonNode first = new ObjectMapper().readTree(manifest).path(0);
                String configName = first.path("Config").asText();
                byte[] config = configName.isEmpty() ? null : entry(file, configName);
                if (config == null) throw new Args.ArgumentException(file + ": manifest.json names config '" + configName + "', which the tarball lacks");
                List<String> tags = new ArrayList<>();
                first.path("RepoTags").forEach(t -> tags.add(t.asText()));
                return new Tarball(dev.rig.core.Payload.file(file), "sha256:" + dev.rig.core.Digests.sha256(config), List.copyOf(tags));
            } catch (java.nio.file.NoSuchFileException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            } catch (IOException e) {
                throw new Args.ArgumentException(file + " is not a docker save tarball: " + e.getMessage());
            }
        }

        private static byte[] entry(Path tar, String wanted) throws IOException {
            Map<String, byte[]> found = new HashMap<>();
            try (InputStream in = open(tar)) {
                readTar(in, found, wanted::equals);
            }
            return found.get(wanted);
        }

        private static InputStream open(Path file) throws IOException {
            InputStream raw = new java.io.BufferedInputStream(Files.newInputStream(file), 1 << 16);
            raw.mark(2);
            boolean gzip = raw.read() == 0x1f && raw.read() == 0x8b;
            raw.reset();
            return gzip ? new GZIPInputStream(raw, 1 << 16) : raw;
        }

        /** Reads the (small) entries {@code wanted} selects from a ustar/pax tar stream, skipping the layers. */
        private static void readTar(InputStream in, Map<String, byte[]> out, Predicate<String> wanted) throws IOException {
            String paxPath = null;
            byte[] header = new byte[512];
            while (in.readNBytes(header, 0, 512) == 512) {
                if (header[0] == 0) return; // end-of-archive block
                String name = field(header, 0, 100);
                String prefix = field(header, 345, 155);
                if (!prefix.isEmpty()) name = prefix + "/" + name;
                long size;
                try {
                    size = Long.parseLong(field(header, 124, 12).isEmpty() ? "0" : field(header, 124, 12), 8);
                } catch (NumberFormatException e) {
                    throw new IOException("not a tar archive");
                }
                char type = (char) header[156];
                long padded = (size + 511) / 512 * 512;
                if (type == 'x') { // pax extended header: a long path for the next entry
                    String pax = new String(in.readNBytes((int) size), StandardCharsets.UTF_8);
                    in.skipNBytes(padded - size);
                    for (String rec : pax.split("\n")) {
                        int sp = rec.indexOf(' ');
                        if (sp > 0 && rec.startsWith("path=", sp + 1)) paxPath = rec.substring(sp + 6);
                    }
                    continue;
                }
                if (paxPath != null) {
                    name = paxPath;
                    paxPath = null;
                }
                if (name.startsWith("./")) name = name.substring(2);
                if ((type == '0' || type == 0) && wanted.test(name) && size < 16 * 1024 * 1024) {
                    out.put(name, in.readNBytes((int) size));
                    in.skipNBytes(padded - size);
                } else {
                    in.skipNBytes(padded);
                }
            }
        }

        private static String field(byte[] header, int offset, int length) {
            int end = offset;
            while (end < offset + length && header[end] != 0) end++;
            return new String(header, offset, end - offset, StandardCharsets.US_ASCII).strip();
        }
    }
}

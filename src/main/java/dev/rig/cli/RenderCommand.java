package dev.rig.cli;

import dev.rig.core.Trees;

import dev.rig.apply.Engine;
import dev.rig.apply.Event;
import dev.rig.apply.Mode;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import dev.rig.plan.RenderedFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

/**
 * Writes every file each host would get to DIR/HOST/PATH, contacting no host: for review, diffs
 * between commits, and validators (promtool, caddy, docker-compose config). Values of secret
 * variables are masked in every file; a file that holds one without being a secret file (mode 0600,
 * a compose .env, no_log) is named in a warning, since on the host it would be readable.
 */
@Command(name = "render", description = "Write the files each host would get to DIR/HOST/..., without contacting any host.")
final class RenderCommand implements Callable<Integer> {
    /** Marks a directory as render output, so a later render may replace it and nothing else. */
    static final String MARKER = ".rig-render";

    @Spec CommandSpec spec;
    @Mixin Options.InventoryOptions inventory;
    @Mixin Options.RunOptions run;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR", description = "Directory to write into (replaced when an earlier render wrote it)")
    Path out;

    @Parameters(arity = "1..*", paramLabel = "PLAYBOOK")
    List<Path> playbooks;

    private record HostFile(String host, RenderedFile file) {}

    @Override
    public Integer call() {
        PrintWriter stdout = spec.commandLine().getOut();
        checkOutputDirectory();
        List<HostFile> files = java.util.Collections.synchronizedList(new ArrayList<>());
        try (Runner r = new Runner(inventory, run, null, playbooks, stdout, spec.commandLine().getErr())) {
            Engine.Result result = r.execute(Mode.RENDER, false, e -> {
                if (e instanceof Event.FileRendered f) files.add(new HostFile(f.host(), f.file()));
            });
            if (result.problems()) {
                spec.commandLine().getErr().println("error: rendering failed on some host (see above); nothing was written to " + out);
                return Main.ERROR;
            }
            List<String> leaks = write(files, r.secrets);
            leaks.forEach(l -> spec.commandLine().getErr().println("warning: " + l));
            long hosts = files.stream().map(HostFile::host).distinct().count();
            if (!run.json) stdout.println("Rendered " + files.size() + " file" + (files.size() == 1 ? "" : "s") + " for " + hosts + " host"
                    + (hosts == 1 ? "" : "s") + " into " + out + (leaks.isEmpty() ? "" : " (" + leaks.size() + " warning" + (leaks.size() == 1 ? "" : "s") + ")"));
            return Main.OK;
        }
    }

    private void checkOutputDirectory() {
        if (!Files.exists(out)) return;
        if (!Files.isDirectory(out)) throw new InvalidInputException(new Source("--out " + out, 0, 0), "exists and is not a directory");
        try (Stream<Path> entries = Files.list(out)) {
            if (entries.findAny().isPresent() && !Files.exists(out.resolve(MARKER))) {
                throw new InvalidInputException(new Source("--out " + out, 0, 0),
                        "is not empty and was not written by rig render; give a new or empty directory");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes the files (the last task to write a path wins, as on the host); returns leak warnings. */
    private List<String> write(List<HostFile> files, dev.rig.core.Secrets secrets) {
        Map<Path, HostFile> byTarget = new TreeMap<>();
        for (HostFile f : files) {
            Path target = target(f);
            if (!target.startsWith(out.resolve(f.host()))) {
                throw new IllegalStateException("host " + f.host() + ": path " + f.file().path() + " leaves the host's directory");
            }
            byTarget.put(target, f);
        }
        List<String> leaks = new ArrayList<>();
        try {
            Trees.delete(out);
            Files.createDirectories(out);
            Files.writeString(out.resolve(MARKER), "Written by rig render; the next render replaces this directory.\n");
            for (Map.Entry<Path, HostFile> e : byTarget.entrySet()) {
                RenderedFile file = e.getValue().file();
                if (file.content() instanceof dev.rig.core.Payload.LocalFile big && big.size() > IN_MEMORY_LIMIT && !secrets.anySpansLines()) {
                    // A copy's large src: streamed, masked line by line, never held whole.
                    Files.createDirectories(e.getKey().getParent());
                    if (copyMasked(big.path(), e.getKey(), secrets) && !file.secret() && !file.mode().map(m -> m.endsWith("00")).orElse(false)) {
                        leaks.add(e.getValue().host() + ":" + file.path() + " holds the value of a secret variable but is not a secret file "
                                + "(mode 0600, no_log or a compose .env); it is masked here, on the host it would be readable");
                    }
                    String perms = file.secret() ? "rw-------" : file.mode().map(RenderCommand::permissions).orElse("rw-r--r--");
                    Files.setPosixFilePermissions(e.getKey(), PosixFilePermissions.fromString(perms));
                    continue;
                }
                byte[] content = file.content().bytes();
                Optional<String> text = utf8(content);
                if (text.isPresent()) {
                    String masked = secrets.redact(text.get());
                    if (!masked.equals(text.get())) {
                        content = masked.getBytes(StandardCharsets.UTF_8);
                        if (!file.secret() && !file.mode().map(m -> m.endsWith("00")).orElse(false)) {
                            leaks.add(e.getValue().host() + ":" + file.path() + " holds the value of a secret variable but is not a secret file "
                                    + "(mode 0600, no_log or a compose .env); it is masked here, on the host it would be readable");
                        }
                    }
                }
                Files.createDirectories(e.getKey().getParent());
                Files.write(e.getKey(), content);
                String perms = file.secret() ? "rw-------" : file.mode().map(RenderCommand::permissions).orElse("rw-r--r--");
                Files.setPosixFilePermissions(e.getKey(), PosixFilePermissions.fromString(perms));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write to " + out + ": " + e.getMessage(), e);
        }
        return leaks;
    }

    /** Files larger than this are streamed to the render (a copy's src may be larger than memory). */
    static final long IN_MEMORY_LIMIT = 16L * 1024 * 1024;

    /**
     * Copies source to target as streams: UTF-8 text with every secret masked, line by line (no secret spans
     * lines: see the caller), anything else unchanged, as the in-memory path treats binary content. Returns
     * whether anything was masked.
     */
    private static boolean copyMasked(Path source, Path target, dev.rig.core.Secrets secrets) throws IOException {
        if (!isUtf8(source)) {
            Files.copy(source, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return false;
        }
        boolean masked = false;
        try (java.io.Reader in = Files.newBufferedReader(source, StandardCharsets.UTF_8);
             java.io.Writer out = Files.newBufferedWriter(target, StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder();
            char[] buffer = new char[65536];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                for (int i = 0; i < n; i++) {
                    line.append(buffer[i]);
                    if (buffer[i] == '\n') masked |= writeMasked(line, out, secrets);
                }
            }
            masked |= writeMasked(line, out, secrets);
        }
        return masked;
    }

    private static boolean writeMasked(StringBuilder line, java.io.Writer out, dev.rig.core.Secrets secrets) throws IOException {
        String text = line.toString();
        String redacted = secrets.redact(text);
        out.write(redacted);
        line.setLength(0);
        return !redacted.equals(text);
    }

    private static boolean isUtf8(Path file) throws IOException {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try (java.io.Reader in = new java.io.InputStreamReader(Files.newInputStream(file), decoder)) {
            char[] buffer = new char[65536];
            while (in.read(buffer) >= 0) {
                // only whether it decodes
            }
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private Path target(HostFile f) {
        return out.resolve(f.host()).resolve(f.file().path().substring(1)).normalize();
    }

    private static Optional<String> utf8(byte[] bytes) {
        try {
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString());
        } catch (CharacterCodingException e) {
            return Optional.empty();
        }
    }

    /** "0640" → rw-r-----; the owner keeps read and write so the operator can read their own render. */
    private static String permissions(String mode) {
        String m = mode.length() > 3 ? mode.substring(mode.length() - 3) : mode;
        StringBuilder s = new StringBuilder();
        for (char c : m.toCharArray()) {
            int d = c - '0';
            s.append((d & 4) != 0 ? 'r' : '-').append((d & 2) != 0 ? 'w' : '-').append((d & 1) != 0 ? 'x' : '-');
        }
        s.setCharAt(0, 'r');
        s.setCharAt(1, 'w');
        return s.toString();
    }
}

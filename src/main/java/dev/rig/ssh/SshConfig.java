package dev.rig.ssh;

import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.config.hosts.HostPatternsHolder;
import org.apache.sshd.common.AttributeRepository;

/**
 * An OpenSSH client configuration file (ssh_config), as MINA's {@link HostConfigEntryResolver}: MINA's
 * SshClient asks it for the target and for every ProxyJump hop. MINA's own ConfigFileHostEntryResolver
 * refuses any file with a Match block, so rig splits the file into blocks itself and keeps MINA for the rest:
 * its per-keyword parsing into a {@link HostConfigEntry}, its host pattern matching (*, ?, !), its
 * first-value-wins merge (collate) and its IdentityFile token expansion.
 *
 * <p>Resolution follows OpenSSH: blocks apply in file order, the first value of a keyword wins; Host patterns
 * match the name given (the alias), Match host matches the HostName decided so far. Match understands
 * all, host, originalhost, user and localuser, each optionally negated with !; Include is followed.
 */
public final class SshConfig implements HostConfigEntryResolver {
    /** No file: every host is connected to by the name given, with defaults. */
    public static final SshConfig NONE = new SshConfig(null, List.of());

    private static final int MAX_INCLUDE_DEPTH = 16;
    private static final int DEFAULT_PORT = 22;

    private final Path file;
    private final List<Block> blocks;

    private SshConfig(Path file, List<Block> blocks) {
        this.file = file;
        this.blocks = List.copyOf(blocks);
    }

    /** Reads file (and what it includes); an unreadable or malformed file is an input error naming file:line. */
    public static SshConfig load(Path file) {
        Parser parser = new Parser(Path.of(System.getProperty("user.home"), ".ssh"));
        parser.read(file, 0);
        return new SshConfig(file, parser.finish());
    }

    /** ~/.ssh/config when it exists, as OpenSSH reads it; else {@link #NONE}. */
    public static SshConfig userDefault() {
        Path file = Path.of(System.getProperty("user.home"), ".ssh", "config");
        return Files.isRegularFile(file) ? load(file) : NONE;
    }

    /** The file read, for messages; empty for {@link #NONE}. */
    public Optional<Path> file() {
        return Optional.ofNullable(file);
    }

    /**
     * Everything ssh_config says for alias, with user and port (when given, i.e. non-null and above 0) taking
     * precedence as ssh's command-line values do. HostName, User and Port always come back set.
     */
    public HostConfigEntry resolve(String alias, int port, String user) {
        HostConfigEntry entry = new HostConfigEntry(alias, null, port, user);
        for (Block block : blocks) {
            if (block.matches(alias, entry)) entry.collate(block.entry);
        }
        entry.setHostName(entry.getHostName() == null || entry.getHostName().isEmpty() ? alias : expandHostName(entry.getHostName(), alias));
        if (entry.getUsername() == null || entry.getUsername().isEmpty()) entry.setUsername(localUser());
        if (entry.getPort() <= 0) entry.setPort(DEFAULT_PORT);
        List<String> identities = new ArrayList<>();
        for (String identity : entry.getIdentities()) {
            try {
                identities.add(HostConfigEntry.resolveIdentityFilePath(identity, entry.getHostName(), entry.getPort(), entry.getUsername()));
            } catch (IOException | RuntimeException e) {
                throw new IllegalArgumentException("IdentityFile " + identity + " for " + alias + ": " + e.getMessage(), e);
            }
        }
        entry.setIdentities(identities);
        return entry;
    }

    /** MINA calls this for the target and each ProxyJump hop ("user@host:port" already split). */
    @Override
    public HostConfigEntry resolveEffectiveHost(String host, int port, SocketAddress localAddress, String username,
            String proxyJump, AttributeRepository context) {
        HostConfigEntry entry = resolve(host, port, username);
        if (proxyJump != null && !proxyJump.isEmpty()) entry.setProxyJump(proxyJump);
        return entry;
    }

    /** OpenSSH's HostName tokens: %h is the name given, %% a percent sign. */
    private static String expandHostName(String hostName, String alias) {
        return hostName.replace("%%", "\0").replace("%h", alias).replace('\0', '%');
    }

    /** A path as OpenSSH and Ansible write them: a leading ~ is the local user's home. */
    public static Path expandHome(String path) {
        if (path.equals("~") || path.startsWith("~/")) return Path.of(System.getProperty("user.home") + path.substring(1));
        return Path.of(path);
    }

    static String localUser() {
        return System.getProperty("user.name");
    }

    /** One Host or Match block: when it applies, and its keywords as MINA parsed them. */
    private record Block(List<Criterion> criteria, HostConfigEntry entry) {
        boolean matches(String alias, HostConfigEntry resolvedSoFar) {
            for (Criterion criterion : criteria) {
                if (!criterion.matches(alias, resolvedSoFar)) return false;
            }
            return true;
        }
    }

    /** What a criterion compares its patterns with: Host and Match originalhost the name given, Match host the HostName so far. */
    private enum Subject { ALL, ORIGINAL_HOST, HOST, USER, LOCAL_USER }

    /** A Host pattern list, or one Match criterion with its patterns. */
    private record Criterion(Subject subject, boolean negated, HostConfigEntry patterns) {
        boolean matches(String alias, HostConfigEntry resolvedSoFar) {
            boolean matched = switch (subject) {
                case ALL -> true;
                case ORIGINAL_HOST -> patterns.isHostMatch(alias, 0);
                case HOST -> patterns.isHostMatch(currentHostName(alias, resolvedSoFar), 0);
                case USER -> patterns.isHostMatch(resolvedSoFar.getUsername() == null ? localUser() : resolvedSoFar.getUsername(), 0);
                case LOCAL_USER -> patterns.isHostMatch(localUser(), 0);
            };
            return matched != negated;
        }

        private static String currentHostName(String alias, HostConfigEntry resolvedSoFar) {
            String hostName = resolvedSoFar.getHostName();
            return hostName == null || hostName.isEmpty() ? alias : expandHostName(hostName, alias);
        }
    }

    /** Reads lines into blocks; Include inlines the files it names at its place. */
    private static final class Parser {
        private static final Map<String, Subject> MATCH_CRITERIA = new LinkedHashMap<>();

        static {
            MATCH_CRITERIA.put("all", Subject.ALL);
            MATCH_CRITERIA.put("host", Subject.HOST);
            MATCH_CRITERIA.put("originalhost", Subject.ORIGINAL_HOST);
            MATCH_CRITERIA.put("user", Subject.USER);
            MATCH_CRITERIA.put("localuser", Subject.LOCAL_USER);
        }

        private final Path includeBase;
        private final List<Block> blocks = new ArrayList<>();
        private List<Criterion> criteria = List.of(new Criterion(Subject.ALL, false, null)); // lines before any Host apply to all
        private HostConfigEntry entry = new HostConfigEntry();

        Parser(Path includeBase) {
            this.includeBase = includeBase;
        }

        void read(Path file, int depth) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            } catch (IOException e) {
                String why = e instanceof NoSuchFileException ? "no such file" : e.toString();
                throw new InvalidInputException(Source.of(file, 0, 0), "cannot read this ssh config: " + why);
            }
            for (int i = 0; i < lines.size(); i++) {
                try {
                    line(lines.get(i), depth);
                } catch (IllegalArgumentException | IllegalStateException e) { // MINA's checks of a value, and ours
                    throw new InvalidInputException(Source.of(file, i + 1, 1), e.getMessage());
                }
            }
        }

        List<Block> finish() {
            blocks.add(new Block(criteria, entry));
            return blocks;
        }

        private void line(String raw, int depth) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) return;
            // "Keyword value" or "Keyword=value", as OpenSSH accepts both.
            int split = 0;
            while (split < line.length() && !Character.isWhitespace(line.charAt(split)) && line.charAt(split) != '=') split++;
            String keyword = line.substring(0, split);
            String rest = line.substring(split).strip();
            if (rest.startsWith("=")) rest = rest.substring(1).strip();
            List<String> values = HostConfigEntry.parseConfigValue(rest).stream().filter(v -> !v.isBlank()).toList();
            if (values.isEmpty()) throw new IllegalArgumentException(keyword + " has no value");
            switch (keyword.toLowerCase(Locale.ROOT)) {
                case "host" -> startBlock(List.of(new Criterion(Subject.ORIGINAL_HOST, false, patterns(values))));
                case "match" -> startBlock(matchCriteria(values));
                case "include" -> include(values, depth);
                // OpenSSH takes a ProxyCommand verbatim to the end of the line, for /bin/sh to read; a keyword's first value wins.
                case "proxycommand" -> {
                    if (entry.getProperty("ProxyCommand") == null) entry.setProperty("ProxyCommand", rest);
                }
                default -> {
                    entry.appendPropertyValue(keyword, String.join(",", values));
                    entry.processProperty(keyword, values);
                }
            }
        }

        private void startBlock(List<Criterion> next) {
            blocks.add(new Block(criteria, entry));
            criteria = next;
            entry = new HostConfigEntry();
        }

        private static List<Criterion> matchCriteria(List<String> words) {
            List<Criterion> out = new ArrayList<>();
            for (int i = 0; i < words.size(); i++) {
                String word = words.get(i);
                boolean negated = word.startsWith("!");
                Subject subject = MATCH_CRITERIA.get((negated ? word.substring(1) : word).toLowerCase(Locale.ROOT));
                if (subject == null) {
                    throw new IllegalArgumentException("Match " + word + " is not supported (rig understands Match "
                            + String.join(", ", MATCH_CRITERIA.keySet()) + ")");
                }
                if (subject == Subject.ALL) {
                    out.add(new Criterion(subject, negated, null));
                    continue;
                }
                if (i + 1 >= words.size()) throw new IllegalArgumentException("Match " + word + " needs a pattern list");
                out.add(new Criterion(subject, negated, patterns(List.of(words.get(++i).split(",")))));
            }
            return out;
        }

        private static HostConfigEntry patterns(Collection<String> patterns) {
            HostConfigEntry holder = new HostConfigEntry();
            holder.setPatterns(HostPatternsHolder.parsePatterns(patterns));
            return holder;
        }

        /** As OpenSSH does for a user's config (-F's included), a relative Include path is in ~/.ssh. */
        private void include(List<String> patterns, int depth) {
            if (depth >= MAX_INCLUDE_DEPTH) throw new IllegalArgumentException("Include nested more than " + MAX_INCLUDE_DEPTH + " deep");
            for (String pattern : patterns) {
                Path glob = includeBase.resolve(expandHome(pattern));
                Path dir = glob.getParent();
                if (dir == null || !Files.isDirectory(dir)) continue; // OpenSSH ignores includes that match nothing
                List<Path> matches = new ArrayList<>();
                try (DirectoryStream<Path> found = Files.newDirectoryStream(dir, glob.getFileName().toString())) {
                    found.forEach(matches::add);
                } catch (IOException e) {
                    throw new IllegalArgumentException("Include " + pattern + ": " + e.getMessage(), e);
                }
                matches.stream().sorted().filter(Files::isRegularFile).forEach(included -> read(included, depth + 1));
            }
        }
    }
}

package dev.rig.ssh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.core.InvalidInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.sshd.client.config.hosts.HostConfigEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an ssh_config file is read and applied to a host, as OpenSSH applies it; no network. */
class SshConfigTest {
    private static final String HOME = System.getProperty("user.home");

    @TempDir
    Path dir;

    @Test
    void hostPatternsMatchWithWildcardsAndNegationAndTheFirstValueWins() throws Exception {
        SshConfig config = config("""
                Host !bastion *.internal web?
                    ProxyJump bastion
                Host web1
                    HostName 10.0.0.5
                    Port 2222
                Host *
                    User deploy
                    Port 22
                """);
        HostConfigEntry web1 = config.resolve("web1", 0, null);
        assertEquals("10.0.0.5", web1.getHostName());
        assertEquals(2222, web1.getPort());
        assertEquals("deploy", web1.getUsername());
        assertEquals("bastion", web1.getProxyJump());
        assertEquals("bastion", config.resolve("db.internal", 0, null).getProxyJump());

        HostConfigEntry bastion = config.resolve("bastion", 0, null);
        assertEquals(null, bastion.getProxyJump());
        assertEquals("bastion", bastion.getHostName());
        assertEquals(22, bastion.getPort());
    }

    @Test
    void matchHostSeesTheHostNameDecidedSoFarAndOriginalhostTheNameGiven() throws Exception {
        SshConfig config = config("""
                Host app
                    HostName 10.1.2.3
                Match originalhost app user ops
                    Port 2200
                Match host 10.1.*
                    User ops
                Match !host 10.1.* all
                    User other
                """);
        HostConfigEntry app = config.resolve("app", 0, null);
        assertEquals("ops", app.getUsername());
        assertEquals(22, app.getPort(), "Match user saw no user yet when it was read: it comes before the block that sets it");
        assertEquals("ops", config.resolve("10.1.9.9", 0, null).getUsername());
        assertEquals("other", config.resolve("elsewhere", 0, null).getUsername());
    }

    @Test
    void matchUserSeesTheUserGivenOnTheCommandLine() throws Exception {
        SshConfig config = config("""
                Match user ops
                    Port 2200
                """);
        assertEquals(2200, config.resolve("any", 0, "ops").getPort());
        assertEquals(22, config.resolve("any", 0, "root").getPort());
    }

    @Test
    void valuesGivenExplicitlyWinOverTheFile() throws Exception {
        SshConfig config = config("""
                Host web1
                    User deploy
                    Port 2222
                """);
        HostConfigEntry entry = config.resolve("web1", 2200, "admin");
        assertEquals(2200, entry.getPort());
        assertEquals("admin", entry.getUsername());
    }

    @Test
    void identityFilesAccumulateInOrderWithTheirTokensExpanded() throws Exception {
        SshConfig config = config("""
                Host web1
                    HostName 10.0.0.5
                    IdentityFile ~/.ssh/%r@%h
                Host *
                    User deploy
                    IdentityFile /keys/common
                """);
        assertEquals(List.of(HOME + "/.ssh/deploy@10.0.0.5", "/keys/common"), List.copyOf(config.resolve("web1", 0, null).getIdentities()));
    }

    @Test
    void includedFilesAreReadWhereTheIncludeStands() throws Exception {
        Files.createDirectories(dir.resolve("conf.d"));
        Files.writeString(dir.resolve("conf.d/10-inc.conf"), "Host inc\n    HostName 192.0.2.10\n");
        SshConfig config = config("Include " + dir.resolve("conf.d") + "/*.conf\nHost *\n    HostName fallback\n");
        assertEquals("192.0.2.10", config.resolve("inc", 0, null).getHostName());
        assertEquals("fallback", config.resolve("other", 0, null).getHostName());
    }

    @Test
    void unsupportedMatchCriteriaAndBadValuesAreInputErrorsNamingFileAndLine() throws Exception {
        Path file = write("Host a\n    HostName a.example\nMatch exec \"test -e /x\"\n    User x\n");
        InvalidInputException match = assertThrows(InvalidInputException.class, () -> SshConfig.load(file));
        assertEquals(file + ":3:1: Match exec is not supported (rig understands Match all, host, originalhost, user, localuser)",
                match.errors().get(0).toString());

        Path badPort = write("Host a\n    Port twenty-two\n");
        InvalidInputException port = assertThrows(InvalidInputException.class, () -> SshConfig.load(badPort));
        assertTrue(port.errors().get(0).toString().startsWith(badPort + ":2:1: "), port.errors().toString());
    }

    @Test
    void theCommandLineWinsOverSshConfigForKnownHostsPolicyAndTimeout() throws Exception {
        SshConfig config = config("""
                Host *
                    UserKnownHostsFile ~/.ssh/other_known_hosts /etc/more
                    StrictHostKeyChecking accept-new
                    ConnectTimeout 3
                """);
        HopConfig fromFile = hop(config, new SshSettings(config, Optional.empty(), Optional.empty(), List.of(), Optional.empty(),
                Optional.empty(), Passphrases.NONE));
        assertEquals(Path.of(HOME, ".ssh/other_known_hosts"), fromFile.knownHosts());
        assertEquals(HostKeyPolicy.ACCEPT_NEW, fromFile.policy());
        assertEquals(Duration.ofSeconds(3), fromFile.connectTimeout());

        HopConfig fromCommandLine = hop(config, new SshSettings(config, Optional.of(Path.of("/cli/known_hosts")),
                Optional.of(HostKeyPolicy.STRICT), List.of(), Optional.of(Duration.ofSeconds(7)), Optional.empty(), Passphrases.NONE));
        assertEquals(Path.of("/cli/known_hosts"), fromCommandLine.knownHosts());
        assertEquals(HostKeyPolicy.STRICT, fromCommandLine.policy());
        assertEquals(Duration.ofSeconds(7), fromCommandLine.connectTimeout());
    }

    @Test
    void strictHostKeyCheckingValuesMapToPolicies() {
        assertEquals(HostKeyPolicy.STRICT, HopConfig.strictHostKeyChecking("h", null));
        assertEquals(HostKeyPolicy.STRICT, HopConfig.strictHostKeyChecking("h", "yes"));
        assertEquals(HostKeyPolicy.STRICT, HopConfig.strictHostKeyChecking("h", "ask"));
        assertEquals(HostKeyPolicy.ACCEPT_NEW, HopConfig.strictHostKeyChecking("h", "accept-new"));
        assertEquals(HostKeyPolicy.ACCEPT_NEW, HopConfig.strictHostKeyChecking("h", "no"));
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class, () -> HopConfig.strictHostKeyChecking("h", "maybe"));
        assertEquals("StrictHostKeyChecking for h must be yes, accept-new, no or ask, found 'maybe'", bad.getMessage());
    }

    @Test
    void agentServerAliveAndIdentityDefaultsFollowTheFile() throws Exception {
        SshConfig config = config("""
                Host quiet
                    IdentityAgent none
                    ServerAliveInterval 15
                    ServerAliveCountMax 2
                Host *
                    IdentityAgent ~/agent.sock
                """);
        SshSettings settings = new SshSettings(config, Optional.empty(), Optional.empty(), List.of(Path.of("/default/id")),
                Optional.empty(), Optional.of(Path.of("/env/agent")), Passphrases.NONE);
        HopConfig quiet = HopConfig.of("quiet", config.resolve("quiet", 0, null), settings, Optional.empty(), Optional.empty());
        assertEquals(Optional.empty(), quiet.agentSocket());
        assertEquals(Optional.of(new HopConfig.ServerAlive(Duration.ofSeconds(15), 2)), quiet.serverAlive());
        assertEquals(List.of(Path.of("/default/id")), quiet.identityFiles(), "no IdentityFile anywhere: the defaults");
        HopConfig other = HopConfig.of("other", config.resolve("other", 0, null), settings, Optional.of(Path.of("/inventory/key")), Optional.empty());
        assertEquals(Optional.of(Path.of(HOME, "agent.sock")), other.agentSocket());
        assertEquals(Optional.empty(), other.serverAlive());
        assertEquals(List.of(), other.identityFiles(), "the inventory's key replaces the defaults, as ssh -i does");
    }

    @Test
    void proxyCommandIsReadWholeAndBothWaysOfProxyingOrBadNumbersAreRefusedNamingTheHost() throws Exception {
        SshConfig config = config("""
                Host piped
                    ProxyCommand ssh -W %h:%p -q bastion
                Host undecided
                    ProxyJump bastion
                    ProxyCommand nc %h %p
                Host slow
                    ConnectTimeout soon
                """);
        SshSettings settings = new SshSettings(config, Optional.empty(), Optional.empty(), List.of(), Optional.empty(), Optional.empty(), Passphrases.NONE);
        assertEquals(Optional.of("ssh -W %h:%p -q bastion"),
                HopConfig.of("piped", config.resolve("piped", 0, null), settings, Optional.empty(), Optional.empty()).proxyCommand());
        assertEquals("both ProxyJump and ProxyCommand are set for undecided: ssh uses whichever it reads first, which rig cannot tell here; keep one",
                assertThrows(IllegalArgumentException.class, () -> HopConfig.of("undecided", config.resolve("undecided", 0, null), settings,
                        Optional.empty(), Optional.empty())).getMessage());
        assertEquals("ConnectTimeout for slow must be a number of seconds, found 'soon'", assertThrows(IllegalArgumentException.class,
                () -> HopConfig.of("slow", config.resolve("slow", 0, null), settings, Optional.empty(), Optional.empty())).getMessage());
    }

    @Test
    void proxyCommandTokensExpandAsSshExpandsThem() {
        assertEquals("ssh -W 127.0.0.5:2222 -l deploy%x web1", ProxyCommandRelay.expand("ssh -W %h:%p -l %r%%x %n", "127.0.0.5", 2222, "deploy", "web1"));
        assertEquals("ProxyCommand token %d is not one rig expands (%h, %p, %r, %n, %%)", assertThrows(IllegalArgumentException.class,
                () -> ProxyCommandRelay.expand("nc %d", "h", 22, "u", "n")).getMessage());
        assertEquals("ProxyCommand ends with a lone %: write %% for a percent sign", assertThrows(IllegalArgumentException.class,
                () -> ProxyCommandRelay.expand("nc %", "h", 22, "u", "n")).getMessage());
    }

    @Test
    void proxyJumpChainsAreHandedToMinaInnermostFirstAndStopAtNone() throws Exception {
        SshConfig config = config("""
                Host target
                    ProxyJump outer,middle
                Host outer
                    ProxyJump gateway
                Host middle
                    ProxyJump ignored-as-in-openssh
                Host gateway
                    ProxyJump none
                Host looping
                    ProxyJump looping
                """);
        HopAwareClient client = new HopAwareClient();
        client.setHostConfigEntryResolver(config);
        List<String> hops = client.parseProxyJumps(config.resolve("target", 0, null), null).stream().map(HostConfigEntry::getHost).toList();
        assertEquals(List.of("middle", "outer", "gateway"), hops, "connected as gateway, outer, middle, then the target");

        IllegalArgumentException loop = assertThrows(IllegalArgumentException.class,
                () -> client.parseProxyJumps(config.resolve("looping", 0, null), null));
        assertTrue(loop.getMessage().contains("ProxyJump hops for looping"), loop.getMessage());
    }

    @Test
    void noFileMeansTheNameGivenAndDefaults() {
        HostConfigEntry entry = SshConfig.NONE.resolve("plain", 0, null);
        assertEquals("plain", entry.getHostName());
        assertEquals(22, entry.getPort());
        assertEquals(System.getProperty("user.name"), entry.getUsername());
        assertFalse(SshConfig.NONE.file().isPresent());
    }

    private SshConfig config(String text) throws Exception {
        return SshConfig.load(write(text));
    }

    private Path write(String text) throws Exception {
        return Files.writeString(Files.createTempFile(dir, "ssh_config", ""), text);
    }

    private static HopConfig hop(SshConfig config, SshSettings settings) {
        return HopConfig.of("h", config.resolve("h", 0, null), settings, Optional.empty(), Optional.empty());
    }
}

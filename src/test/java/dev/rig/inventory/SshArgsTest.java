package dev.rig.inventory;

import dev.rig.core.InputError;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import dev.rig.ssh.HostKeyPolicy;
import dev.rig.ssh.SshOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** ansible_ssh_common_args / ansible_ssh_extra_args read as ssh reads its command line; what rig cannot apply is refused by name. */
class SshArgsTest {
    @TempDir Path dir;

    private static SshOptions parse(String... values) {
        return SshArgs.parse(List.of(values));
    }

    private static String refusal(String value) {
        return assertThrows(IllegalArgumentException.class, () -> parse(value)).getMessage();
    }

    @Test
    void everyHonouredKeywordInEachSpellingSsHAccepts() {
        SshOptions options = parse("-o ProxyJump=jump@bastion:2200 -oPort=2222 -o 'User deploy' -o IdentityFile=\"/keys/a b\""
                + " -o stricthostkeychecking=accept-new -o UserKnownHostsFile=/dev/null -o ServerAliveInterval=15"
                + " -o ServerAliveCountMax=2 -o ConnectTimeout=7 -o IdentityFile=~/second");
        assertEquals(Optional.of("jump@bastion:2200"), options.proxyJump());
        assertEquals(Optional.of(2222), options.port());
        assertEquals(Optional.of("deploy"), options.user());
        assertEquals(List.of(Path.of("/keys/a b"), Path.of(System.getProperty("user.home"), "second")), options.identityFiles());
        assertEquals(Optional.of(HostKeyPolicy.ACCEPT_NEW), options.hostKeyPolicy());
        assertEquals(Optional.of(Path.of("/dev/null")), options.knownHosts());
        assertEquals(Optional.of(Duration.ofSeconds(15)), options.serverAliveInterval());
        assertEquals(Optional.of(2), options.serverAliveCountMax());
        assertEquals(Optional.of(Duration.ofSeconds(7)), options.connectTimeout());
    }

    @Test
    void theFirstValueWinsAsInSshAndCommonArgsComeBeforeExtraArgs() {
        SshOptions options = parse("-o Port=2201 -J first", "-o Port=2202 -o ProxyJump=second -o StrictHostKeyChecking=yes");
        assertEquals(Optional.of(2201), options.port());
        assertEquals(Optional.of("first"), options.proxyJump());
        assertEquals(Optional.of(HostKeyPolicy.STRICT), options.hostKeyPolicy());
        assertEquals(SshOptions.NONE, parse("", "  "));
    }

    @Test
    void proxyCommandIsKeptWholeAndTheFirstOfItAndProxyJumpWins() {
        assertEquals(Optional.of("ssh -W %h:%p -q deploy@bastion"), parse("-o ProxyCommand=\"ssh -W %h:%p -q deploy@bastion\"").proxyCommand());
        assertEquals(Optional.of("nc %h %p"), parse("-o 'ProxyCommand nc %h %p'").proxyCommand());
        SshOptions commandFirst = parse("-o ProxyCommand='nc %h %p'", "-J jump");
        assertEquals(Optional.of("nc %h %p"), commandFirst.proxyCommand());
        assertEquals(Optional.empty(), commandFirst.proxyJump());
        SshOptions jumpFirst = parse("-J jump -o ProxyCommand='nc %h %p'");
        assertEquals(Optional.of("jump"), jumpFirst.proxyJump());
        assertEquals(Optional.empty(), jumpFirst.proxyCommand());
    }

    @Test
    void anythingElseIsRefusedNamingIt() {
        assertEquals("ssh option ControlMaster is not supported: rig applies only " + String.join(", ", SshOptions.keywords()),
                refusal("-o ControlMaster=auto"));
        assertEquals("ssh flag -A is not supported: rig applies -o Keyword=value for " + String.join(", ", SshOptions.keywords()) + ", and -J",
                refusal("-o Port=22 -A"));
        assertEquals("ssh option -o Port has no value: write -o Port=VALUE", refusal("-o Port 2222"));
        assertEquals("ssh option -o has no argument", refusal("-o"));
        assertEquals("ssh option Port must be a port number from 1 to 65535, found '70000'", refusal("-o Port=70000"));
        assertEquals("ssh option StrictHostKeyChecking must be yes, accept-new, no or ask, found 'maybe'", refusal("-o StrictHostKeyChecking=maybe"));
        assertEquals("ssh option ServerAliveCountMax must be a whole number from 1, found '0'", refusal("-o ServerAliveCountMax=0"));
        assertEquals("no closing quotation (') at column 4", refusal("-o 'Port=1"));
    }

    @Test
    void aRefusalInAYamlInventoryNamesTheVariableAndWhereItIsWritten() throws Exception {
        Path file = Files.writeString(dir.resolve("hosts.yml"), """
                all:
                  vars:
                    ansible_ssh_common_args: -o ForwardAgent=yes
                  hosts:
                    web1:
                """);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InventoryLoader.load(file));
        InputError error = e.errors().get(0);
        assertEquals(new Source(file.toString(), 3, 30), error.source());
        assertEquals("ansible_ssh_common_args: ssh option ForwardAgent is not supported: rig applies only "
                + String.join(", ", SshOptions.keywords()), error.message());
    }
}

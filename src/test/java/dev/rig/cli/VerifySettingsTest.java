package dev.rig.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rig verify with an incomplete inventory: every setting it needs is checked before any host or URL is
 * contacted, and each missing one is named (not "unsupported URI https:/api/health").
 */
class VerifySettingsTest {
    @TempDir Path dir;

    private String[] verify(String hostsYml) throws IOException {
        Files.writeString(dir.resolve("hosts.yml"), hostsYml);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        // port 1 on loopback: were anything contacted, it would be refused, never reach a real host
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), "verify", "-i", dir.toString(), "--connect-timeout", "2");
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    @Test
    void httpsWithoutADomainNamesEverySettingBeforeContactingAnything() throws IOException {
        String[] r = verify("""
                all:
                  vars: {ansible_port: 1, monitoring_verify_via: https}
                  children:
                    central: {hosts: {mon-1: {ansible_host: 127.0.0.1}}}
                    edge: {hosts: {app-1: {ansible_host: 127.0.0.1}}}
                """);
        assertEquals("1", r[0], r[2]);
        String err = r[2];
        assertTrue(err.contains("error: mon-1: monitoring_domain is empty; rig verify needs it"), err);
        assertTrue(err.contains("mon-1: monitoring_push_password is empty;"), err);
        assertTrue(err.contains("mon-1: grafana_admin_password is empty;"), err);
        assertTrue(err.contains("monitoring_verify_grafana_url is 'https://', which names no host: set monitoring_domain"), err);
        assertTrue(err.contains("nothing was run on any host"), err);
        assertFalse(err.contains("unsupported URI"), err);
        assertFalse(err.contains("connection refused") || err.contains("cannot reach"), err);
    }

    @Test
    void sshWithoutAPrivateAddressNamesIt() throws IOException {
        String[] r = verify("""
                all:
                  vars: {ansible_port: 1, monitoring_domain: mon.example.test, grafana_admin_password: correct-horse-9}
                  children:
                    central: {hosts: {mon-1: {ansible_host: 127.0.0.1}}}
                    edge: {hosts: {app-1: {ansible_host: 127.0.0.1, monitoring_host_label: ""}}}
                """);
        assertEquals("1", r[0], r[2]);
        assertTrue(r[2].contains("mon-1: monitoring_central_address is empty; rig verify needs it: central's private address"), r[2]);
        assertTrue(r[2].contains("app-1: monitoring_host_label is empty;"), r[2]);
        assertTrue(r[2].contains("2 errors; nothing was run on any host."), r[2]);
    }

    private static final String NO_DOMAIN = """
            all:
              vars: {ansible_port: 1, monitoring_verify_via: https}
              children:
                central: {hosts: {mon-1: {ansible_host: 127.0.0.1}}}
                edge: {hosts: {app-1: {ansible_host: 127.0.0.1}, app-2: {ansible_host: 127.0.0.1}}}
            """;

    private String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
        return new String[] {String.valueOf(code), out.toString(), err.toString()};
    }

    /** apply --verify: a converge that could not be verified is refused before it starts, not reported after it. */
    @Test
    void applyWithVerifyChecksVerifysSettingsBeforeTouchingAnyHost() throws IOException {
        Files.writeString(dir.resolve("hosts.yml"), NO_DOMAIN);
        String[] r = run("apply", "--yes", "--verify", "-i", dir.toString(), "--connect-timeout", "2", "playbooks/site.yml");
        assertEquals("1", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("error: mon-1: monitoring_domain is empty; rig verify needs it"), r[2]);
        assertTrue(r[2].contains("nothing was run on any host"), r[2]);
        assertFalse(r[1].contains("UNREACHABLE") || r[1].contains("PLAY") || r[2].contains("The apply finished"), r[1] + r[2]);
    }

    /** recover ends with rig verify: its settings are checked before Docker is installed on the new central. */
    @Test
    void recoverChecksVerifysSettingsBeforeTouchingAnyHost() throws IOException {
        Files.writeString(dir.resolve("hosts.yml"), NO_DOMAIN);
        String[] r = run("recover", "central", "--to", "app-2", "--no-backup", "-i", dir.toString(), "--connect-timeout", "2", "--playbooks", "playbooks");
        assertEquals("1", r[0], r[1] + r[2]);
        assertTrue(r[2].contains("error: app-2: monitoring_domain is empty; rig verify needs it"), "the new central is named:\n" + r[2]);
        assertTrue(r[2].contains("nothing was run on any host"), r[2]);
        assertFalse(r[1].contains("RECOVER central") || r[1].contains("Docker on"), r[1]);
    }
}

package dev.rig.connect;

import dev.rig.testkit.Rig;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A central domain or host address that does not resolve is reported as "cannot resolve NAME", not "connection refused".
 * rig runs in a JVM of its own whose only name source is a hosts file holding localhost
 * (jdk.net.hosts.file), so the lookup fails for certain and no query leaves the machine.
 */
@Tag("integration")
class UnresolvableNameTest {
    @TempDir Path dir;

    @Test
    void verifyNamesTheDomainItCannotResolve() throws Exception {
        Path hosts = Files.writeString(dir.resolve("hosts"), "127.0.0.1 localhost\n");
        Path inv = Files.createDirectories(dir.resolve("inv"));
        Files.writeString(inv.resolve("hosts.yml"), """
                all:
                  vars: {monitoring_verify_via: https, monitoring_domain: central.rig-test.invalid,
                         monitoring_push_password: push-secret-1, grafana_admin_password: correct-horse-9}
                  children:
                    central: {hosts: {mon-1: {ansible_host: 127.0.0.1}}}
                    edge: {hosts: {app-1: {ansible_host: app-1.rig-test.invalid}}}
                """);
        Rig run = Rig.subprocess(List.of("-Djdk.net.hosts.file=" + hosts), Map.of(), List.of("verify", "-i", inv.toString(), "--log-timeout", "1s"));
        assertEquals(1, run.exit(), run.toString());
        assertTrue(run.all().contains("cannot resolve central.rig-test.invalid"), run.toString());
        // the edge's own address too, when rig connects over SSH to write the log canary
        assertTrue(run.all().contains("cannot connect to app-1 (app-1.rig-test.invalid:22): cannot resolve app-1.rig-test.invalid"), run.toString());
        assertFalse(run.all().toLowerCase(java.util.Locale.ROOT).contains("connection refused"), run.toString());
    }
}

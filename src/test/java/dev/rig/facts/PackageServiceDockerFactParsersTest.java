package dev.rig.facts;

import dev.rig.core.Digests;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.rig.facts.ShellFactParsersTest.fixture;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parsers of the service, package, apt, Docker image, compose and env-file facts on their probes' output
 * (src/test/resources/facts/FACT/CASE.out). dpkg-query, apt-cache policy, the apt stamp, the package-manager
 * detection and the env file were recorded on this Debian 12 machine by running each fact's own probe with sh;
 * so were the answers of a host without systemctl, docker or compose (PATH=/nonexistent) and of a docker client
 * without a daemon. What systemctl show and a running Docker print could not be produced here: those fixtures
 * are written from the documented formats, and each directory's SOURCE.txt says which and from where.
 */
class PackageServiceDockerFactParsersTest {
    private static final String WEB_HASH = "4b5e57f6eb2f42b9039b3d1e13929295f231749c510cbe341cd68036d9af97e2"; // sha256("web"), standing in for compose's config hash

    @Test
    void dpkgStatus() {
        DpkgStatus s = DpkgStatus.parse(fixture("dpkg_status", "bash-libc6-openssh-server-unknown"));
        assertEquals(List.of("bash", "libc6", "openssh-server"), List.copyOf(s.packages().keySet()), "the unknown name prints nothing");
        assertEquals(new DpkgStatus.Package("ii", "5.2.15-2+b8"), s.get("bash"), "status without dpkg's trailing blank");
        assertEquals("1:9.2p1-2+deb12u10", s.get("openssh-server").version(), "the epoch is part of the version");
        assertTrue(s.get("libc6").installed());
        DpkgStatus.Package unknown = s.get("rig-no-such-package");
        assertEquals(DpkgStatus.Package.NONE, unknown);
        assertFalse(unknown.installed());
        assertFalse(unknown.present());

        // dpkg-query(1) db:Status-Abbrev: removed with config files kept; unpacked but not configured; never installed.
        DpkgStatus other = DpkgStatus.parse("nginx\trc \t1.22.1-9\nnano\tiU \t7.2-1\nfoo\tun \t\n");
        assertTrue(other.get("nginx").configOnly());
        assertFalse(other.get("nginx").installed());
        assertFalse(other.get("nginx").present());
        assertTrue(other.get("nano").present());
        assertFalse(other.get("nano").installed());
        assertNull(other.get("foo").version(), "no version: never installed");
        // Not a refusing parser (unknown names print nothing), but a line that is not NAME TAB STATUS TAB VERSION names no package.
        assertEquals(Map.of(), DpkgStatus.parse("dpkg-query: error: --show needs a valid package name\n").packages());
    }

    @Test
    void aptCandidates() {
        AptCandidates c = AptCandidates.parse(fixture("apt_candidates", "upgradable-current-notinstalled-virtual-unknown"));
        assertEquals(Map.of("bash", "5.2.15-2+b13", "openssh-server", "1:9.2p1-2+deb12u10", "nginx", "1.22.1-9+deb12u12"), c.candidates());
        assertEquals(Optional.of("5.2.15-2+b13"), c.candidate("bash"), "the candidate, not the installed 5.2.15-2+b8");
        assertEquals(Optional.empty(), c.candidate("mail-transport-agent"), "Candidate: (none) of a virtual package");
        assertEquals(Optional.empty(), c.candidate("rig-no-such-package"));
        assertEquals(Optional.of("2.36-9+deb12u14"),
                AptCandidates.parse("libc6:i386:\n  Installed: (none)\n  Candidate: 2.36-9+deb12u14\n").candidate("libc6"), "a foreign architecture's block");
        // Not a refusing parser; an error text is no candidate for anything.
        assertEquals(Map.of(), AptCandidates.parse("E: Could not open lock file /var/lib/apt/lists/lock - open (13: Permission denied)\n").candidates());
    }

    @Test
    void aptCacheAge() {
        AptCacheAge noStamp = AptCacheAge.parse(fixture("apt_cache_age", "no-stamp"));
        assertNull(noStamp.updatedAt());
        assertEquals(1796691435L, noStamp.now());
        assertEquals(Optional.empty(), noStamp.seconds(), "no update recorded: age unknown, not zero");
        assertEquals(Optional.of(60L), AptCacheAge.parse("stamp=1796691375\nnow=1796691435\n").seconds());
        assertEquals(Optional.of(0L), AptCacheAge.parse("stamp=1796691500\nnow=1796691435\n").seconds(), "a stamp ahead of the clock");
        assertThrows(NumberFormatException.class, () -> AptCacheAge.parse("stamp=\nnow=1796691435\n"));
    }

    @Test
    void packageManager() {
        PackageManager apt = PackageManager.parse(fixture("package_manager", "apt-with-dpkg"));
        assertTrue(apt.isApt());
        assertEquals(new DpkgStatus.Package("ii", "5.2.15-2+b8"), DpkgStatus.parse(apt.aptOutput()).get("bash"), "apt's own probe follows the mark");
        assertEquals(Map.of("bash", new DpkgStatus.Package("ii", "5.2.15-2+b8")), DpkgStatus.parse(apt.aptOutput()).packages());
        PackageManager none = PackageManager.parse(fixture("package_manager", "no-manager"));
        assertEquals("none", none.name());
        assertFalse(none.isApt());
        assertEquals("", none.aptOutput());
        assertEquals("dnf", PackageManager.parse("@@rig-package-manager dnf\n").name());
        assertThrows(IllegalStateException.class, () -> PackageManager.parse("sh: 1: Syntax error: end of file unexpected\n"));
    }

    @Test
    void serviceState() {
        ServiceState ssh = ServiceState.parse(fixture("service_state", "system-running-enabled"));
        assertEquals(new ServiceState("loaded", "active", "running", "enabled", false), ssh);
        assertTrue(ssh.running());
        assertFalse(ssh.masked());
        assertFalse(ssh.notFound());
        ServiceState masked = ServiceState.parse(fixture("service_state", "system-masked"));
        assertTrue(masked.masked());
        assertFalse(masked.running());
        ServiceState missing = ServiceState.parse(fixture("service_state", "system-not-found"));
        assertTrue(missing.notFound());
        assertEquals("", missing.unitFileState());
        ServiceState failed = ServiceState.parse(fixture("service_state", "system-failed-needs-reload"));
        assertEquals("failed", failed.activeState());
        assertFalse(failed.running());
        assertTrue(failed.needDaemonReload());
        assertEquals("disabled", failed.unitFileState());
        ServiceState global = ServiceState.parse(fixture("service_state", "global-unknown-unit"));
        assertEquals(new ServiceState("global", "unknown", "?", "", false), global, "the global scope knows only the unit file state");
        assertFalse(global.running());
        // The probe of a host without systemctl says so and exits 3; its text is no systemctl show.
        assertThrows(IllegalStateException.class, () -> ServiceState.parse(fixture("service_state", "no-systemctl")));
        assertThrows(IllegalStateException.class, () -> ServiceState.parse(""));
    }

    @Test
    void dockerImageInfo() {
        DockerImageInfo present = DockerImageInfo.parse("prom/prometheus:v2.53.0", fixture("docker_image_info", "present"));
        assertTrue(present.present());
        assertEquals("sha256:5f4c2e9d0e1b7a3c6d8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d", present.id());
        assertNull(present.error());
        DockerImageInfo absent = DockerImageInfo.parse("x", fixture("docker_image_info", "absent"));
        assertEquals(new DockerImageInfo("x", true, null, null), absent);
        assertEquals(new DockerImageInfo("x", false, null, null), DockerImageInfo.parse("x", fixture("docker_image_info", "no-docker")));
        DockerImageInfo down = DockerImageInfo.parse("x", fixture("docker_image_info", "daemon-down"));
        assertFalse(down.present());
        assertEquals("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?", down.error(),
                "docker's message after the empty line it starts with");
        assertThrows(IllegalStateException.class, () -> DockerImageInfo.parse("x", ""));
        assertThrows(IllegalStateException.class, () -> DockerImageInfo.parse("x", "sh: docker: Permission denied\n"));
    }

    @Test
    void composeProjectState() {
        ComposeProjectState s = ComposeProjectState.parse(fixture("compose_project_state", "v2-running-with-orphan-and-oneoff"));
        assertEquals("v2", s.flavor());
        assertEquals(List.of("web", "db", "legacy"), s.containers().stream().map(ComposeProjectState.Container::service).toList(),
                "the one-off run container is left out");
        ComposeProjectState.Container web = s.containers("web").get(0);
        assertEquals("8d1a6c0f3b2e", web.shortId());
        assertEquals(WEB_HASH, web.hash());
        assertEquals("running", web.state());
        assertEquals("exited", s.containers("db").get(0).state());
        assertEquals(List.of("3f6a2b1c9d8e"), s.networks());
        assertEquals(Map.of("web", WEB_HASH, "db", "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"), s.expected());
        assertEquals(List.of("legacy"), s.orphans());
        assertNull(s.configError());
        assertNull(s.error());

        ComposeProjectState bad = ComposeProjectState.parse(fixture("compose_project_state", "v2-config-error"));
        assertEquals("validating /srv/monitoring/compose.yml: services.web Additional property imgae is not allowed", bad.configError());
        ComposeProjectState down = ComposeProjectState.parse(fixture("compose_project_state", "v1-daemon-down"));
        assertEquals("v1", down.flavor());
        assertEquals("Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?", down.error());
        assertEquals(List.of(), down.containers());
        ComposeProjectState none = ComposeProjectState.parse(fixture("compose_project_state", "no-compose"));
        assertEquals("none", none.flavor());
        assertEquals(Map.of(), none.expected());
        // Not a refusing parser (each kind of line is optional), but a container line short of its fields is no container.
        assertEquals(List.of(), ComposeProjectState.parse("flavor=v2\ncontainer=8d1a6c0f3b2e web\n").containers());
    }

    @Test
    void envFileLines() {
        EnvFileLines env = EnvFileLines.parse(fixture("env_file_lines", "five-lines-comment-repeat-no-final-newline"));
        assertEquals(List.of("GRAFANA_ADMIN", "NO_NEWLINE_AT_END", "POSTGRES_PASSWORD"), List.copyOf(env.lineSha256().keySet()),
                "the comment left out, the repeated name once");
        assertEquals(sha256("POSTGRES_PASSWORD=changed"), env.lineSha256().get("POSTGRES_PASSWORD"), "the later line wins, as in compose");
        assertEquals(sha256("GRAFANA_ADMIN=admin"), env.lineSha256().get("GRAFANA_ADMIN"), "the whole line's sha256, as ComposeModule computes it");
        assertEquals(sha256("NO_NEWLINE_AT_END=x"), env.lineSha256().get("NO_NEWLINE_AT_END"), "a last line without a newline is read");
        assertEquals(Map.of(), EnvFileLines.parse(fixture("env_file_lines", "absent")).lineSha256());
        // A host whose sha256sum printed nothing: refused, not read as a line that changed.
        assertThrows(IllegalStateException.class, () -> EnvFileLines.parse("env=POSTGRES_PASSWORD \n"));
    }

    private static String sha256(String line) {
        return Digests.sha256(line.getBytes(StandardCharsets.UTF_8));
    }
}

package dev.rig.docker;

import dev.rig.modules.Args;
import dev.rig.modules.Module;
import dev.rig.modules.ModuleContext;
import dev.rig.modules.Modules;
import dev.rig.modules.Outcome;
import dev.rig.plan.Action;
import dev.rig.plan.HostCommand;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * apt, apt_repository, service, user and os_release as plain values: what a host printed (its probe
 * output) in, the decision and its commands out. The same modules run for real in {@link SystemdHostTest}.
 */
class PackageAndServiceModulesTest {
    static final Modules MODULES = new Modules();

    static Outcome plan(String module, String probeOutput, Object... namesAndValues) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) values.put((String) namesAndValues[i], namesAndValues[i + 1]);
        Module m = MODULES.get(module);
        Args args = new Args(values);
        ModuleContext ctx = ModuleContext.forTest(Map.of(), List.of());
        assertTrue(m.probe(args, ctx) != null, "every module here reads the host");
        return m.plan(args, probeOutput, ctx);
    }

    static List<String> descriptions(Outcome o) {
        return o.change().commands().stream().map(HostCommand::description).toList();
    }

    static String scripts(Outcome o) {
        return String.join("\n", o.change().commands().stream().map(HostCommand::script).toList());
    }

    /** What the apt probe prints: its parts, framed as ProbeParts frames them. */
    static String aptProbe(String dpkg, String policy, String cache) {
        return "\n@@rig-part tools\n\n@@rig-part dpkg\n" + dpkg + "\n@@rig-part policy\n" + policy + "\n@@rig-part cache\n" + cache + "\n";
    }

    static final String HELLO_POLICY = "hello:\n  Installed: (none)\n  Candidate: 2.10-3\n  Version table:\n     2.10-3 500\n";
    static final String FRESH = "stamp=1000\nnow=1100";

    // ---- apt ----------------------------------------------------------------------------------

    @Test
    void aptInstallsAMissingPackageWithoutRefreshingAFreshCache() {
        Outcome o = plan("apt", aptProbe("", HELLO_POLICY, FRESH), "name", "hello", "update_cache", true, "cache_valid_time", 3600);
        assertEquals(List.of("apt-get install hello"), descriptions(o));
        assertEquals(Action.CREATE, o.change().action());
        assertEquals(Map.of("hello", "absent"), o.change().diffs().get(0).before());
        assertEquals(Map.of("hello", "2.10-3"), o.change().diffs().get(0).after());
        assertTrue(scripts(o).contains("export DEBIAN_FRONTEND=noninteractive"), "never asks a question");
        assertTrue(scripts(o).contains("'Could not get lock'"), "waits for a held lock");
    }

    @Test
    void aptRefreshesAStaleCacheBeforeInstalling() {
        Outcome o = plan("apt", aptProbe("", HELLO_POLICY, "stamp=1000\nnow=9000"), "name", "hello", "update_cache", true, "cache_valid_time", 3600);
        assertEquals(List.of("apt-get update", "apt-get install hello"), descriptions(o));
        assertTrue(o.message().contains("update the apt cache (8000 s old)"), o.message());
    }

    @Test
    void aptIsOkWhenInstalledAndTheCacheIsFresh() {
        Outcome o = plan("apt", aptProbe("hello\tii \t2.10-3", HELLO_POLICY.replace("(none)", "2.10-3"), FRESH),
                "name", List.of("hello"), "update_cache", true, "cache_valid_time", 3600);
        assertFalse(o.change().changes(), o::message);
        assertEquals("hello installed", o.message());
    }

    @Test
    void aptLatestUpgradesWhenTheCacheKnowsANewerVersion() {
        String policy = "hello:\n  Installed: 2.10-2\n  Candidate: 2.10-3\n";
        Outcome o = plan("apt", aptProbe("hello\tii \t2.10-2", policy, FRESH), "name", "hello", "state", "latest");
        assertEquals(List.of("apt-get install hello"), descriptions(o));
        assertEquals(Action.UPDATE, o.change().action());
        assertFalse(plan("apt", aptProbe("hello\tii \t2.10-3", policy.replace("2.10-2", "2.10-3"), FRESH), "name", "hello", "state", "latest")
                .change().changes());
    }

    @Test
    void aptPinnedVersionIsInstalledWhenAnotherIsThere() {
        Outcome o = plan("apt", aptProbe("hello\tii \t2.10-2", "hello:\n  Installed: 2.10-2\n  Candidate: 2.10-3\n", FRESH), "name", "hello=2.10-2");
        assertFalse(o.change().changes(), "the pinned version is the installed one");
        Outcome other = plan("apt", aptProbe("hello\tii \t2.10-3", "hello:\n  Installed: 2.10-3\n  Candidate: 2.10-3\n", FRESH), "name", "hello=2.10-2");
        assertEquals(List.of("apt-get install hello=2.10-2"), descriptions(other));
    }

    @Test
    void aptRemovesInstalledPackagesAndLeavesAbsentOnes() {
        Outcome o = plan("apt", aptProbe("hello\tii \t2.10-3\nsl\trc \t5.02-1", "", FRESH), "name", List.of("hello", "sl", "nope"), "state", "absent");
        assertEquals(List.of("apt-get remove hello"), descriptions(o));
        assertEquals(Action.DELETE, o.change().action());
        Outcome purge = plan("apt", aptProbe("hello\tii \t2.10-3\nsl\trc \t5.02-1", "", FRESH), "name", List.of("hello", "sl"), "state", "absent", "purge", true);
        assertEquals(List.of("apt-get remove --purge hello sl"), descriptions(purge), "purge also clears left-over config files");
    }

    @Test
    void aptHalfConfiguredPackageIsInstalledAgain() {
        Outcome o = plan("apt", aptProbe("hello\tiF \t2.10-3", HELLO_POLICY, FRESH), "name", "hello");
        assertEquals(List.of("apt-get install hello"), descriptions(o));
    }

    @Test
    void aptUnknownPackageFailsWithoutUpdateCacheAndRefreshesWithIt() {
        Outcome fails = plan("apt", aptProbe("", "", FRESH), "name", "docker-ce");
        assertTrue(fails.failed());
        assertEquals("no package named docker-ce in this host's apt cache (update_cache: true refreshes it first); is a repository missing?", fails.message());
        Outcome refreshes = plan("apt", aptProbe("", "", FRESH), "name", "docker-ce", "update_cache", true, "cache_valid_time", 3600);
        assertEquals(List.of("apt-get update", "apt-get install docker-ce"), descriptions(refreshes),
                "a repository added earlier in the run is only in a refreshed cache");
    }

    @Test
    void aptUpdateCacheAloneRunsEachTimeUnlessCacheValidTimeSaysFresh() {
        Outcome always = plan("apt", aptProbe("", "", FRESH), "update_cache", true);
        assertEquals(List.of("apt-get update"), descriptions(always));
        assertEquals(Action.RUN, always.change().action());
        assertFalse(plan("apt", aptProbe("", "", FRESH), "update_cache", true, "cache_valid_time", 3600).change().changes());
        assertTrue(plan("apt", aptProbe("", "", "now=5"), "update_cache", true, "cache_valid_time", 3600).change().changes(),
                "a cache rig never refreshed counts as stale");
    }

    @Test
    void aptRecommendsOnlyWhenAsked() {
        assertFalse(scripts(plan("apt", aptProbe("", HELLO_POLICY, FRESH), "name", "hello")).contains("recommends"));
        assertTrue(scripts(plan("apt", aptProbe("", HELLO_POLICY, FRESH), "name", "hello", "install_recommends", false)).contains("--no-install-recommends"));
    }

    @Test
    void aptRefusesWhatIsNotAPackageName() {
        Args.ArgumentException e = assertThrows(Args.ArgumentException.class, () -> plan("apt", aptProbe("", "", FRESH), "name", "hello; rm -rf /"));
        assertTrue(e.getMessage().contains("is not a Debian package name"), e.getMessage());
    }

    // ---- apt_repository ------------------------------------------------------------------------

    static final String KEY = "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nabc\n-----END PGP PUBLIC KEY BLOCK-----\n";

    @Test
    void aptRepositoryWritesDeb822SourcesAndAnArmoredKeyring() {
        Outcome o = plan("apt_repository", "\n@@rig-part sources\nkind=absent\n@@rig-part key0\nkind=absent\n",
                "name", "docker", "uris", "https://download.docker.com/linux/debian", "suites", List.of("bookworm"),
                "components", List.of("stable"), "architectures", List.of("amd64"), "key_content", KEY);
        assertEquals(List.of("mkdir /etc/apt/keyrings", "write /etc/apt/keyrings/docker.asc (" + KEY.length() + " bytes)",
                "write /etc/apt/sources.list.d/docker.sources (" + sources().length() + " bytes)", "apt-get update"), descriptions(o));
        assertEquals(sources(), o.change().diffs().get(1).afterText());
        assertEquals(KEY, new String(o.change().commands().get(1).stdin(), StandardCharsets.UTF_8));
    }

    static String sources() {
        return "# Managed by rig\nTypes: deb\nURIs: https://download.docker.com/linux/debian\nSuites: bookworm\nComponents: stable\n"
                + "Architectures: amd64\nSigned-By: /etc/apt/keyrings/docker.asc\n";
    }

    @Test
    void aptRepositoryIsOkWhenBothFilesMatch() {
        String sourcesSha = sha256(sources());
        String keySha = sha256(KEY);
        String probe = "\n@@rig-part sources\nkind=file\nmode=644\nowner=root\ngroup=root\nsize=1\nsha256=" + sourcesSha
                + "\n@@rig-part key0\nkind=file\nmode=644\nowner=root\ngroup=root\nsize=1\nsha256=" + keySha + "\n";
        Outcome o = plan("apt_repository", probe, "name", "docker", "uris", "https://download.docker.com/linux/debian", "suites", "bookworm",
                "components", "stable", "architectures", "amd64", "key_content", KEY);
        assertFalse(o.change().changes(), () -> descriptions(o).toString());
    }

    @Test
    void aptRepositoryAbsentRemovesTheSourcesAndTheDefaultKeyring() {
        String probe = "\n@@rig-part sources\nkind=file\nmode=644\nowner=root\ngroup=root\nsize=1\n@@rig-part key0\nkind=file\nmode=644\nowner=root\ngroup=root\nsize=1"
                + "\n@@rig-part key1\nkind=absent\n";
        Outcome o = plan("apt_repository", probe, "name", "docker", "state", "absent", "update_cache", false);
        assertEquals(List.of("remove /etc/apt/sources.list.d/docker.sources", "remove /etc/apt/keyrings/docker.asc"), descriptions(o));
        assertEquals(Action.DELETE, o.change().action());
    }

    static String sha256(String s) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- service -------------------------------------------------------------------------------

    static String show(String active, String fileState, String needReload) {
        return "LoadState=loaded\nActiveState=" + active + "\nSubState=x\nUnitFileState=" + fileState + "\nNeedDaemonReload=" + needReload + "\n";
    }

    @Test
    void serviceStartsAndEnablesAStoppedDisabledUnit() {
        Outcome o = plan("service", show("inactive", "disabled", "no"), "name", "docker", "state", "started", "enabled", true);
        assertEquals(List.of("systemctl enable docker.service", "systemctl start docker.service"), descriptions(o));
        assertEquals("enable, start docker.service", o.message());
    }

    @Test
    void serviceIsOkWhenRunningAndEnabled() {
        Outcome o = plan("service", show("active", "enabled", "no"), "name", "docker.service", "state", "started", "enabled", true);
        assertFalse(o.change().changes());
        assertEquals("docker.service is active, enabled", o.message());
    }

    @Test
    void serviceRestartAlwaysRuns() {
        Outcome o = plan("service", show("active", "enabled", "no"), "name", "docker", "state", "restarted");
        assertEquals(List.of("systemctl restart docker.service"), descriptions(o));
        assertEquals(Action.RUN, o.change().action());
    }

    @Test
    void serviceReloadsSystemdOnlyWhenAUnitFileChangedOnDisk() {
        Outcome o = plan("service", show("active", "enabled", "yes"), "name", "docker", "state", "started", "daemon_reload", true);
        assertEquals(List.of("systemctl daemon-reload"), descriptions(o));
        assertFalse(plan("service", show("active", "enabled", "no"), "name", "docker", "state", "started", "daemon_reload", true).change().changes());
    }

    @Test
    void serviceClearsAFailedUnitsRateLimitBeforeStartingIt() {
        Outcome o = plan("service", show("failed", "enabled", "no"), "name", "docker", "state", "started");
        assertEquals(List.of("systemctl reset-failed docker.service", "systemctl start docker.service"), descriptions(o));
    }

    @Test
    void serviceNotInstalledYetIsPlannedAndMaskedFails() {
        Outcome missing = plan("service", "LoadState=not-found\nActiveState=inactive\nUnitFileState=\nNeedDaemonReload=no\n",
                "name", "docker", "state", "started", "enabled", true);
        assertEquals("enable, start docker.service (not installed yet)", missing.message());
        Outcome stopMissing = plan("service", "LoadState=not-found\nActiveState=inactive\nUnitFileState=\n", "name", "docker", "state", "stopped");
        assertFalse(stopMissing.change().changes(), "nothing to stop");
        Outcome masked = plan("service", "LoadState=masked\nActiveState=inactive\nUnitFileState=masked\n", "name", "docker", "state", "started");
        assertTrue(masked.failed());
        assertEquals("unit docker.service is masked; unmask it before starting or enabling it", masked.message());
    }

    @Test
    void serviceLeavesStaticUnitsEnablement() {
        assertFalse(plan("service", show("active", "static", "no"), "name", "systemd-journald", "enabled", true).change().changes());
    }

    // ---- user ----------------------------------------------------------------------------------

    static final String DEPLOY = "passwd=deploy:x:1000:1000::/home/deploy:/bin/bash\ngroups=deploy adm\nprimary=deploy\n";

    @Test
    void userAppendAddsOnlyMissingGroups() {
        Outcome o = plan("user", DEPLOY, "name", "deploy", "groups", List.of("docker", "adm"), "append", true);
        assertEquals(List.of("add deploy to docker"), descriptions(o));
        assertTrue(scripts(o).contains("usermod --append --groups docker deploy"), scripts(o));
        assertFalse(plan("user", DEPLOY.replace("deploy adm", "deploy adm docker"), "name", "deploy", "groups", "docker", "append", true).change().changes());
    }

    @Test
    void userGroupsWithoutAppendSetsTheExactList() {
        Outcome o = plan("user", DEPLOY, "name", "deploy", "groups", List.of("docker"));
        assertEquals(List.of("set the groups of deploy to docker"), descriptions(o));
        assertEquals(Map.of("groups", "adm"), o.change().diffs().get(0).before());
    }

    @Test
    void userIsCreatedAndRemoved() {
        Outcome create = plan("user", "passwd=\n", "name", "deploy", "shell", "/bin/bash", "groups", "docker");
        assertEquals("useradd --create-home --shell /bin/bash --groups docker deploy", scripts(create));
        assertEquals(Action.CREATE, create.change().action());
        assertEquals("userdel deploy", scripts(plan("user", DEPLOY, "name", "deploy", "state", "absent")));
        assertFalse(plan("user", "passwd=\n", "name", "deploy", "state", "absent").change().changes());
    }

    // ---- os_release ----------------------------------------------------------------------------

    @Test
    void osReleaseSetsTheFactFromTheFile() {
        String probe = "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nID=debian\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\n\n"
                + "@@uname machine=x86_64\n@@uname dpkg_architecture=amd64\n";
        Outcome o = plan("os_release", probe);
        @SuppressWarnings("unchecked")
        Map<String, Object> fact = (Map<String, Object>) o.facts().get("os_release");
        assertEquals("debian", fact.get("id"));
        assertEquals("12", fact.get("version_id"));
        assertEquals("bookworm", fact.get("version_codename"));
        assertEquals("amd64", fact.get("dpkg_architecture"));
        assertEquals("Debian GNU/Linux 12 (bookworm) (x86_64)", o.message());
        assertTrue(plan("os_release", "\n@@uname machine=x86_64\n").failed(), "no os-release: the OS is unknown");
    }
}

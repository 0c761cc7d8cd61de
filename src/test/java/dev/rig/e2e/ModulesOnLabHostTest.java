package dev.rig.e2e;

import com.sun.net.httpserver.HttpServer;
import dev.rig.lab.LabFleet;
import dev.rig.testkit.LabHosts;
import dev.rig.testkit.Rig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.rig.testkit.Steps.step;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * stat, blockinfile, get_url and validate/backup through the rig command line on a real lab host
 * (mods1), downloading from an HTTP server on a spare address that counts its requests; the host
 * settings (sysctl, hostname, time zone...) on a second one (mods2) with a private /etc and a
 * network namespace of its own, so that its net.ipv4.ip_forward is not the machine's. Addresses from
 * {@link LabHosts}. The steps build on each other's files and request counts, so they are one test;
 * a failure names its step.
 */
@Tag("integration")
class ModulesOnLabHostTest {
    @RegisterExtension
    static final LabHosts lab = LabHosts.named("mods1").withSpareAddresses(1);
    @RegisterExtension
    static final LabHosts settingsLab = LabHosts.named("mods2").inOwnNetworks();
    /** The test's HTTP server, on lab's spare address: the playbooks' base. */
    static String base;

    static final Path PLAYBOOK = Path.of("src/test/resources/modules-lab/files-playbook.yml").toAbsolutePath();
    static final byte[] APP = "release 1.0\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
    static final String APP_SHA = sha256(APP);

    static Path dir;
    static LabFleet fleet;
    static Path inventory;
    static LabFleet settingsFleet;
    static Path settingsInventory;
    static String machineForwarding;
    static HttpServer http;
    static final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    static final List<String> posted = new java.util.concurrent.CopyOnWriteArrayList<>();
    static volatile byte[] motd = "welcome\n".getBytes(StandardCharsets.UTF_8);

    @BeforeAll
    static void start() throws IOException {
        dir = lab.dir();
        fleet = lab.fleet();
        inventory = lab.inventory().resolve("hosts.yml");
        machineForwarding = Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward"));
        settingsFleet = settingsLab.fleet();
        settingsInventory = settingsLab.inventory().resolve("hosts.yml");
        base = "http://" + lab.spareAddress(0) + ":8080";
        http = HttpServer.create(new InetSocketAddress(lab.spareAddress(0), 8080), 0);
        http.createContext("/dl/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(path, k -> new AtomicInteger()).incrementAndGet();
            byte[] body = switch (path) {
                case "/dl/app.tgz" -> APP;
                case "/dl/SHA256SUMS" -> ("0000000000000000000000000000000000000000000000000000000000000000  other.tgz\n" + APP_SHA + " *app.tgz\n")
                        .getBytes(StandardCharsets.UTF_8);
                case "/dl/motd" -> motd;
                default -> null;
            };
            if (body == null) {
                exchange.sendResponseHeaders(404, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
            exchange.close();
        });
        http.createContext("/api/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            requests.computeIfAbsent(exchange.getRequestMethod() + " " + path, k -> new AtomicInteger()).incrementAndGet();
            byte[] in = exchange.getRequestBody().readAllBytes();
            int code;
            byte[] body;
            if (path.equals("/api/health") && "rig".equals(exchange.getRequestHeaders().getFirst("X-Probe"))) {
                code = 200;
                body = "{\"status\": \"up\"}".getBytes(StandardCharsets.UTF_8);
            } else if (path.equals("/api/deploy") && exchange.getRequestMethod().equals("POST")) {
                posted.add(exchange.getRequestHeaders().getFirst("Content-Type") + " " + new String(in, StandardCharsets.UTF_8));
                code = 201;
                body = "created".getBytes(StandardCharsets.UTF_8);
            } else {
                code = 404;
                body = "not here".getBytes(StandardCharsets.UTF_8);
            }
            exchange.sendResponseHeaders(code, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
            exchange.close();
        });
        http.start();
    }

    @AfterAll
    static void stop() throws IOException {
        if (http != null) http.stop(0); // LabHosts stops both fleets after this
        assertMachineForwardingUntouched();
    }

    /** Checked with mods2's forwarding at 0 and at 1: whichever the machine's is, one of them would show a leak. */
    static void assertMachineForwardingUntouched() throws IOException {
        assertEquals(machineForwarding, Files.readString(Path.of("/proc/sys/net/ipv4/ip_forward")),
                "the machine's own forwarding is untouched: the sysctl tests change mods2's network only");
    }

    static Rig rig(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "-i", inventory.toString(), "--known-hosts", fleet.knownHosts().toString(),
                "-e", "app_sha=" + APP_SHA, "-e", "base=" + base));
        args.addAll(List.of(more));
        args.add(PLAYBOOK.toString());
        return Rig.run(args);
    }

    static int requests(String path) {
        return requests.getOrDefault(path, new AtomicInteger()).get();
    }

    static String onHost(String cmd) {
        return fleet.exec("mods1", cmd);
    }

    @Test
    void modulesOnLabHostsStepByStep() {
        step("first apply", ModulesOnLabHostTest::firstApplyWritesValidatedFilesAndDownloadsOnceThenNothingChanges);
        step("failing validation", ModulesOnLabHostTest::contentThatFailsValidationNeverReplacesTheFile);
        step("changed remote file", ModulesOnLabHostTest::aChangedRemoteFileIsFetchedAgainOnlyWithForce);
        step("host settings", ModulesOnLabHostTest::hostSettingsGitAndUnarchiveConvergeOnceThenStayOk);
        step("drift and new versions", ModulesOnLabHostTest::driftAndNewVersionsAreSeenAndFixed);
        step("uri", ModulesOnLabHostTest::uriReadsInThePlanAndPostsOnlyAtApply);
        step("wget", ModulesOnLabHostTest::withoutCurlWgetDownloadsAndSha512Checks);
        step("delegated uri", ModulesOnLabHostTest::uriDelegatedToLocalhostAsksFromTheOperatorsMachine);
    }

    private static void firstApplyWritesValidatedFilesAndDownloadsOnceThenNothingChanges() {
        onHost("printf 'HostKey /etc/ssh/ssh_host_ed25519_key\\nHostKey /etc/ssh/ssh_host_ecdsa_key\\nPort 22\\n' > /srv/app-sshd; true");
        onHost("mkdir -p /srv/app && cp /srv/app-sshd /srv/app/sshd_config");
        onHost("mkdir -p /srv/app/tree/sub && touch /srv/app/tree/sub/f && chmod 600 /srv/app/tree/sub/f && echo old > /srv/app/current");
        Rig first = rig("apply", "--yes");
        assertEquals(0, first.exit(), first::toString);
        assertEquals("# BEGIN rig sudo\ndeploy ALL=(ALL) NOPASSWD: /usr/bin/systemctl\n# END rig sudo\n", onHost("cat /srv/app/sudoers"));
        assertEquals("440\n", onHost("stat -c %a /srv/app/sudoers"));
        assertEquals("HostKey /etc/ssh/ssh_host_ed25519_key\nHostKey /etc/ssh/ssh_host_ecdsa_key\nPort 2222\n", onHost("cat /srv/app/sshd_config"),
                "the old Port line replaced (regexp wins over insertafter)");
        assertEquals(APP_SHA + "  -\n", onHost("sha256sum < /srv/app/app.tgz"));
        assertEquals("640\n", onHost("stat -c %a /srv/app/app.tgz"));
        assertEquals(APP_SHA + "  -\n", onHost("sha256sum < /opt/app.tgz"), "downloaded into the directory under the URL's name");
        assertEquals("welcome\n", onHost("cat /srv/app/motd"));
        assertEquals(2, requests("/dl/app.tgz"));
        assertEquals("750 750 750\n", onHost("stat -c %a /srv/app/tree /srv/app/tree/sub /srv/app/tree/sub/f | tr '\\n' ' ' | sed 's/ $/\\n/'"));
        assertEquals("/srv/app/app.tgz\n", onHost("readlink /srv/app/current"), "force: the file became the link");
        assertEquals("1", onHost("ls /srv/app | grep -c '^sshd_config\\..*~$'").strip(), "one backup of the old sshd_config");
        assertEquals("440 deploy ALL=(ALL) NOPASSWD: /usr/bin/journalctl\n", onHost("stat -c '%a ' /srv/app/sudoers-copy | tr -d '\\n'; cat /srv/app/sudoers-copy"));
        assertEquals("HostKey /etc/ssh/ssh_host_ed25519_key\nPort 2200\n", onHost("cat /srv/app/sshd-template"), "the template passed sshd -t");
        assertEquals("/srv/www/site/css/site.css\n/srv/www/site/index.html\n", onHost("find /srv/www -type f | sort"), "the directory itself under dest");
        assertEquals("/srv/flat/css 750\n/srv/flat/css/site.css 640\n/srv/flat/index.html 640\n",
                onHost("find /srv/flat -mindepth 1 -printf '%p %m\\n' | sort"), "its contents into dest");
        assertEquals("h1 { color: teal }\n", onHost("cat /srv/mirror/css/site.css"), "remote_src: a directory on the host");
        assertEquals(APP_SHA + "  -\n", onHost("sha256sum < /srv/app/app-copy.tgz"), "remote_src: a file on the host");

        int sums = requests("/dl/SHA256SUMS");
        int motds = requests("/dl/motd");
        Rig second = rig("apply", "--yes");
        assertEquals(0, second.exit(), second::toString);
        assertTrue(second.out().matches("(?s).*mods1 +: ok=\\d+ +changed=0 .*"), second::toString);
        assertEquals(2, requests("/dl/app.tgz"), "a no-op run downloads nothing: the checksums match");
        assertEquals(motds + 1, requests("/dl/motd"), "force: the probe hashed the body once, nothing stored");
        assertEquals(sums + 1, requests("/dl/SHA256SUMS"));
    }

    private static void contentThatFailsValidationNeverReplacesTheFile() {
        Rig badSudo = rig("apply", "--yes", "-e", "sudo_rule=deploy ALL=(ALL NOPASSWD");
        assertEquals(1, badSudo.exit(), badSudo::toString);
        assertTrue(badSudo.out().contains("failed to validate /srv/app/sudoers with visudo -cf %s"), badSudo::toString);
        assertTrue(onHost("cat /srv/app/sudoers").contains("NOPASSWD: /usr/bin/systemctl"), "the old rule stays");

        Rig badPort = rig("apply", "--yes", "-e", "ssh_port=banana");
        assertEquals(1, badPort.exit(), badPort::toString);
        assertTrue(badPort.out().contains("failed to validate /srv/app/sshd_config"), badPort::toString);
        assertTrue(onHost("cat /srv/app/sshd_config").contains("Port 2222\n"));

        Rig badCopy = rig("apply", "--yes", "-e", "copy_rule=deploy ALL=(ALL NOPASSWD");
        assertEquals(1, badCopy.exit(), badCopy::toString);
        assertTrue(badCopy.out().contains("failed to validate /srv/app/sudoers-copy with visudo -cf %s"), badCopy::toString);
        assertEquals("deploy ALL=(ALL) NOPASSWD: /usr/bin/journalctl\n", onHost("cat /srv/app/sudoers-copy"), "copy: the old rule stays");

        Rig badTemplate = rig("apply", "--yes", "-e", "template_port=banana");
        assertEquals(1, badTemplate.exit(), badTemplate::toString);
        assertTrue(badTemplate.out().contains("failed to validate /srv/app/sshd-template with /usr/sbin/sshd -t -f %s"), badTemplate::toString);
        assertEquals("HostKey /etc/ssh/ssh_host_ed25519_key\nPort 2200\n", onHost("cat /srv/app/sshd-template"), "template: the old file stays");
        assertEquals("0", onHost("ls /srv/app | grep -c '^sshd-template\\..*~$' || true").strip(), "no backup of a write that never happened");
        assertEquals("", onHost("ls -a /srv/app | grep '^\\.rig-' || true"), "no temp file left behind");
    }

    private static void aChangedRemoteFileIsFetchedAgainOnlyWithForce() {
        motd = "welcome back\n".getBytes(StandardCharsets.UTF_8);
        onHost("echo edited by hand > /srv/flat/index.html");
        Rig plan = rig("plan", "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan::toString);
        assertTrue(plan.out().contains("download " + base + "/dl/motd"), plan::toString);
        assertTrue(plan.out().contains("write /srv/flat/index.html"), plan::toString);
        assertFalse(plan.out().contains("write /srv/flat/css/site.css"), () -> "only the file that differs\n" + plan);
        Rig apply = rig("apply", "--yes");
        assertEquals(0, apply.exit(), apply::toString);
        assertEquals("welcome back\n", onHost("cat /srv/app/motd"));
        assertEquals("<h1>rig</h1>\n", onHost("cat /srv/flat/index.html"));
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static final Path HOST_PLAYBOOK = Path.of("src/test/resources/modules-lab/host-playbook.yml").toAbsolutePath();
    static final String DEPLOY_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIFx0Rm9vQmFyQmF6UXV4UXV1eFF1dXhRdXV4UXV1eA== deploy@ci";
    static final String OTHER_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEhhbmRXcml0dGVuSGFuZFdyaXR0ZW5IYW5kV3JpdHRlbg== by-hand";

    static Rig host(String command, String... more) {
        List<String> args = new ArrayList<>(List.of(command, "-i", settingsInventory.toString(), "--known-hosts", settingsFleet.knownHosts().toString(),
                "-e", "deploy_key=" + DEPLOY_KEY));
        args.addAll(List.of(more));
        args.add(HOST_PLAYBOOK.toString());
        return Rig.run(args);
    }

    static String onSettingsHost(String cmd) {
        return settingsFleet.exec("mods2", cmd);
    }

    static String commit(String message) {
        return onSettingsHost("cd /srv/work && echo " + message + " > file && git add file && git -c user.name=t -c user.email=t@t commit -qm " + message
                + " && git push -q origin main && git rev-parse HEAD").strip();
    }

    private static void hostSettingsGitAndUnarchiveConvergeOnceThenStayOk() throws IOException {
        // A private /etc for this host (an overlay in its mount namespace): hostname, time zone and sysctl.d land there.
        onSettingsHost("mkdir -p /srv/etc-up /srv/etc-work && mount -t overlay overlay -o lowerdir=/etc,upperdir=/srv/etc-up,workdir=/srv/etc-work /etc"
                + " && mkdir -p /root/.ssh && echo '" + OTHER_KEY + "' > /root/.ssh/authorized_keys");
        onSettingsHost("sysctl -qw net.ipv4.ip_forward=0; git init -q --bare -b main /srv/repo.git && git clone -q /srv/repo.git /srv/work 2>/dev/null; true");
        onSettingsHost("set -e; mkdir -p /srv/build/rel/bin; printf 'tool 1\\n' > /srv/build/rel/bin/tool; cd /srv/build;"
                + " tar -cJf /srv/rel.tar.xz rel; tar --zstd -cf /srv/rel.tar.zst rel; zip -qr /srv/rel.zip rel");
        assertEquals("0\n", onSettingsHost("sysctl -n net.ipv4.ip_forward"));
        assertMachineForwardingUntouched();
        String first = commit("one");

        Rig apply = host("apply", "--yes");
        assertEquals(0, apply.exit(), apply::toString);
        assertEquals("1\n", onSettingsHost("sysctl -n net.ipv4.ip_forward"));
        assertMachineForwardingUntouched();
        assertEquals("net.ipv4.ip_forward=1\n", onSettingsHost("cat /srv/etc-up/sysctl.d/99-rig.conf"), "written to the host's own /etc");
        assertEquals(OTHER_KEY + "\nno-port-forwarding " + DEPLOY_KEY + "\n", onSettingsHost("cat /root/.ssh/authorized_keys"));
        assertEquals("600 root\n", onSettingsHost("stat -c '%a %U' /root/.ssh/authorized_keys"));
        assertEquals("mods-web-1\n", onSettingsHost("hostname; true"));
        assertEquals("mods-web-1\n", onSettingsHost("cat /etc/hostname"));
        assertEquals("/usr/share/zoneinfo/Europe/Berlin\n", onSettingsHost("readlink /etc/localtime"));
        assertEquals("Europe/Berlin\n", onSettingsHost("cat /etc/timezone"));
        assertEquals(first + "\n", onSettingsHost("git -C /srv/checkout rev-parse HEAD"));
        assertEquals("port=8080\n", onSettingsHost("cat /opt/app/conf/app.conf"));
        assertEquals("755\n", onSettingsHost("stat -c %a /opt/app/run"));
        assertEquals("tool 1\ntool 1\ntool 1\n", onSettingsHost("cat /opt/xz/rel/bin/tool /opt/zst/rel/bin/tool /opt/zip/rel/bin/tool"),
                "xz, zstd and zip archives on the host unpacked there");

        Rig again = host("apply", "--yes");
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.out().matches("(?s).*mods2 +: ok=\\d+ +changed=0 .*"), again::toString);
    }

    private static void driftAndNewVersionsAreSeenAndFixed() throws IOException {
        String second = commit("two");
        onSettingsHost("sysctl -qw net.ipv4.ip_forward=0; echo port=1 > /opt/app/conf/app.conf; echo edited > /opt/zip/rel/bin/tool");
        Rig plan = host("plan", "--detailed-exitcode");
        assertEquals(2, plan.exit(), plan::toString);
        assertTrue(plan.out().contains("(live value was 0)"), plan::toString);
        assertTrue(plan.out().contains("update /srv/checkout to main"), plan::toString);
        assertTrue(plan.out().contains("(1 member differ)"), plan::toString);

        Rig apply = host("apply", "--yes", "-e", "exclusive=true", "-e", "zone=UTC", "-e", "host_name=mods-web-2");
        assertEquals(0, apply.exit(), apply::toString);
        assertEquals("1\n", onSettingsHost("sysctl -n net.ipv4.ip_forward"));
        assertEquals(second + "\n", onSettingsHost("git -C /srv/checkout rev-parse HEAD"));
        assertEquals("port=8080\n", onSettingsHost("cat /opt/app/conf/app.conf"));
        assertEquals("tool 1\n", onSettingsHost("cat /opt/zip/rel/bin/tool"), "a hand edit under a remote zip's dest is seen and undone");
        assertEquals("no-port-forwarding " + DEPLOY_KEY + "\n", onSettingsHost("cat /root/.ssh/authorized_keys"), "exclusive: the hand-written key went");
        assertEquals("mods-web-2\n", onSettingsHost("hostname; true"));
        assertEquals("/usr/share/zoneinfo/UTC\n", onSettingsHost("readlink /etc/localtime"));

        onSettingsHost("echo local > /srv/checkout/file");
        commit("three");
        Rig modified = host("apply", "--yes", "-e", "exclusive=true", "-e", "zone=UTC", "-e", "host_name=mods-web-2");
        assertEquals(1, modified.exit(), modified::toString);
        assertTrue(modified.out().contains("local modifications exist in the checkout /srv/checkout (force: true discards them)"), modified::toString);
    }

    static final Path URI_PLAYBOOK = Path.of("src/test/resources/modules-lab/uri-playbook.yml").toAbsolutePath();

    private static void uriReadsInThePlanAndPostsOnlyAtApply() {
        List<String> base = List.of("-i", inventory.toString(), "--known-hosts", fleet.knownHosts().toString(), "-e", "base=" + ModulesOnLabHostTest.base);
        Rig plan = Rig.run(concat("plan", base, "--detailed-exitcode", URI_PLAYBOOK.toString()));
        assertEquals(0, plan.exit(), "a POST has no state to compare: it will run, which is not drift\n" + plan);
        assertTrue(plan.out().contains("to_run=1"), plan::toString);
        assertEquals(1, requests("GET /api/health"), "the GET ran in the plan's probe");
        assertEquals(List.of(), posted, "a plan posts nothing");

        Rig apply = Rig.run(concat("apply", base, "--yes", URI_PLAYBOOK.toString()));
        assertEquals(0, apply.exit(), apply::toString);
        assertEquals(List.of("application/json {\"host\":\"mods1\",\"version\":3}"), posted);

        Rig missing = Rig.run(concat("apply", base, "--yes", "-e", "health_path=/api/nope", URI_PLAYBOOK.toString()));
        assertEquals(1, missing.exit(), missing::toString);
        assertTrue(missing.out().contains("Status code was 404 and not [200]: " + ModulesOnLabHostTest.base + "/api/nope"), missing::toString);
    }

    static final Path WGET_PLAYBOOK = Path.of("src/test/resources/modules-lab/wget-playbook.yml").toAbsolutePath();

    private static void withoutCurlWgetDownloadsAndSha512Checks() throws NoSuchAlgorithmException {
        // curl hidden on this host only: an overlay on /usr/bin in its mount namespace with a whiteout for it.
        onHost("mkdir -p /srv/ub-up /srv/ub-work && mknod /srv/ub-up/curl c 0 0"
                + " && mount -t overlay overlay -o lowerdir=/usr/bin,upperdir=/srv/ub-up,workdir=/srv/ub-work /usr/bin");
        assertEquals("no curl\n", onHost("command -v curl >/dev/null || echo no curl"));
        String sha512 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-512").digest(APP));
        List<String> base = List.of("-i", inventory.toString(), "--known-hosts", fleet.knownHosts().toString(), "-e", "base=" + ModulesOnLabHostTest.base);
        int before = requests("/dl/app.tgz");
        Rig apply = Rig.run(concat("apply", base, "--yes", "-e", "app_sha512=" + sha512, WGET_PLAYBOOK.toString()));
        assertEquals(0, apply.exit(), apply::toString);
        assertEquals(before + 1, requests("/dl/app.tgz"), "downloaded once, by wget");
        assertEquals(sha512 + "  -\n", onHost("sha512sum < /srv/app/app-wget.tgz"));

        Rig again = Rig.run(concat("apply", base, "--yes", "-e", "app_sha512=" + sha512, WGET_PLAYBOOK.toString()));
        assertEquals(0, again.exit(), again::toString);
        assertTrue(again.out().matches("(?s).*mods1 +: ok=\\d+ +changed=0 .*"), again::toString);
        assertEquals(before + 1, requests("/dl/app.tgz"), "the sha512 matches: nothing downloaded");

        onHost("rm /srv/app/app-wget.tgz");
        String wrong = "0".repeat(128);
        Rig bad = Rig.run(concat("apply", base, "--yes", "-e", "app_sha512=" + wrong, WGET_PLAYBOOK.toString()));
        assertEquals(1, bad.exit(), bad::toString);
        assertTrue(bad.out().contains("the sha512 checksum of the download"), bad::toString);
        assertEquals("gone\n", onHost("[ -e /srv/app/app-wget.tgz ] || echo gone"), "a download that fails its checksum is not installed");
    }

    static final Path URI_DELEGATED_PLAYBOOK = Path.of("src/test/resources/modules-lab/uri-delegated-playbook.yml").toAbsolutePath();

    private static void uriDelegatedToLocalhostAsksFromTheOperatorsMachine() throws IOException {
        List<String> base = List.of("-i", settingsInventory.toString(), "--known-hosts", settingsFleet.knownHosts().toString(),
                "-e", "base=" + ModulesOnLabHostTest.base);
        int before = requests("GET /api/health");
        Rig apply = Rig.run(concat("apply", base, "--yes", URI_DELEGATED_PLAYBOOK.toString()));
        assertEquals(0, apply.exit(), apply::toString);
        assertEquals(before + 1, requests("GET /api/health"), "asked once, from the operator's machine");
        assertEquals("mods2 up\n", onSettingsHost("cat /srv/health.txt"), "the answer registered for mods2 and written on mods2");

        // The same request from mods2 itself cannot reach the test's network: what the delegation changes.
        Path undelegated = dir.resolve("uri-from-the-host.yml");
        Files.writeString(undelegated, Files.readString(URI_DELEGATED_PLAYBOOK).replace("      delegate_to: localhost\n", ""));
        Rig fromHost = Rig.run(concat("apply", base, "--yes", undelegated.toString()));
        assertEquals(1, fromHost.exit(), fromHost::toString);
        assertEquals(before + 1, requests("GET /api/health"), "nothing reached the server from mods2");
    }

    static List<String> concat(String command, List<String> base, String... more) {
        List<String> all = new ArrayList<>(List.of(command));
        all.addAll(base);
        all.addAll(List.of(more));
        return all;
    }
}

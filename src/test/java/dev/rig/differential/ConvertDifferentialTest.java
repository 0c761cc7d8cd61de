package dev.rig.differential;

import dev.rig.cli.Main;
import dev.rig.lab.LabFleet;
import dev.rig.testkit.LabHosts;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * rig convert, proven on real hosts: the Ansible project of src/test/resources/convert/ansible-project
 * is run by the real ansible-playbook, its conversion by rig, on the same lab hosts reset in between;
 * every file under /srv (path, type, mode, owner, content) must be the same.
 */
@Tag("integration")
class ConvertDifferentialTest {
    static final Path PROJECT = Path.of("src/test/resources/convert/ansible-project");
    /** Opens the project's Ansible Vault data (group_vars/db.yml encrypted whole, an inline !vault value in group_vars/web.yml). */
    static final Path VAULT_PASSWORD = Path.of("src/test/resources/convert/vault-password").toAbsolutePath();
    static final List<String> HOSTS = List.of("cv1", "cv2");
    /** Path, type, mode, owner and content of every file under /srv, in a stable order. */
    static final String SNAPSHOT = "cd /srv && find . -mindepth 1 | LC_ALL=C sort | while read -r p; do "
            + "stat -c '%n %F %a %U:%G' \"$p\"; if [ -f \"$p\" ] && [ ! -L \"$p\" ]; then cat \"$p\"; echo '<<EOF>>'; fi; done";

    static Path dir;
    @RegisterExtension
    static final LabHosts lab = LabHosts.named(HOSTS);
    static LabFleet fleet;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("rig-convert");
        fleet = lab.fleet();
    }

    @Test
    void theConvertedProjectLeavesTheHostsAsAnsibleLeavesThemWithTheOriginal() throws Exception {
        Path ansible = dir.resolve("ansible");
        copy(PROJECT, ansible);
        // an INI inventory, which rig convert copies as it is (group_vars and host_vars beside it are YAML, converted)
        StringBuilder ini = new StringBuilder();
        for (String[] group : new String[][]{{"web", "cv1"}, {"db", "cv2"}}) {
            var h = fleet.host(group[1]);
            ini.append('[').append(group[0]).append("]\n").append(h.name()).append(" ansible_host=").append(h.address()).append(" ansible_port=").append(h.port())
                    .append(" ansible_user=root ansible_ssh_private_key_file=").append(fleet.clientKey()).append("\n\n");
        }
        Files.writeString(ansible.resolve("inventory/hosts.ini"), ini.toString());

        StringWriter out = new StringWriter(), err = new StringWriter();
        int converted = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), "convert", ansible.toString(), "-o", dir.resolve("rig").toString(),
                "--vault-password-file", VAULT_PASSWORD.toString());
        assertEquals(0, converted, out + "\n" + err);

        AnsibleOracle.Result original = new AnsibleOracle(dir.resolve("oracle"), fleet).playbook(ansible.resolve("inventory/hosts.ini"), ansible.resolve("site.yml"),
                "--vault-password-file", VAULT_PASSWORD.toString());
        assertEquals(0, original.exit(), () -> original.out() + original.err());
        Map<String, String> byAnsible = snapshot();
        for (String h : HOSTS) fleet.exec(h, "rm -rf /srv/app");

        StringWriter rigOut = new StringWriter(), rigErr = new StringWriter();
        int applied = Main.run(new PrintWriter(rigOut, true), new PrintWriter(rigErr, true), "apply", "-i", dir.resolve("rig/inventory/hosts.ini").toString(),
                "--known-hosts", fleet.knownHosts().toString(), "--vault-password-file", VAULT_PASSWORD.toString(), "--yes", dir.resolve("rig/site.yml").toString());
        assertEquals(0, applied, () -> rigOut + "\n" + rigErr);
        Map<String, String> byRig = snapshot();
        // kept for reading: what the hosts held after each run
        Files.createDirectories(Path.of("target"));
        Files.writeString(Path.of("target/convert-differential-ansible.txt"), byAnsible.toString());
        Files.writeString(Path.of("target/convert-differential-rig.txt"), byRig.toString());

        for (String h : HOSTS) {
            assertTrue(byAnsible.get(h).contains("./app/app.conf regular file 644 root:root"), byAnsible.get(h));
            // the vault values reached the hosts through Jinja2 converted inside the encrypted data
            assertTrue(byAnsible.get(h).contains(h.equals("cv1") ? "no db secret | no db shell | tok-{{ app_port }}-${HOME}\n" : "s3cret-DEMO | echo ${PATH} #{kept} | no token\n"), byAnsible.get(h));
            assertEquals(byAnsible.get(h), byRig.get(h), "files on " + h + " after ansible-playbook (expected) and after rig on the converted project");
        }
        int files = byAnsible.values().stream().mapToInt(s -> s.split("\n").length).sum();
        System.out.println("convert differential: " + files + " lines of host state compared on " + HOSTS.size() + " hosts, equal");
    }

    static Map<String, String> snapshot() {
        Map<String, String> out = new LinkedHashMap<>();
        for (String h : HOSTS) out.put(h, fleet.exec(h, SNAPSHOT));
        return out;
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(target);
                else Files.copy(p, target);
            }
        }
    }
}

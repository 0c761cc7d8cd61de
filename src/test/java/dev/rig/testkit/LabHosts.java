package dev.rig.testkit;

import dev.rig.lab.LabFleet;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lab fleet of real sshd hosts for one test class, on addresses nobody else uses, with its inventory
 * and known_hosts written:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final LabHosts lab = LabHosts.named("web1", "web2").group("web", "web1", "web2");
 * ...
 * Rig r = lab.rig("apply", "--yes", playbook);
 * </pre>
 *
 * The hosts get consecutive addresses in {@value #NETWORK}.0/24, away from the 127.0.0.x addresses
 * the tests with fixed addresses use: a block whose port 22 nobody answers on, never one handed out
 * before in this JVM.
 */
public final class LabHosts implements BeforeAllCallback, AfterAllCallback {
    public static final String NETWORK = "127.0.2";
    private static int nextOctet = 10;

    private final List<String> names;
    private final Map<String, List<String>> groups = new LinkedHashMap<>();
    private Path dir;
    private LabFleet fleet;
    private Path inventory;
    private Path knownHosts;

    private LabHosts(List<String> names) {
        this.names = List.copyOf(names);
    }

    public static LabHosts named(String... names) {
        return new LabHosts(Arrays.asList(names));
    }

    public static LabHosts named(List<String> names) {
        return new LabHosts(names);
    }

    /** Adds a group (a child of all) to the inventory, in the order given. */
    public LabHosts group(String name, String... members) {
        groups.put(name, List.of(members));
        return this;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("rig-" + context.getRequiredTestClass().getSimpleName() + "-");
        fleet = LabFleet.start(dir.resolve("fleet"), names, NETWORK, freeBlock(names.size()), false);
        inventory = dir.resolve("inventory");
        fleet.writeInventory(inventory.resolve("hosts.yml"), groups);
        knownHosts = dir.resolve("known_hosts");
        Files.copy(fleet.knownHosts(), knownHosts);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (fleet != null) fleet.close();
    }

    /** The first octet of size consecutive addresses that no earlier fleet of this JVM got and where no sshd answers. */
    static synchronized int freeBlock(int size) {
        while (nextOctet + size - 1 <= 254) {
            int first = nextOctet;
            nextOctet += size;
            List<Integer> busy = new ArrayList<>();
            for (int i = first; i < first + size; i++) if (answers(NETWORK + "." + i)) busy.add(i);
            if (busy.isEmpty()) return first;
        }
        throw new IllegalStateException("no " + size + " free addresses left in " + NETWORK + ".0/24");
    }

    private static boolean answers(String address) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(address, 22), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public LabFleet fleet() {
        return fleet;
    }

    /** The scratch directory of this class's fleet: put playbooks and other files here. */
    public Path dir() {
        return dir;
    }

    /** The inventory directory: hosts.yml; add group_vars/ and host_vars/ as needed. */
    public Path inventory() {
        return inventory;
    }

    /** A copy of the fleet's known_hosts, which tests may change. */
    public Path knownHosts() {
        return knownHosts;
    }

    /** Writes a file under the inventory directory (group_vars/all.yml, ...). */
    public Path writeInventoryFile(String relative, String content) {
        try {
            Path file = inventory.resolve(relative);
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** rig COMMAND -i INVENTORY --known-hosts KNOWN_HOSTS MORE..., in this JVM. */
    public Rig rig(String command, String... more) {
        return Rig.run(inventory, knownHosts, command, more);
    }

    /** A shell command on one host (as root, in its namespaces); its stdout. */
    public String exec(String host, String shellCommand) {
        return fleet.exec(host, shellCommand);
    }
}

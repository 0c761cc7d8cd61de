package dev.rig.inventory;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.rig.cli.Main;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The oracle test: for every inventory of the corpus under src/test/resources/ansible-corpus/, Debian's
 * real {@code ansible-inventory --list} and {@code --host} beside {@code rig inventory} on the same
 * input. Normalised: each group's hosts and children (sorted, rig's group vars left out: --list
 * without --export shows none), every host's variables; where rig masks a secret ("********") the
 * oracle's value is masked too, and an inline vault value, which ansible-inventory prints as
 * {"__ansible_vault": ciphertext}, counts as masked. Every inventory must agree; the count is printed.
 *
 * <p>A case is a directory holding {@code inventory} (a file or a directory), or a file {@code args}
 * with the -i (and other) arguments, relative to the case, one a line.
 */
@Tag("integration")
class AnsibleInventoryDifferentialTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String MASK = "********";

    @TempDir Path home;

    @Test
    void everyCorpusInventoryAgreesWithAnsibleInventory() throws Exception {
        Path corpus = Fixtures.corpus();
        List<Path> cases;
        try (Stream<Path> list = Files.list(corpus)) {
            cases = list.filter(Files::isDirectory).sorted().toList();
        }
        assertTrue(cases.size() >= 40, "the corpus holds " + cases.size() + " inventories; at least 40 are expected");
        List<String> disagreements = new ArrayList<>();
        int agree = 0;
        for (Path c : cases) {
            String problem = compare(c);
            if (problem == null) agree++;
            else disagreements.add(c.getFileName() + ": " + problem);
        }
        System.out.println("ansible-inventory differential: " + agree + " of " + cases.size() + " inventories agree");
        disagreements.forEach(d -> System.out.println("  DIFFERS " + d));
        assertEquals(List.of(), disagreements);
    }

    private String compare(Path c) throws Exception {
        List<String> args = args(c);
        Result ansible = ansible(c, concat(args, "--list"));
        if (ansible.exit != 0) return "ansible-inventory failed: " + ansible.err;
        Result rig = rig(c, concat(args, "--list"));
        if (rig.exit != 0) return "rig inventory failed: " + rig.err;
        JsonNode ansibleList = JSON.readTree(ansible.out);
        JsonNode rigList = JSON.readTree(rig.out);
        Map<String, Object> ansibleGroups = groups(ansibleList);
        Map<String, Object> rigGroups = groups(rigList);
        if (!ansibleGroups.equals(rigGroups)) return "groups differ:\n    ansible " + ansibleGroups + "\n    rig     " + rigGroups;
        JsonNode ansibleVars = ansibleList.at("/_meta/hostvars");
        JsonNode rigVars = rigList.at("/_meta/hostvars");
        String varsProblem = sameVars(ansibleVars.deepCopy(), rigVars);
        if (varsProblem != null) return "--list hostvars " + varsProblem;
        Iterator<String> hosts = rigVars.fieldNames();
        if (!hosts.hasNext()) return null;
        String host = hosts.next(); // --host for one host per case proves that path too (each ansible run costs a second)
        Result ansibleHost = ansible(c, concat(args, "--host", host));
        Result rigHost = rig(c, concat(args, "--host", host));
        if (ansibleHost.exit != 0 || rigHost.exit != 0) return "--host " + host + " failed: " + ansibleHost.err + rigHost.err;
        String hostProblem = sameVars(JSON.readTree(ansibleHost.out), JSON.readTree(rigHost.out));
        return hostProblem == null ? null : "--host " + host + " " + hostProblem;
    }

    /** Null when equal after masking the oracle where rig masked. */
    private static String sameVars(JsonNode ansible, JsonNode rig) {
        JsonNode masked = maskLike(ansible, rig);
        return masked.equals(rig) ? null : "differ:\n    ansible " + masked + "\n    rig     " + rig;
    }

    private static JsonNode maskLike(JsonNode ansible, JsonNode rig) {
        if (ansible.isObject() && ansible.has("__ansible_vault") && ansible.size() == 1) return TextNode.valueOf(MASK);
        if (rig.isTextual() && rig.asText().equals(MASK) && !ansible.isContainerNode()) return TextNode.valueOf(MASK);
        if (ansible.isObject() && rig.isObject()) {
            ObjectNode copy = JSON.createObjectNode();
            ansible.fields().forEachRemaining(e -> copy.set(e.getKey(),
                    rig.has(e.getKey()) ? maskLike(e.getValue(), rig.get(e.getKey())) : e.getValue()));
            return copy;
        }
        if (ansible.isArray() && rig.isArray() && ansible.size() == rig.size()) {
            var copy = JSON.createArrayNode();
            for (int i = 0; i < ansible.size(); i++) copy.add(maskLike(ansible.get(i), rig.get(i)));
            return copy;
        }
        return ansible;
    }

    /** Group → sorted hosts and children, for every group but _meta. */
    private static Map<String, Object> groups(JsonNode list) {
        Map<String, Object> groups = new TreeMap<>();
        list.fields().forEachRemaining(e -> {
            if (e.getKey().equals("_meta")) return;
            Map<String, Object> entry = new TreeMap<>();
            for (String key : List.of("hosts", "children")) {
                TreeSet<String> names = new TreeSet<>();
                e.getValue().path(key).forEach(n -> names.add(n.asText()));
                if (!names.isEmpty()) entry.put(key, names);
            }
            if (!entry.isEmpty()) groups.put(e.getKey(), entry);
        });
        return groups;
    }

    private static List<String> args(Path c) throws IOException {
        Path file = c.resolve("args");
        if (!Files.exists(file)) return List.of("-i", c.resolve("inventory").toString());
        List<String> args = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String arg = line.strip();
            // arguments naming files of the case are relative to it
            if (arg.startsWith("-") || arg.contains(",")) args.add(arg);
            else if (arg.contains("@")) args.add(arg.substring(0, arg.indexOf('@') + 1) + c.resolve(arg.substring(arg.indexOf('@') + 1))); // label@file
            else args.add(c.resolve(arg).toString());
        }
        return args;
    }

    private static List<String> concat(List<String> args, String... more) {
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of(more));
        return all;
    }

    record Result(int exit, String out, String err) {}

    private Result ansible(Path c, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("/usr/bin/ansible-inventory"));
        command.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(command).directory(c.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
        env.put("HOME", home.toString());
        env.put("ANSIBLE_CONFIG", home.resolve("no-ansible.cfg").toString());
        env.put("ANSIBLE_HOME", home.resolve(".ansible").toString());
        env.put("ANSIBLE_LOCAL_TEMP", home.resolve("tmp").toString());
        env.put("ANSIBLE_INVENTORY_UNPARSED_FAILED", "true"); // a file Ansible cannot read fails instead of a warning
        env.put("ANSIBLE_NOCOLOR", "1");
        Path out = Files.createTempFile(home, "ansible", ".out");
        Path err = Files.createTempFile(home, "ansible", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ansible-inventory did not finish in 120 s: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    private static Result rig(Path c, List<String> args) {
        List<String> command = new ArrayList<>(List.of("inventory"));
        command.addAll(args);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(new PrintWriter(out, true), new PrintWriter(err, true), command.toArray(String[]::new));
        return new Result(code, out.toString(), err.toString());
    }
}

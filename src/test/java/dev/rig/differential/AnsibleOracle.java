package dev.rig.differential;

import dev.rig.lab.LabFleet;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Debian's real ansible / ansible-playbook, run against lab hosts with everything it reads kept in
 * one test directory: no ansible.cfg, no ~/.ansible, the lab's client key and known_hosts only.
 */
final class AnsibleOracle {
    record Result(int exit, String out, String err) {}

    private final Path dir;
    private final LabFleet fleet;

    AnsibleOracle(Path dir, LabFleet fleet) {
        this.dir = dir;
        this.fleet = fleet;
    }

    Result run(List<String> command) throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("home"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.startsWith("ANSIBLE_"));
        env.put("HOME", dir.resolve("home").toString());
        env.put("ANSIBLE_CONFIG", dir.resolve("no-ansible.cfg").toString());
        env.put("ANSIBLE_HOME", dir.resolve("home/.ansible").toString());
        env.put("ANSIBLE_LOCAL_TEMP", dir.resolve("home/tmp").toString());
        env.put("ANSIBLE_SSH_CONTROL_PATH_DIR", dir.resolve("home/cp").toString());
        // Transport only (one master connection per host, pipelining): what Ansible does to a host stays the same.
        env.put("ANSIBLE_PIPELINING", "1");
        env.put("ANSIBLE_SSH_ARGS", "-o ControlMaster=auto -o ControlPersist=60s -o UserKnownHostsFile=" + fleet.knownHosts()
                + " -o StrictHostKeyChecking=yes -o GlobalKnownHostsFile=/dev/null -F /dev/null");
        env.put("ANSIBLE_PYTHON_INTERPRETER", "/usr/bin/python3");
        env.put("ANSIBLE_NOCOLOR", "1");
        env.put("ANSIBLE_RETRY_FILES_ENABLED", "0");
        env.put("ANSIBLE_DEPRECATION_WARNINGS", "0");
        env.put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        Path out = Files.createTempFile(dir, "ansible", ".out");
        Path err = Files.createTempFile(dir, "ansible", ".err");
        Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("ansible did not finish in 300 s: " + command);
        }
        return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }

    Result setup(Path inventory, String pattern) throws IOException, InterruptedException {
        return run(List.of("/usr/bin/ansible", "-i", inventory.toString(), pattern, "-m", "setup", "-o"));
    }

    Result playbook(Path inventory, Path playbook, String... more) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/ansible-playbook", "-i", inventory.toString()));
        cmd.addAll(List.of(more));
        cmd.add(playbook.toString());
        return run(cmd);
    }
}

package dev.rig.cli;

import dev.rig.convert.Finding;
import dev.rig.convert.ProjectConverter;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import dev.rig.modules.Modules;
import dev.rig.vault.VaultPasswords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** rig convert SRC_DIR -o DEST_DIR: an Ansible project in rig's syntax; exit 2 when something was left as it was (the report lists it). */
@Command(name = "convert", description = "Write an Ansible project (Jinja2) as a rig project (FreeMarker) into another directory.")
final class ConvertCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DEST_DIR", description = "Directory to write into (new, empty, or an earlier conversion's output)")
    Path out;

    @Parameters(index = "0", paramLabel = "SRC_DIR", description = "The Ansible project; never written to")
    Path src;

    @Option(names = "--vault-id", paramLabel = "LABEL@SOURCE", description = "A vault password (LABEL@FILE, LABEL@prompt or FILE), to convert inside Ansible Vault data; repeatable")
    List<String> vaultIds = new ArrayList<>();

    @Option(names = "--vault-password-file", paramLabel = "FILE", description = "The vault password's file, to convert inside Ansible Vault data (encrypted again); repeatable")
    List<Path> vaultPasswordFiles = new ArrayList<>();

    @Option(names = {"-J", "--ask-vault-pass"}, description = "Ask for the vault password on the terminal (not echoed)")
    boolean askVaultPass;

    @Override
    public Integer call() throws IOException {
        if (!Files.isDirectory(src)) throw new InvalidInputException(new Source(src.toString(), 0, 0), "is not a directory");
        ProjectConverter.Result r;
        try {
            VaultPasswords vault;
            try {
                vault = VaultPasswords.from(vaultIds, vaultPasswordFiles, askVaultPass, System.getenv());
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(new Source("vault password", 0, 0), e.getMessage());
            }
            r = new ProjectConverter(new Modules(), vault).convert(src, out);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(new Source("--out " + out, 0, 0), e.getMessage());
        }
        PrintWriter stdout = spec.commandLine().getOut();
        stdout.println("Converted " + r.yamlFiles() + " YAML file" + (r.yamlFiles() == 1 ? "" : "s") + " and " + r.templates() + " template"
                + (r.templates() == 1 ? "" : "s") + ", copied " + r.copied() + " other file" + (r.copied() == 1 ? "" : "s") + " into " + out + ".");
        String next = "Next: rig plan -i INVENTORY " + (r.playbooks().isEmpty() ? "PLAYBOOK" : String.join(" ", r.playbooks().stream().map(p -> out.resolve(p).toString()).toList()));
        if (r.findings().isEmpty()) {
            stdout.println("Everything converted. " + next);
            return Main.OK;
        }
        stdout.println(r.findings().size() + " thing" + (r.findings().size() == 1 ? "" : "s") + " left as written (paths relative to " + src + "):");
        for (Finding f : r.findings()) stdout.println("  " + f);
        stdout.println("Fix these in the converted project (or in the Ansible one and convert again). " + next);
        return Main.CHANGES;
    }
}

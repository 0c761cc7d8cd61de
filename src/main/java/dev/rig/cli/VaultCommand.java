package dev.rig.cli;

import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import dev.rig.vault.VaultCipher;
import dev.rig.vault.VaultPasswords;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** ansible-vault: files and strings encrypted so that the real ansible-vault opens them, and the other way round. */
@Command(name = "vault", description = "Encrypt and decrypt Ansible Vault files and strings (like ansible-vault).",
        subcommands = {VaultCommand.Encrypt.class, VaultCommand.Decrypt.class, VaultCommand.View.class, VaultCommand.Edit.class,
                VaultCommand.EncryptString.class})
final class VaultCommand implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return Main.ERROR;
    }

    /** The password options every subcommand takes, as ansible-vault's. */
    static class Passwords {
        @Option(names = "--vault-id", paramLabel = "LABEL@SOURCE", description = "LABEL@FILE, LABEL@prompt or FILE; the first encrypts")
        List<String> vaultIds = new ArrayList<>();

        @Option(names = "--vault-password-file", paramLabel = "FILE", description = "The vault password's file (a script when executable)")
        List<Path> files = new ArrayList<>();

        @Option(names = {"-J", "--ask-vault-pass"}, description = "Ask for the vault password on the terminal")
        boolean ask;

        @Option(names = "--encrypt-vault-id", paramLabel = "LABEL", description = "Which --vault-id's password encrypts (default: the first)")
        String encryptId;

        VaultPasswords passwords() {
            try {
                VaultPasswords passwords = VaultPasswords.from(vaultIds, files, ask, System.getenv());
                if (passwords.isEmpty()) throw new IllegalArgumentException("no vault password: give --vault-password-file FILE, --vault-id LABEL@FILE or --ask-vault-pass");
                return passwords;
            } catch (IllegalArgumentException e) {
                throw new InvalidInputException(new Source("vault password", 0, 0), e.getMessage());
            }
        }

        VaultPasswords.Password forEncrypting(VaultPasswords passwords) {
            return passwords.passwords().stream().filter(p -> encryptId == null || p.label().equals(encryptId)).findFirst()
                    .orElseThrow(() -> new InvalidInputException(new Source("--encrypt-vault-id", 0, 0), "no vault id '" + encryptId + "' was given"));
        }
    }

    static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new InvalidInputException(new Source(file.toString(), 0, 0), "cannot read: " + e.getMessage());
        }
    }

    /** Replaces file atomically (a rename in its directory), keeping nothing half-written. */
    static void write(Path file, String content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Path temp = Files.createTempFile(parent, "." + file.getFileName(), ".tmp");
            Files.writeString(temp, content);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new InvalidInputException(new Source(file.toString(), 0, 0), "cannot write: " + e.getMessage());
        }
    }

    static String decrypt(Path file, VaultPasswords passwords) {
        String text = read(file);
        if (!VaultCipher.isVault(text)) throw new InvalidInputException(new Source(file.toString(), 0, 0), "is not encrypted with Ansible Vault");
        try {
            return passwords.decrypt(text);
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(new Source(file.toString(), 0, 0), e.getMessage());
        }
    }

    static String encrypt(String plaintext, VaultPasswords.Password password) {
        return VaultCipher.encrypt(plaintext.getBytes(StandardCharsets.UTF_8), password.secret(), password.label());
    }

    @Command(name = "encrypt", description = "Encrypt files in place")
    static final class Encrypt extends Passwords implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "1..*") List<Path> targets;

        @Override
        public Integer call() {
            VaultPasswords.Password password = forEncrypting(passwords());
            for (Path file : targets) {
                String text = read(file);
                if (VaultCipher.isVault(text)) throw new InvalidInputException(new Source(file.toString(), 0, 0), "is already encrypted");
                write(file, encrypt(text, password));
            }
            return Main.OK;
        }
    }

    @Command(name = "decrypt", description = "Decrypt files in place")
    static final class Decrypt extends Passwords implements Callable<Integer> {
        @Parameters(paramLabel = "FILE", arity = "1..*") List<Path> targets;

        @Override
        public Integer call() {
            VaultPasswords passwords = passwords();
            for (Path file : targets) write(file, decrypt(file, passwords));
            return Main.OK;
        }
    }

    @Command(name = "view", description = "Print decrypted files")
    static final class View extends Passwords implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "FILE", arity = "1..*") List<Path> targets;

        @Override
        public Integer call() {
            VaultPasswords passwords = passwords();
            for (Path file : targets) spec.commandLine().getOut().print(decrypt(file, passwords));
            spec.commandLine().getOut().flush();
            return Main.OK;
        }
    }

    @Command(name = "edit", description = "Decrypt a file to a private temporary file, run $EDITOR on it, encrypt it back")
    static final class Edit extends Passwords implements Callable<Integer> {
        @Parameters(paramLabel = "FILE") Path file;

        @Override
        public Integer call() throws Exception {
            VaultPasswords passwords = passwords();
            String plaintext = Files.exists(file) ? decrypt(file, passwords) : "";
            Path temp = Files.createTempFile("rig-vault-", ".yml"); // mode 0600 on POSIX
            try {
                Files.writeString(temp, plaintext);
                String editor = System.getenv().getOrDefault("EDITOR", "vi");
                Process process = new ProcessBuilder("/bin/sh", "-c", editor + " \"$1\"", "sh", temp.toString()).inheritIO().start();
                if (process.waitFor() != 0) throw new InvalidInputException(new Source(file.toString(), 0, 0), "the editor exited with " + process.exitValue() + "; file left unchanged");
                String edited = Files.readString(temp);
                if (!edited.equals(plaintext)) write(file, encrypt(edited, forEncrypting(passwords)));
            } finally {
                Files.deleteIfExists(temp);
            }
            return Main.OK;
        }
    }

    @Command(name = "encrypt_string", description = "Encrypt a string for an inline !vault value")
    static final class EncryptString extends Passwords implements Callable<Integer> {
        @Spec CommandSpec spec;
        @Parameters(paramLabel = "STRING", arity = "0..1") String plaintext;
        @Option(names = {"-n", "--name"}, paramLabel = "VAR") String name;
        @Option(names = "--stdin-name", paramLabel = "VAR") String stdinName;

        @Override
        public Integer call() throws IOException {
            String text = plaintext;
            if (text == null) text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
            String varName = name != null ? name : stdinName;
            String envelope = encrypt(text, forEncrypting(passwords()));
            StringBuilder out = new StringBuilder(varName == null ? "!vault |\n" : varName + ": !vault |\n");
            envelope.lines().forEach(line -> out.append("          ").append(line).append('\n'));
            spec.commandLine().getOut().print(out);
            spec.commandLine().getOut().flush();
            return Main.OK;
        }
    }
}

package dev.rig.vault;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The vault passwords a run was given, as Ansible takes them: --vault-id label@source (source a
 * file, an executable script whose output is the password, or "prompt"), --vault-password-file
 * FILE, --ask-vault-pass, and $ANSIBLE_VAULT_IDENTITY_LIST / $ANSIBLE_VAULT_PASSWORD_FILE. Every
 * value decrypted with them is remembered, so that it is masked in every output.
 */
public final class VaultPasswords {
    public record Password(String label, byte[] secret, String source) {}

    private final List<Password> passwords;
    private final Set<String> decrypted = Collections.synchronizedSet(new LinkedHashSet<>());
    private final Set<String> names = Collections.synchronizedSet(new LinkedHashSet<>());

    public VaultPasswords(List<Password> passwords) {
        this.passwords = List.copyOf(passwords);
    }

    public static VaultPasswords none() {
        return new VaultPasswords(List.of());
    }

    /**
     * From the command line's options and the environment.
     *
     * @throws IllegalArgumentException naming the option when a password cannot be read
     */
    public static VaultPasswords from(List<String> vaultIds, List<Path> passwordFiles, boolean ask, Map<String, String> env) {
        List<Password> out = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        String identityList = env.get("ANSIBLE_VAULT_IDENTITY_LIST");
        if (identityList != null && !identityList.isBlank()) for (String id : identityList.split(",")) if (!id.isBlank()) ids.add(id.strip());
        ids.addAll(vaultIds);
        List<Path> files = new ArrayList<>(passwordFiles);
        String envFile = env.get("ANSIBLE_VAULT_PASSWORD_FILE");
        if (envFile != null && !envFile.isBlank() && files.isEmpty()) files.add(Path.of(envFile));
        for (String id : ids) {
            int at = id.indexOf('@');
            String label = at < 0 ? "default" : id.substring(0, at);
            String source = at < 0 ? id : id.substring(at + 1);
            out.add(source.equals("prompt") ? prompt(label) : fromFile(label, Path.of(source)));
        }
        for (Path file : files) out.add(fromFile("default", file));
        if (ask) out.add(prompt("default"));
        return new VaultPasswords(out);
    }

    private static Password prompt(String label) {
        Console console = System.console();
        if (console == null) {
            throw new IllegalArgumentException("--ask-vault-pass needs a terminal to read the vault password from; use --vault-password-file FILE instead");
        }
        char[] typed = console.readPassword(label.equals("default") ? "Vault password: " : "Vault password (" + label + "): ");
        if (typed == null || typed.length == 0) throw new IllegalArgumentException("no vault password was typed");
        return new Password(label, new String(typed).getBytes(StandardCharsets.UTF_8), "prompt");
    }

    /** A password file, or an executable one run for its output, as Ansible; surrounding whitespace is dropped. */
    static Password fromFile(String label, Path file) {
        byte[] secret;
        try {
            if (Files.isExecutable(file) && !Files.isDirectory(file)) {
                Process process = new ProcessBuilder(file.toAbsolutePath().toString(), "--vault-id", label)
                        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
                process.getOutputStream().close();
                byte[] output = process.getInputStream().readAllBytes();
                if (!process.waitFor(60, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalArgumentException("vault password script " + file + " did not finish in 60 s");
                }
                if (process.exitValue() != 0) throw new IllegalArgumentException("vault password script " + file + " exited with " + process.exitValue());
                secret = output;
            } else {
                secret = Files.readAllBytes(file);
            }
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read vault password file " + file + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalArgumentException("interrupted while running vault password script " + file, e);
        }
        String text = new String(secret, StandardCharsets.UTF_8).strip();
        if (text.isEmpty()) throw new IllegalArgumentException("vault password file " + file + " is empty");
        return new Password(label, text.getBytes(StandardCharsets.UTF_8), file.toString());
    }

    public boolean isEmpty() {
        return passwords.isEmpty();
    }

    public List<Password> passwords() {
        return passwords;
    }

    /**
     * The plaintext of an envelope, trying the password whose label the envelope names first, then the
     * others, as Ansible does; the plaintext is remembered as a secret.
     *
     * @throws IllegalArgumentException "no vault password..." or "wrong vault password..." for the caller to place
     */
    public String decrypt(String envelope) {
        if (passwords.isEmpty()) {
            throw new IllegalArgumentException("encrypted with Ansible Vault, and no vault password was given "
                    + "(--vault-password-file FILE, --vault-id LABEL@FILE, --ask-vault-pass or $ANSIBLE_VAULT_PASSWORD_FILE)");
        }
        String label = VaultCipher.label(envelope).orElse(null);
        List<Password> ordered = new ArrayList<>(passwords);
        ordered.sort((a, b) -> Boolean.compare(!a.label().equals(label), !b.label().equals(label)));
        String problem = null;
        for (Password password : ordered) {
            try {
                String plaintext = new String(VaultCipher.decrypt(envelope, password.secret()), StandardCharsets.UTF_8);
                remember(plaintext);
                return plaintext;
            } catch (VaultCipher.VaultException e) {
                if (!e.wrongPassword) throw new IllegalArgumentException(e.getMessage());
                problem = e.getMessage();
            }
        }
        throw new IllegalArgumentException("cannot decrypt: " + problem + " with any of the " + passwords.size() + " vault password(s) given"
                + (label == null ? "" : " (the data names vault id '" + label + "')"));
    }

    /** A decrypted value, or a value inside a decrypted file: a secret whatever its variable's name. */
    public void remember(String plaintext) {
        if (plaintext != null && !plaintext.isBlank()) decrypted.add(plaintext.strip());
    }

    /**
     * A variable whose value came out of the vault (an inline !vault value, or any variable of an encrypted
     * file): masked by name wherever variables are printed, so that short values and booleans, too short to
     * be masked in free text, are masked as well.
     */
    public void rememberName(String name) {
        if (name != null && !name.isBlank()) names.add(name);
    }

    /** Every variable name {@link #rememberName} was given. */
    public Set<String> secretNames() {
        synchronized (names) {
            return Set.copyOf(names);
        }
    }

    /**
     * Every leaf of vars (maps and lists walked) as a decrypted value, and every key on the way as a
     * vault variable name: what an encrypted file's variables are.
     */
    public void rememberAll(Map<?, ?> vars) {
        vars.forEach((key, value) -> {
            rememberName(String.valueOf(key));
            rememberLeaves(value);
        });
    }

    private void rememberLeaves(Object value) {
        if (value instanceof Map<?, ?> map) rememberAll(map);
        else if (value instanceof java.util.Collection<?> list) list.forEach(this::rememberLeaves);
        else if (value != null) remember(String.valueOf(value));
    }

    /** Every plaintext decrypted so far. */
    public Set<String> decrypted() {
        synchronized (decrypted) {
            return Set.copyOf(decrypted);
        }
    }
}

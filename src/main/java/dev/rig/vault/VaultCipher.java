package dev.rig.vault;

import javax.crypto.Cipher;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Ansible Vault's envelope, formats 1.1 and 1.2 (with a vault-id label), as ansible-core's
 * VaultAES256 writes it: PBKDF2-HMAC-SHA256 (10000 iterations) of the password and a 32-byte salt
 * gives an AES-256 key, an HMAC-SHA256 key and a 16-byte CTR counter; the PKCS#7-padded plaintext is
 * encrypted with AES-256-CTR and authenticated with HMAC-SHA256 (checked in constant time before
 * anything is decrypted). The JDK's javax.crypto does the cryptography.
 */
public final class VaultCipher {
    public static final String HEADER = "$ANSIBLE_VAULT;";
    private static final int ITERATIONS = 10_000;
    private static final int SALT_BYTES = 32;
    private static final int LINE = 80;
    private static final HexFormat HEX = HexFormat.of();
    private static final SecureRandom RANDOM = new SecureRandom();

    private VaultCipher() {}

    public static boolean isVault(String text) {
        return text.stripLeading().startsWith(HEADER);
    }

    /** The vault-id label of a 1.2 envelope. */
    public static Optional<String> label(String envelope) {
        String[] header = envelope.stripLeading().lines().findFirst().orElse("").strip().split(";");
        return header.length >= 4 && header[1].equals("1.2") ? Optional.of(header[3]) : Optional.empty();
    }

    /** Thrown when the envelope is not one this reader knows, or the password does not open it. */
    public static final class VaultException extends Exception {
        public final boolean wrongPassword;

        VaultException(String message, boolean wrongPassword) {
            super(message);
            this.wrongPassword = wrongPassword;
        }
    }

    /** The plaintext of an envelope, or VaultException (wrongPassword set when the HMAC does not match). */
    public static byte[] decrypt(String envelope, byte[] password) throws VaultException {
        String[] lines = envelope.strip().split("\\R");
        String[] header = lines[0].strip().split(";");
        if (header.length < 3 || !(header[0] + ";").equals(HEADER)) throw new VaultException("not an Ansible Vault envelope", false);
        if (!header[1].equals("1.1") && !header[1].equals("1.2")) throw new VaultException("unsupported vault format " + header[1], false);
        if (!header[2].strip().equals("AES256")) throw new VaultException("unsupported vault cipher " + header[2], false);
        String body = String.join("", Arrays.copyOfRange(lines, 1, lines.length)).replaceAll("\\s", "");
        String[] parts;
        byte[] salt;
        byte[] mac;
        byte[] ciphertext;
        try {
            parts = new String(HEX.parseHex(body), StandardCharsets.US_ASCII).split("\n");
            if (parts.length != 3) throw new IllegalArgumentException("expected salt, hmac and ciphertext");
            salt = HEX.parseHex(parts[0]);
            mac = HEX.parseHex(parts[1]);
            ciphertext = HEX.parseHex(parts[2]);
        } catch (IllegalArgumentException e) {
            throw new VaultException("malformed vault data: " + e.getMessage(), false);
        }
        try {
            Keys keys = keys(password, salt);
            if (!MessageDigest.isEqual(mac, hmac(keys, ciphertext))) throw new VaultException("wrong vault password (HMAC does not match)", true);
            byte[] padded = ctr(Cipher.DECRYPT_MODE, keys, ciphertext);
            int pad = padded.length == 0 ? 0 : padded[padded.length - 1] & 0xff;
            if (pad < 1 || pad > 16 || pad > padded.length) throw new VaultException("malformed vault data: bad padding", false);
            return Arrays.copyOf(padded, padded.length - pad);
        } catch (GeneralSecurityException e) {
            throw new VaultException("cannot decrypt: " + e.getMessage(), false);
        }
    }

    /** A new envelope (1.1, or 1.2 when label is given and not "default"), lines of 80 hex digits as ansible-vault writes. */
    public static String encrypt(byte[] plaintext, byte[] password, String label) {
        byte[] salt = new byte[SALT_BYTES];
        RANDOM.nextBytes(salt);
        return encrypt(plaintext, password, label, salt);
    }

    /**
     * The same envelope every time for the same plaintext and password (rig convert re-encrypts what it
     * converted, and must write the same output twice): the salt is HMAC-SHA256(password, plaintext).
     * It reveals only whether two envelopes under one password hold the same plaintext.
     */
    public static String encryptDeterministic(byte[] plaintext, byte[] password, String label) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(password, "HmacSHA256"));
            return encrypt(plaintext, password, label, mac.doFinal(plaintext));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks HMAC-SHA256", e);
        }
    }

    private static String encrypt(byte[] plaintext, byte[] password, String label, byte[] salt) {
        try {
            Keys keys = keys(password, salt);
            int pad = 16 - plaintext.length % 16;
            byte[] padded = Arrays.copyOf(plaintext, plaintext.length + pad);
            Arrays.fill(padded, plaintext.length, padded.length, (byte) pad);
            byte[] ciphertext = ctr(Cipher.ENCRYPT_MODE, keys, padded);
            String inner = HEX.formatHex(salt) + "\n" + HEX.formatHex(hmac(keys, ciphertext)) + "\n" + HEX.formatHex(ciphertext);
            String hex = HEX.formatHex(inner.getBytes(StandardCharsets.US_ASCII));
            StringBuilder out = new StringBuilder(label == null || label.equals("default") ? HEADER + "1.1;AES256" : HEADER + "1.2;AES256;" + label);
            for (int i = 0; i < hex.length(); i += LINE) out.append('\n').append(hex, i, Math.min(hex.length(), i + LINE));
            return out.append('\n').toString();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK lacks AES-CTR, HMAC-SHA256 or PBKDF2-HMAC-SHA256", e);
        }
    }

    private record Keys(byte[] cipher, byte[] mac, byte[] counter) {}

    private static Keys keys(byte[] password, byte[] salt) throws GeneralSecurityException {
        // The JDK's PBKDF2 takes chars and hashes their UTF-8 bytes; Ansible hashes the password's UTF-8 bytes: the same.
        java.nio.CharBuffer decoded = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(password));
        char[] chars = new char[decoded.remaining()];
        decoded.get(chars);
        try {
            SecretKeyFactory factory = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256");
            byte[] derived = factory.generateSecret(new PBEKeySpec(chars, salt, ITERATIONS, 80 * 8)).getEncoded();
            return new Keys(Arrays.copyOfRange(derived, 0, 32), Arrays.copyOfRange(derived, 32, 64), Arrays.copyOfRange(derived, 64, 80));
        } finally {
            Arrays.fill(chars, '\0');
        }
    }

    private static byte[] hmac(Keys keys, byte[] data) throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(keys.mac, "HmacSHA256"));
        return mac.doFinal(data);
    }

    private static byte[] ctr(int mode, Keys keys, byte[] data) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/CTR/NoPadding");
        cipher.init(mode, new SecretKeySpec(keys.cipher, "AES"), new IvParameterSpec(keys.counter));
        return cipher.doFinal(data);
    }

}

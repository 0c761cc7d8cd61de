package dev.rig.template;

import freemarker.template.SimpleScalar;
import freemarker.template.TemplateMethodModelEx;
import freemarker.template.TemplateModel;
import freemarker.template.TemplateModelException;
import freemarker.template.TemplateScalarModel;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Functions templates may call besides FreeMarker's built-ins.
 * <ul>
 * <li>{@code bcrypt(password, context[, cost])}: a bcrypt hash ({@code $2a$}) for basic auth files.
 *     The salt is derived from the context (e.g. the user name and domain), so the same input renders
 *     the same hash and a second run changes nothing, while hashes of one password differ between
 *     contexts. Default cost 10: Caddy checks the hash on every request.</li>
 * <li>{@code base64(text)}: the UTF-8 bytes of text in standard base64 (Caddy 2.6 wants its
 *     basicauth hashes base64-encoded).</li>
 * </ul>
 */
final class Functions {
    static final int DEFAULT_BCRYPT_COST = 10;

    private Functions() {}

    static Map<String, TemplateModel> all() {
        Map<String, TemplateModel> all = new java.util.LinkedHashMap<>(AnsibleFilters.all());
        all.put("bcrypt", (TemplateMethodModelEx) Functions::bcrypt);
        all.put("base64", (TemplateMethodModelEx) Functions::base64);
        return all;
    }

    private static Object bcrypt(List<?> args) throws TemplateModelException {
        if (args.size() < 2 || args.size() > 3) throw new TemplateModelException("bcrypt(password, context[, cost]) takes 2 or 3 arguments, got " + args.size());
        String password = string(args.get(0), "bcrypt's password");
        String context = string(args.get(1), "bcrypt's context");
        int cost = args.size() == 3 ? Integer.parseInt(string(args.get(2), "bcrypt's cost")) : DEFAULT_BCRYPT_COST;
        if (cost < 4 || cost > 31) throw new TemplateModelException("bcrypt's cost must be 4 to 31, got " + cost);
        if (password.isEmpty()) throw new TemplateModelException("bcrypt of an empty password: set the password variable");
        return new SimpleScalar(hash(password, context, cost));
    }

    static String hash(String password, String context, int cost) {
        // From the context only: a salt computed from the password would let anyone holding the hash test guesses at SHA-256 speed.
        byte[] salt = Arrays.copyOf(sha256("rig-bcrypt-salt\0" + context), 16);
        return OpenBSDBCrypt.generate("2a", password.toCharArray(), salt, cost);
    }

    private static Object base64(List<?> args) throws TemplateModelException {
        if (args.size() != 1) throw new TemplateModelException("base64(text) takes 1 argument, got " + args.size());
        return new SimpleScalar(Base64.getEncoder().encodeToString(string(args.get(0), "base64's argument").getBytes(StandardCharsets.UTF_8)));
    }

    private static String string(Object arg, String what) throws TemplateModelException {
        if (arg instanceof TemplateScalarModel s) return s.getAsString();
        throw new TemplateModelException(what + " must be a string");
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

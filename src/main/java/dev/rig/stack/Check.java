package dev.rig.stack;

/** One cell of the host × signal table: what was found and why. */
public record Check(String host, String signal, Health health, String detail) {
    public static Check ok(String host, String signal, String detail) {
        return new Check(host, signal, Health.OK, detail);
    }
}

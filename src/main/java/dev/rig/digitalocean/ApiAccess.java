package dev.rig.digitalocean;

import java.net.URI;
import java.util.Map;
import java.util.Optional;

/**
 * Where the DigitalOcean API is and the token to call it with. The token is never printed: this
 * record's {@link #toString} masks it, and nothing in this package puts it in a message or a plan.
 *
 * <p>URL, first found: the setting given (the variable {@code digitalocean_api_url}, or
 * {@code api_url} in an inventory source), {@code DIGITALOCEAN_API_URL}, then
 * {@code https://api.digitalocean.com}. Token: the setting given (the variable
 * {@code digitalocean_token}, or {@code api_token} in an inventory source),
 * {@code DIGITALOCEAN_TOKEN}, then {@code DIGITALOCEAN_ACCESS_TOKEN} — the names Terraform's
 * provider reads.
 */
public record ApiAccess(URI baseUrl, String token) {
    public static final String DEFAULT_URL = "https://api.digitalocean.com";
    public static final String URL_ENV = "DIGITALOCEAN_API_URL";
    public static final String URL_VARIABLE = "digitalocean_api_url";
    public static final String TOKEN_VARIABLE = "digitalocean_token";
    /** Environment variables that may hold the token, in the order they are read. */
    public static final java.util.List<String> TOKEN_ENV = java.util.List.of("DIGITALOCEAN_TOKEN", "DIGITALOCEAN_ACCESS_TOKEN");

    /**
     * @param url   an explicit URL setting, or null
     * @param token an explicit token setting, or null
     * @throws IllegalArgumentException when no token is found or the URL is not http(s)
     */
    public static ApiAccess resolve(Object url, Object token, Map<String, String> env) {
        String u = text(url).or(() -> text(env.get(URL_ENV))).orElse(DEFAULT_URL);
        Optional<String> t = text(token);
        for (String name : TOKEN_ENV) t = t.or(() -> text(env.get(name)));
        return new ApiAccess(baseUrl(u), t.orElseThrow(() -> new IllegalArgumentException(
                "no DigitalOcean API token: set " + String.join(" or ", TOKEN_ENV) + ", or the variable " + TOKEN_VARIABLE)));
    }

    /** Tokens found in the environment, for the run's redaction. */
    public static java.util.List<String> environmentTokens(Map<String, String> env) {
        return TOKEN_ENV.stream().map(env::get).filter(v -> v != null && !v.isBlank()).toList();
    }

    /** Accepts the base URL with or without a trailing {@code /v2}, as people copy it either way. */
    static URI baseUrl(String text) {
        String s = text.strip().replaceAll("/+$", "");
        if (s.endsWith("/v2")) s = s.substring(0, s.length() - 3);
        URI uri;
        try {
            uri = URI.create(s);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("DigitalOcean API URL '" + text + "' is not a URL");
        }
        if (!"https".equals(uri.getScheme()) && !"http".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("DigitalOcean API URL '" + text + "' must be an http:// or https:// URL");
        }
        return uri;
    }

    private static Optional<String> text(Object value) {
        return Optional.ofNullable(value).map(String::valueOf).map(String::strip).filter(s -> !s.isEmpty());
    }

    @Override
    public String toString() {
        return "ApiAccess[" + baseUrl + ", token ********]";
    }
}

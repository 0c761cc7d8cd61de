package dev.rig.digitalocean;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * DigitalOcean API v2 over java.net.http. Every call has a connect and a request timeout; a 429
 * is waited out as its {@code retry-after} (or {@code ratelimit-reset}) asks; 5xx answers and
 * timeouts are retried with exponential backoff, a bounded number of times, but only for
 * requests that are safe to repeat (a POST that may have created something is not sent twice).
 * Lists follow {@code links.pages.next} to the last page. Errors carry the API's
 * {@code {"id","message"}} and the request that caused them, and never the token.
 */
public final class DigitalOceanClient {
    /**
     * @param maxRetries       extra attempts after the first, for 429, 5xx and timeouts alike
     * @param firstBackoff     wait before the first retry of a 5xx or timeout; doubled each time
     * @param maxRateLimitWait longest wait a 429 may ask for; a longer one fails the call instead
     */
    public record Options(Duration connectTimeout, Duration requestTimeout, int maxRetries, Duration firstBackoff,
                          Duration maxRateLimitWait) {
        public static final Options DEFAULTS = new Options(Duration.ofSeconds(10), Duration.ofSeconds(30), 4,
                Duration.ofMillis(500), Duration.ofSeconds(60));
    }

    static final ObjectMapper JSON = new ObjectMapper();
    /** The largest page the API serves (shared/parameters.yml#/per_page): fewer round trips. */
    static final int PER_PAGE = 200;
    private static final int MAX_PAGES = 10_000;

    private final ApiAccess access;
    private final Options options;
    private final HttpClient http;

    public DigitalOceanClient(ApiAccess access) {
        this(access, Options.DEFAULTS);
    }

    public DigitalOceanClient(ApiAccess access, Options options) {
        this.access = access;
        this.options = options;
        this.http = HttpClient.newBuilder().connectTimeout(options.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER) // a redirect would carry the token elsewhere
                .build();
    }

    public URI baseUrl() {
        return access.baseUrl();
    }

    public JsonNode get(String path) {
        return execute("GET", uri(path), null);
    }

    /** Every item under {@code key} on every page of a list, following {@code links.pages.next}. */
    public List<JsonNode> list(String path, String key) {
        List<JsonNode> items = new ArrayList<>();
        Set<URI> seen = new HashSet<>();
        URI next = uri(path + (path.contains("?") ? "&" : "?") + "per_page=" + PER_PAGE);
        while (next != null) {
            if (!seen.add(next) || seen.size() > MAX_PAGES) {
                throw new DigitalOceanException("GET " + pathOf(next), 0, null, "the API's page links go round in a circle");
            }
            JsonNode page = execute("GET", next, null);
            JsonNode found = page.path(key);
            if (!found.isArray()) {
                throw new DigitalOceanException("GET " + pathOf(next), 0, null, "the answer has no '" + key + "' list");
            }
            found.forEach(items::add);
            JsonNode link = page.path("links").path("pages").path("next");
            next = link.isTextual() ? sameOrigin(URI.create(link.asText()), next) : null;
        }
        return items;
    }

    /** POST, PUT or DELETE with an optional JSON body; the parsed answer, or a missing node for 204. */
    public JsonNode send(String method, String path, Object body) {
        byte[] bytes;
        try {
            bytes = body == null ? null : JSON.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot encode the request body: " + e.getMessage(), e);
        }
        return execute(method, uri(path), bytes);
    }

    private URI uri(String path) {
        return URI.create(access.baseUrl().toString() + path);
    }

    /** The token goes only to the host it was configured for, never to one a page link names. */
    private URI sameOrigin(URI link, URI current) {
        URI base = access.baseUrl();
        if (!Objects.equals(link.getScheme(), base.getScheme()) || !Objects.equals(link.getHost(), base.getHost())
                || link.getPort() != base.getPort()) {
            throw new DigitalOceanException("GET " + pathOf(current), 0, null,
                    "the next-page link points to " + link.getScheme() + "://" + link.getAuthority() + ", not to " + base);
        }
        return link;
    }

    private JsonNode execute(String method, URI uri, byte[] body) {
        String request = method + " " + pathOf(uri);
        // A POST that timed out or failed with 5xx may still have created its resource: never repeat it.
        boolean repeatable = !method.equals("POST");
        for (int attempt = 1; ; attempt++) {
            boolean retry = attempt <= options.maxRetries();
            HttpResponse<byte[]> response;
            try {
                response = http.send(build(method, uri, body), HttpResponse.BodyHandlers.ofByteArray());
            } catch (HttpConnectTimeoutException | ConnectException e) {
                // Nothing reached the API, so even a POST may be sent again.
                if (retry) {
                    pause(backoff(attempt), request);
                    continue;
                }
                throw new DigitalOceanException(request, 0, null, "cannot connect to " + access.baseUrl() + attempts(attempt));
            } catch (HttpTimeoutException e) {
                if (retry && repeatable) {
                    pause(backoff(attempt), request);
                    continue;
                }
                throw new DigitalOceanException(request, 0, null,
                        "no answer within " + seconds(options.requestTimeout()) + attempts(attempt));
            } catch (IOException e) {
                if (retry && repeatable) {
                    pause(backoff(attempt), request);
                    continue;
                }
                throw new DigitalOceanException(request, 0, null, "connection failed: " + mask(String.valueOf(e.getMessage())) + attempts(attempt));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DigitalOceanException(request, 0, null, "interrupted");
            }
            int status = response.statusCode();
            if (status == 429 && retry) {
                Duration wait = rateLimitWait(response.headers()).orElse(backoff(attempt));
                if (wait.compareTo(options.maxRateLimitWait()) > 0) {
                    throw error(request, response, "; the API asks to wait " + seconds(wait) + ", longer than rig waits ("
                            + seconds(options.maxRateLimitWait()) + ")");
                }
                pause(wait, request);
                continue;
            }
            if (status >= 500 && retry && repeatable) {
                pause(backoff(attempt), request);
                continue;
            }
            if (status >= 400) throw error(request, response, attempts(attempt));
            if (status >= 300) throw error(request, response, " (rig does not follow redirects: the token would go with them)");
            return parse(request, response.body());
        }
    }

    private HttpRequest build(String method, URI uri, byte[] body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(options.requestTimeout())
                .header("Authorization", "Bearer " + access.token())
                .header("Accept", "application/json")
                .header("User-Agent", "rig");
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return b.build();
    }

    private Duration backoff(int attempt) {
        return options.firstBackoff().multipliedBy(1L << Math.min(attempt - 1, 10));
    }

    private static String seconds(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : String.format(java.util.Locale.ROOT, "%.1f s", d.toMillis() / 1000.0);
    }

    private static String attempts(int attempt) {
        return attempt > 1 ? " (after " + attempt + " attempts)" : "";
    }

    private static void pause(Duration wait, String request) {
        try {
            Thread.sleep(wait.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DigitalOceanException(request, 0, null, "interrupted while waiting to retry");
        }
    }

    /** {@code retry-after} in seconds or as an HTTP date, else {@code ratelimit-reset} (Unix time). */
    static Optional<Duration> rateLimitWait(HttpHeaders headers) {
        Optional<String> retryAfter = headers.firstValue("retry-after").map(String::strip);
        if (retryAfter.isPresent()) {
            String v = retryAfter.get();
            if (v.matches("\\d+")) return Optional.of(Duration.ofSeconds(Long.parseLong(v)));
            try {
                Instant at = ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(nonNegative(Duration.between(Instant.now(), at)));
            } catch (DateTimeParseException e) {
                // unreadable: fall through to ratelimit-reset
            }
        }
        Optional<String> reset = headers.firstValue("ratelimit-reset").map(String::strip).filter(s -> s.matches("\\d+"));
        return reset.map(s -> nonNegative(Duration.between(Instant.now(), Instant.ofEpochSecond(Long.parseLong(s)))));
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private DigitalOceanException error(String request, HttpResponse<byte[]> response, String suffix) {
        String id = null;
        String message;
        try {
            JsonNode err = JSON.readTree(response.body());
            id = err.path("id").isTextual() ? err.get("id").asText() : null;
            message = err.path("message").isTextual() ? err.get("message").asText() : "HTTP " + response.statusCode();
            if (err.path("request_id").isTextual()) message += " (request id " + err.get("request_id").asText() + ")";
        } catch (IOException | RuntimeException e) {
            message = "HTTP " + response.statusCode();
        }
        return new DigitalOceanException(request, response.statusCode(), id, mask(message) + suffix);
    }

    private static JsonNode parse(String request, byte[] body) {
        if (body == null || body.length == 0) return MissingNode.getInstance();
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new DigitalOceanException(request, 0, null, "the API answered with invalid JSON");
        }
    }

    /** Whatever a server echoes back, the token never reaches a message. */
    private String mask(String text) {
        return text.replace(access.token(), "********");
    }

    static String pathOf(URI uri) {
        return uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
    }
}

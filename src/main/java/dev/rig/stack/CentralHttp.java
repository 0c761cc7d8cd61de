package dev.rig.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * GETs against one of central's services (Prometheus, Loki, Grafana) at a base URL, with basic auth
 * when given and a private CA when given. Every call has a timeout; an answer rig cannot use becomes
 * a {@link CentralException} that says what was asked and what came back.
 */
public final class CentralHttp {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String name;
    private final String baseUrl;
    private final Optional<String> authorization;
    private final HttpClient client;

    /** name: what the service is, for messages ("Prometheus"); baseUrl without a trailing slash. */
    public CentralHttp(String name, String baseUrl, Optional<String> user, Optional<String> password, Optional<String> caPem) {
        this.name = name;
        this.baseUrl = baseUrl.replaceAll("/+$", "");
        this.authorization = user.map(u -> "Basic " + Base64.getEncoder().encodeToString((u + ":" + password.orElse("")).getBytes(StandardCharsets.UTF_8)));
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(TIMEOUT).followRedirects(HttpClient.Redirect.NEVER);
        caPem.filter(p -> !p.isBlank()).ifPresent(pem -> b.sslContext(trusting(pem)));
        this.client = b.build();
    }

    public String name() {
        return name;
    }

    public String baseUrl() {
        return baseUrl;
    }

    /** A GET's status and body; connection problems are a CentralException. */
    public record Answer(int status, String body) {}

    public Answer get(String path, Map<String, String> query) throws CentralException {
        String q = query.isEmpty() ? "" : "?" + query.entrySet().stream()
                .map(e -> URLEncoder.encode(e.getKey(), StandardCharsets.UTF_8) + "=" + URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8))
                .collect(Collectors.joining("&"));
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path + q)).GET(), TIMEOUT);
    }

    /** A POST without a body (Prometheus's admin API takes its parameters in the URL). */
    public Answer post(String path, Duration timeout) throws CentralException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).POST(HttpRequest.BodyPublishers.noBody()), timeout);
    }

    /** A POST of a JSON body (Alertmanager's alerts API). */
    public Answer postJson(String path, String json) throws CentralException {
        return send(HttpRequest.newBuilder(URI.create(baseUrl + path)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)), TIMEOUT);
    }

    private Answer send(HttpRequest.Builder req, Duration timeout) throws CentralException {
        req.timeout(timeout);
        authorization.ifPresent(a -> req.header("Authorization", a));
        try {
            HttpResponse<String> r = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() == 401 || r.statusCode() == 403) {
                throw new CentralException(name + " at " + baseUrl + " refused the credentials (" + r.statusCode() + ")"
                        + (authorization.isPresent() ? ": check the user and password rig sends" : ": it wants credentials"));
            }
            return new Answer(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new CentralException("cannot reach " + name + " at " + baseUrl + ": " + describe(e, req.build().uri().getHost()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CentralException("interrupted while asking " + name);
        }
    }

    /** A GET whose answer must be 200 with a JSON body. */
    public JsonNode getJson(String path, Map<String, String> query) throws CentralException {
        Answer a = get(path, query);
        if (a.status() != 200) throw new CentralException(name + " answered " + a.status() + " to GET " + path + ": " + abbreviate(a.body()));
        try {
            return JSON.readTree(a.body());
        } catch (IOException e) {
            throw new CentralException(name + " answered GET " + path + " with something that is not JSON: " + abbreviate(a.body()));
        }
    }

    public static String abbreviate(String s) {
        String one = s == null ? "" : s.strip().replaceAll("\\s+", " ");
        return one.length() > 200 ? one.substring(0, 200) + "…" : one;
    }

    private static String describe(IOException e, String host) {
        String m = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            // the JDK's client reports an unknown name as a ConnectException caused by UnresolvedAddressException
            if (t instanceof java.nio.channels.UnresolvedAddressException || t instanceof java.net.UnknownHostException) return "cannot resolve " + host;
        }
        if (e instanceof java.net.ConnectException) return "connection refused";
        if (e instanceof java.net.http.HttpConnectTimeoutException) return "connect timed out";
        if (e instanceof javax.net.ssl.SSLHandshakeException) return "TLS handshake failed (" + m + "); set monitoring_ca_cert for a private CA";
        return m == null ? e.getClass().getSimpleName() : m;
    }

    private static SSLContext trusting(String pem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                store.setCertificateEntry("ca" + i++, c);
            }
            if (i == 0) throw new IllegalArgumentException("monitoring_ca_cert holds no PEM certificate");
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(store);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("monitoring_ca_cert is not a usable PEM certificate: " + e.getMessage(), e);
        }
    }

    /** What went wrong talking to central: rig could not tell whether data flows (an ERROR, not MISSING). */
    public static final class CentralException extends Exception {
        public CentralException(String message) {
            super(message);
        }
    }
}

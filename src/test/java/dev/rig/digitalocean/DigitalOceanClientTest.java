package dev.rig.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API client against the stand-in: pages, rate limits, retries, errors, timeouts, and where the token may go. */
@Tag("integration")
class DigitalOceanClientTest {
    private final DigitalOceanStandIn api = DigitalOceanStandIn.start();

    @AfterEach
    void stop() {
        StandInTests.assertConformsToContract(api);
        api.close();
    }

    private void addFirewalls(int count) {
        for (int i = 1; i <= count; i++) {
            ObjectNode f = JsonNodeFactory.instance.objectNode().put("name", "fw-" + i).put("status", "succeeded")
                    .put("created_at", "2026-01-01T00:00:00Z");
            f.putArray("inbound_rules").addObject().put("protocol", "tcp").put("ports", "22").putObject("sources").putArray("addresses").add("10.0.0.0/8");
            f.putArray("outbound_rules");
            f.putArray("droplet_ids");
            f.putArray("tags");
            f.putArray("pending_changes");
            api.putFirewall(f);
        }
    }

    @Test
    void listsFollowNextLinksToTheLastPage() {
        addFirewalls(450);
        List<JsonNode> all = StandInTests.client(api, 0).list("/v2/firewalls", "firewalls");
        assertEquals(450, all.size());
        assertEquals("fw-450", all.get(449).get("name").asText());
        assertEquals(List.of("per_page=200", "per_page=200&page=2", "per_page=200&page=3"),
                api.log().stream().map(DigitalOceanStandIn.Exchange::query).toList());
    }

    @Test
    void aFirewallOnPageThreeIsFoundByName() {
        addFirewalls(420);
        Firewall found = new Firewalls(StandInTests.client(api, 0)).findByName("fw-415").orElseThrow();
        assertEquals("fw-415", found.name());
        assertEquals(3, api.log().size());
    }

    @Test
    void aRateLimitIsWaitedOutAsRetryAfterAsks() {
        api.rateLimitNext(1, Map.of("retry-after", "1"));
        long start = System.nanoTime();
        StandInTests.client(api, 3).list("/v2/firewalls", "firewalls");
        long waited = (System.nanoTime() - start) / 1_000_000;
        assertTrue(waited >= 1000, "waited only " + waited + " ms");
        assertEquals(List.of(429, 200), api.log().stream().map(DigitalOceanStandIn.Exchange::status).toList());
    }

    @Test
    void withoutRetryAfterRatelimitResetSaysWhenToTryAgain() {
        api.rateLimitNext(1, Map.of("ratelimit-reset", String.valueOf(Instant.now().getEpochSecond() + 1)));
        StandInTests.client(api, 3).get("/v2/firewalls");
        assertEquals(List.of(429, 200), api.log().stream().map(DigitalOceanStandIn.Exchange::status).toList());
    }

    @Test
    void aRateLimitLongerThanRigWaitsFailsAtOnceWithTheApisMessage() {
        api.rateLimitNext(1, Map.of("retry-after", "3600"));
        DigitalOceanException e = assertThrows(DigitalOceanException.class, () -> StandInTests.client(api, 3).get("/v2/firewalls"));
        assertEquals("GET /v2/firewalls: 429 too_many_requests: API rate limit exceeded.", e.getMessage().replaceAll(" \\(request id [^)]*\\)", "")
                .replaceAll("; the API asks.*", ""));
        assertTrue(e.getMessage().contains("the API asks to wait 3600 s, longer than rig waits (5 s)"), e.getMessage());
        assertEquals(1, api.log().size());
    }

    @Test
    void serverErrorsAreRetriedABoundedNumberOfTimes() {
        api.failNext(2, 503);
        assertTrue(StandInTests.client(api, 3).get("/v2/firewalls").has("firewalls"));
        assertEquals(List.of(503, 503, 200), api.log().stream().map(DigitalOceanStandIn.Exchange::status).toList());

        api.clearLog();
        api.failNext(10, 500);
        DigitalOceanException e = assertThrows(DigitalOceanException.class, () -> StandInTests.client(api, 3).get("/v2/firewalls"));
        assertEquals(4, api.log().size(), "one try and three retries");
        assertTrue(e.getMessage().startsWith("GET /v2/firewalls: 500 server_error: Unexpected server-side error"), e.getMessage());
        assertTrue(e.getMessage().endsWith("(after 4 attempts)"), e.getMessage());
        api.clearFaults();
    }

    @Test
    void aPostThatFailsWithAServerErrorIsNotSentTwice() {
        api.failNext(1, 500);
        Firewall f = Firewall.desired("web", List.of(Map.of("ports", 22, "sources", Map.of("addresses", List.of("10.0.0.0/8")))), null, null, null);
        DigitalOceanClient client = StandInTests.client(api, 3);
        DigitalOceanException e = assertThrows(DigitalOceanException.class, () -> client.send("POST", "/v2/firewalls", f.requestBody()));
        assertEquals(500, e.status());
        assertEquals(1, api.log().size(), "a POST that may have created the firewall is not repeated");
    }

    @Test
    void theApisErrorIsSurfacedWithTheRequestThatCausedIt() {
        Firewall f = Firewall.desired("web", List.of(Map.of("ports", 22, "sources", Map.of("tags", List.of("no-such-tag")))), null, null, null);
        DigitalOceanException e = assertThrows(DigitalOceanException.class,
                () -> StandInTests.client(api, 3).send("POST", "/v2/firewalls", f.requestBody()));
        assertEquals(422, e.status());
        assertEquals("unprocessable_entity", e.errorId());
        assertTrue(e.getMessage().matches("POST /v2/firewalls: 422 unprocessable_entity: tag 'no-such-tag' does not exist \\(request id [0-9a-f-]+\\)"),
                e.getMessage());

        DigitalOceanException missing = assertThrows(DigitalOceanException.class,
                () -> StandInTests.client(api, 3).get("/v2/firewalls/bb4b2611-3d72-467b-8602-280330ecd65c"));
        assertEquals(404, missing.status());
        assertTrue(missing.getMessage().startsWith("GET /v2/firewalls/bb4b2611-3d72-467b-8602-280330ecd65c: 404 not_found: "), missing.getMessage());
    }

    @Test
    void aWrongTokenIsReportedWithoutTheToken() {
        String wrong = "dop_v1_wrong_token_0123456789";
        DigitalOceanClient client = new DigitalOceanClient(ApiAccess.resolve(api.url(), wrong, Map.of()));
        DigitalOceanException e = assertThrows(DigitalOceanException.class, () -> client.get("/v2/firewalls"));
        assertEquals(401, e.status());
        assertTrue(e.getMessage().contains("401 unauthorized: Unable to authenticate you."), e.getMessage());
        assertFalse(e.getMessage().contains(wrong));
        assertEquals("Bearer " + wrong, api.log().get(0).authorization());
    }

    @Test
    void aSlowAnswerTimesOut() {
        api.delayNext(Duration.ofSeconds(2));
        DigitalOceanClient client = new DigitalOceanClient(StandInTests.access(api),
                new DigitalOceanClient.Options(Duration.ofSeconds(1), Duration.ofMillis(300), 0, Duration.ofMillis(10), Duration.ofSeconds(5)));
        DigitalOceanException e = assertThrows(DigitalOceanException.class, () -> client.get("/v2/firewalls"));
        assertEquals("GET /v2/firewalls: no answer within 0.3 s", e.getMessage());
    }

    @Test
    void theTokenNeverFollowsALinkToAnotherHost() {
        addFirewalls(250);
        api.linkTo("http://127.0.0.2:8080");
        DigitalOceanException e = assertThrows(DigitalOceanException.class, () -> StandInTests.client(api, 0).list("/v2/firewalls", "firewalls"));
        assertEquals("GET /v2/firewalls?per_page=200: the next-page link points to http://127.0.0.2:8080, not to " + api.url(), e.getMessage());
        assertEquals(1, api.log().size());
    }

    @Test
    void accessComesFromSettingsThenTheEnvironment() {
        Map<String, String> env = Map.of("DIGITALOCEAN_API_URL", "http://127.0.0.1:9/v2/", "DIGITALOCEAN_ACCESS_TOKEN", "from-access-env");
        ApiAccess fromEnv = ApiAccess.resolve(null, null, env);
        assertEquals("http://127.0.0.1:9", fromEnv.baseUrl().toString());
        assertEquals("from-access-env", fromEnv.token());
        assertEquals("from-token-env", ApiAccess.resolve(null, null,
                Map.of("DIGITALOCEAN_TOKEN", "from-token-env", "DIGITALOCEAN_ACCESS_TOKEN", "from-access-env")).token());
        ApiAccess explicit = ApiAccess.resolve("http://127.0.0.1:8", "from-variable", env);
        assertEquals("http://127.0.0.1:8", explicit.baseUrl().toString());
        assertEquals("from-variable", explicit.token());
        assertFalse(explicit.toString().contains("from-variable"));
        assertEquals("https://api.digitalocean.com", ApiAccess.resolve(null, "t", Map.of()).baseUrl().toString());
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class, () -> ApiAccess.resolve(null, null, Map.of()));
        assertEquals("no DigitalOcean API token: set DIGITALOCEAN_TOKEN or DIGITALOCEAN_ACCESS_TOKEN, or the variable digitalocean_token",
                none.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ApiAccess.resolve("ftp://example", "t", Map.of()));
    }
}

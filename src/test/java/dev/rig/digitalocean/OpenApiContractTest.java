package dev.rig.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The contract checker itself: it must pass what the contract allows and catch what it does not, or the other tests prove nothing. */
class OpenApiContractTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ID = "bb4b2611-3d72-467b-8602-280330ecd65c";
    private final OpenApiContract contract = OpenApiContract.load();

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private List<String> check(String method, String path, String query, String request, int status, String response) {
        return contract.problems(new DigitalOceanStandIn.Exchange(method, path, query, "Bearer x",
                request == null ? null : json(request), status, response == null ? null : json(response)));
    }

    private static final String FIREWALL = """
            {"firewall":{"id":"%s","name":"web","status":"succeeded","created_at":"2026-01-01T00:00:00Z",
             "inbound_rules":[{"protocol":"tcp","ports":"22","sources":{"addresses":["10.0.0.0/8"]}}],
             "outbound_rules":[],"droplet_ids":[],"tags":[],"pending_changes":[]}}""".formatted(ID);

    @Test
    void theContractsOwnExamplesConform() {
        assertEquals(List.of(), check("POST", "/v2/firewalls", null, """
                {"name":"firewall","inbound_rules":[{"protocol":"tcp","ports":"80","sources":{"load_balancer_uids":["4de7ac8b-495b-4884-9a69-1050c6793cd6"]}}],
                 "outbound_rules":[{"protocol":"tcp","ports":"80","destinations":{"addresses":["0.0.0.0/0","::/0"]}}],"droplet_ids":[8043964]}""",
                202, FIREWALL));
        assertEquals(List.of(), check("DELETE", "/v2/firewalls/" + ID, null, null, 204, null));
        assertEquals(List.of(), check("GET", "/v2/firewalls", "per_page=200&page=2", null, 200,
                "{\"firewalls\":[],\"links\":{\"pages\":{\"first\":\"u\",\"prev\":\"u\"}},\"meta\":{\"total\":0}}"));
        assertEquals(List.of(), check("GET", "/v2/firewalls", null, null, 429, "{\"id\":\"too_many_requests\",\"message\":\"API rate limit exceeded.\"}"));
    }

    @Test
    void badRequestsAreCaught() {
        List<String> p = check("PUT", "/v2/firewalls/" + ID, null, """
                {"id":"x","inbound_rules":[{"protocol":"sctp","ports":22,"sources":{"adresses":["10.0.0.1"]}}],"droplet_ids":["7"]}""",
                200, FIREWALL);
        String all = String.join("\n", p);
        assertTrue(all.contains("required property 'name' is missing"), all);
        assertTrue(all.contains(".id: readOnly, must not be sent"), all);
        assertTrue(all.contains("'sctp' is not one of [tcp, udp, icmp]"), all);
        assertTrue(all.contains(".ports: expected string, found number 22"), all);
        assertTrue(all.contains(".sources.adresses: not a property the contract declares"), all);
        assertTrue(all.contains("droplet_ids[0]: expected integer"), all);
        assertTrue(check("POST", "/v2/firewalls", null, "{\"name\":\"web\"}", 202, FIREWALL).stream()
                .anyMatch(s -> s.contains("matches none of anyOf")), "a firewall without rules");
        assertTrue(check("GET", "/v2/firewalls", "per_page=500", null, 200, "{\"firewalls\":[],\"links\":{},\"meta\":{\"total\":0}}")
                .stream().anyMatch(s -> s.contains("above maximum 200")));
        assertTrue(check("GET", "/v2/firewalls/not-a-uuid", null, null, 404, "{\"id\":\"not_found\",\"message\":\"m\"}")
                .stream().anyMatch(s -> s.contains("is not a uuid")));
        assertTrue(check("PATCH", "/v2/firewalls/" + ID, null, "{}", 200, FIREWALL).stream().anyMatch(s -> s.contains("not an operation")));
    }

    @Test
    void badAnswersAreCaught() {
        assertTrue(check("GET", "/v2/firewalls", null, null, 200, "{\"firewalls\":[]}").stream()
                .anyMatch(s -> s.contains("required property 'meta' is missing")), "a list without meta");
        assertTrue(check("GET", "/v2/firewalls/" + ID, null, null, 404, "{\"message\":\"gone\"}").stream()
                .anyMatch(s -> s.contains("required property 'id' is missing")), "an error without id");
        assertTrue(check("DELETE", "/v2/firewalls/" + ID, null, null, 204, "{}").stream()
                .anyMatch(s -> s.contains("has no body in the contract")));
        assertTrue(check("GET", "/v2/firewalls/" + ID, null, null, 200, FIREWALL.replace("\"succeeded\"", "\"done\"")).stream()
                .anyMatch(s -> s.contains("'done' is not one of [waiting, succeeded, failed]")));
        assertTrue(check("GET", "/v2/droplets", "tag_name=web", null, 200,
                "{\"droplets\":[{\"id\":1,\"name\":\"d\"}],\"links\":{},\"meta\":{\"total\":1}}").stream()
                .anyMatch(s -> s.contains("required property 'networks' is missing")));
    }
}

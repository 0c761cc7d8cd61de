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
        assertTrue(all.contains("request body: required property 'name' not found"), all);
        assertTrue(all.contains("/id: is a readonly field"), all);
        assertTrue(all.contains("/inbound_rules/0/protocol: does not have a value in the enumeration [\"tcp\", \"udp\", \"icmp\"]"), all);
        assertTrue(all.contains("/inbound_rules/0/ports: integer found, string expected"), all);
        assertTrue(all.contains("/inbound_rules/0/sources/adresses: not a property the contract declares"), all);
        assertTrue(all.contains("/droplet_ids/0: string found, integer expected"), all);
        assertEquals(List.of("POST /v2/firewalls request body: required property 'inbound_rules' not found",
                "POST /v2/firewalls request body: required property 'outbound_rules' not found"),
                check("POST", "/v2/firewalls", null, "{\"name\":\"web\"}", 202, FIREWALL), "a firewall without rules matches neither anyOf branch");
        assertTrue(check("GET", "/v2/firewalls", "per_page=500", null, 200, "{\"firewalls\":[],\"links\":{},\"meta\":{\"total\":0}}")
                .stream().anyMatch(s -> s.contains("query per_page: must have a maximum value of 200")));
        assertTrue(check("GET", "/v2/firewalls/not-a-uuid", null, null, 404, "{\"id\":\"not_found\",\"message\":\"m\"}")
                .stream().anyMatch(s -> s.contains("path parameter firewall_id: does not match the uuid pattern")));
        assertTrue(check("PATCH", "/v2/firewalls/" + ID, null, "{}", 200, FIREWALL).stream().anyMatch(s -> s.contains("not an operation")));
    }

    @Test
    void badAnswersAreCaught() {
        assertTrue(check("GET", "/v2/firewalls", null, null, 200, "{\"firewalls\":[]}").stream()
                .anyMatch(s -> s.contains("required property 'meta' not found")), "a list without meta");
        assertTrue(check("GET", "/v2/firewalls/" + ID, null, null, 404, "{\"message\":\"gone\"}").stream()
                .anyMatch(s -> s.contains("required property 'id' not found")), "an error without id");
        assertTrue(check("DELETE", "/v2/firewalls/" + ID, null, null, 204, "{}").stream()
                .anyMatch(s -> s.contains("has no body in the contract")));
        assertTrue(check("GET", "/v2/firewalls/" + ID, null, null, 200, FIREWALL.replace("\"succeeded\"", "\"done\"")).stream()
                .anyMatch(s -> s.contains("/firewall/status: does not have a value in the enumeration")));
        assertTrue(check("GET", "/v2/droplets", "tag_name=web", null, 200,
                "{\"droplets\":[{\"id\":1,\"name\":\"d\"}],\"links\":{},\"meta\":{\"total\":1}}").stream()
                .anyMatch(s -> s.contains("/droplets/0: required property 'networks' not found")));
    }

    /** OpenAPI 3.0's nullable: null is allowed where the schema says so, and only there. */
    @Test
    void nullIsAllowedOnlyWhereTheSchemaIsNullable() {
        assertEquals(List.of(), check("GET", "/v2/firewalls/" + ID, null, null, 200,
                FIREWALL.replace("\"outbound_rules\":[]", "\"outbound_rules\":null")));
        assertEquals(List.of("GET /v2/firewalls/" + ID + " 200 body /firewall/name: null found, string expected"),
                check("GET", "/v2/firewalls/" + ID, null, null, 200, FIREWALL.replace("\"web\"", "null")));
    }

    /** What the hand-written checks never looked at: formats (here date-time) are asserted too. */
    @Test
    void formatsAreChecked() {
        assertEquals(List.of("GET /v2/firewalls/" + ID + " 200 body /firewall/created_at: does not match the date-time pattern must be a valid RFC 3339 date-time"),
                check("GET", "/v2/firewalls/" + ID, null, null, 200, FIREWALL.replace("2026-01-01T00:00:00Z", "yesterday")));
    }

    /** A droplet's image, size and region are $refs to files the contract copy leaves out: anything passes there, and they are listed. */
    @Test
    void refsOutsideTheContractCopyAcceptAnythingAndAreListed() {
        String droplets = """
                {"droplets":[{"id":1,"name":"d","memory":1024,"vcpus":1,"disk":25,"locked":false,"status":"active",
                 "created_at":"2026-01-02T03:04:05Z","features":[],"backup_ids":[],"next_backup_window":null,"snapshot_ids":[],
                 "image":"not an image","volume_ids":[],"size":42,"size_slug":"s-1vcpu-1gb","networks":{"v4":[],"v6":[]},
                 "region":[],"tags":[]}],"links":{},"meta":{"total":1}}""";
        assertEquals(List.of(), check("GET", "/v2/droplets", null, null, 200, droplets));
        assertTrue(contract.unchecked.containsAll(List.of("resources/images/models/image.yml", "resources/sizes/models/size.yml",
                "resources/regions/models/region.yml")), contract.unchecked.toString());
    }
}

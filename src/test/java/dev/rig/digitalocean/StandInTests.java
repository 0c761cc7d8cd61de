package dev.rig.digitalocean;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What the DigitalOcean tests share: the stand-in's address and token as rig takes them, and the contract check. */
final class StandInTests {
    private static final OpenApiContract CONTRACT = OpenApiContract.load();

    private StandInTests() {}

    /** Variables that point rig at the stand-in (they win over DIGITALOCEAN_* in the environment). */
    static Map<String, Object> vars(DigitalOceanStandIn api) {
        Map<String, Object> vars = new HashMap<>();
        vars.put(ApiAccess.URL_VARIABLE, api.url());
        vars.put(ApiAccess.TOKEN_VARIABLE, DigitalOceanStandIn.TOKEN);
        return vars;
    }

    static ApiAccess access(DigitalOceanStandIn api) {
        return ApiAccess.resolve(api.url(), DigitalOceanStandIn.TOKEN, Map.of());
    }

    /** Short waits, so that retry tests take milliseconds, not seconds. */
    static DigitalOceanClient client(DigitalOceanStandIn api, int maxRetries) {
        return new DigitalOceanClient(access(api), new DigitalOceanClient.Options(Duration.ofSeconds(2), Duration.ofSeconds(5),
                maxRetries, Duration.ofMillis(10), Duration.ofSeconds(5)));
    }

    /** Every request rig sent and every answer the stand-in gave conform to the OpenAPI contract. */
    static void assertConformsToContract(DigitalOceanStandIn api) {
        List<String> problems = api.log().stream().flatMap(e -> CONTRACT.problems(e).stream()).toList();
        assertEquals(List.of(), problems, "exchanges that depart from contracts/digitalocean");
    }
}

package dev.rig.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Optional;

/**
 * The firewall endpoints rig uses (resources/firewalls in the contract): read by name (I/O, with a
 * client), and create, replace, delete as {@link ApiRequest} values (no I/O until apply runs them).
 */
public final class Firewalls {
    static final String PATH = "/v2/firewalls";

    private final DigitalOceanClient client;

    public Firewalls(DigitalOceanClient client) {
        this.client = client;
    }

    /**
     * The firewall with this name, read from every page of the list. Names are not unique at
     * DigitalOcean, but rig finds firewalls by name, so two of one name is an error.
     */
    public Optional<Firewall> findByName(String name) {
        List<JsonNode> found = client.list(PATH, "firewalls").stream().filter(f -> name.equals(f.path("name").asText())).toList();
        if (found.size() > 1) {
            throw new DigitalOceanException("GET " + PATH, 0, null, found.size() + " firewalls are named '" + name + "' (ids "
                    + String.join(", ", found.stream().map(f -> f.path("id").asText()).toList())
                    + "); rig finds a firewall by its name, so rename or delete all but one");
        }
        return found.stream().findFirst().map(Firewall::fromApi);
    }

    public static ApiRequest create(ApiAccess api, Firewall desired) {
        return new ApiRequest(api, "POST", PATH, desired.requestBody(), "create firewall '" + desired.name() + "'");
    }

    /** PUT replaces the whole firewall, so the body is the full desired firewall. */
    public static ApiRequest replace(ApiAccess api, String id, Firewall desired) {
        return new ApiRequest(api, "PUT", PATH + "/" + id, desired.requestBody(), "update firewall '" + desired.name() + "'");
    }

    public static ApiRequest delete(ApiAccess api, Firewall current) {
        return new ApiRequest(api, "DELETE", PATH + "/" + current.id(), null, "delete firewall '" + current.name() + "'");
    }
}

package dev.rig.digitalocean;

import dev.rig.facts.LocalFact;

import java.util.Objects;
import java.util.Optional;

/**
 * The fact the digitalocean_firewall module plans from: the firewall of one name as the API holds it
 * (empty when there is none), and the API it was read from, where the requests that converge it go.
 * Read on the operator's machine before plan, by {@link #of}.
 */
public record CurrentFirewall(ApiAccess api, String name, Optional<Firewall> firewall) {
    public CurrentFirewall {
        Objects.requireNonNull(api, "api");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(firewall, "firewall");
    }

    /** Reads the firewall named {@code name} at {@code api}: every page of GET /v2/firewalls. */
    public static LocalFact<CurrentFirewall> of(ApiAccess api, String name) {
        return () -> {
            try {
                return new CurrentFirewall(api, name, new Firewalls(new DigitalOceanClient(api)).findByName(name));
            } catch (DigitalOceanException | IllegalArgumentException e) {
                throw new LocalFact.Unreadable("cannot read firewall '" + name + "': " + e.getMessage(), e);
            }
        };
    }
}

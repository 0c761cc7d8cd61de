package dev.rig.plan;

import java.util.Map;

/**
 * A change carried out on the operator's machine rather than on a host — an API call such as
 * a DigitalOcean firewall update. Described as data (for plans and their digests); run only by
 * the engine during apply.
 */
public interface LocalEffect {
    String description();

    /** What the effect does, as data: e.g. method, path and body of an API request (no secrets). */
    Map<String, Object> data();

    /** Carries the effect out; returns its output (registered as stdout). */
    String run() throws Exception;
}

package dev.rig.digitalocean;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rig.core.Errors;
import dev.rig.core.InvalidInputException;
import dev.rig.core.Source;
import dev.rig.core.YamlFiles;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Droplets as inventory hosts: an inventory source file named like Ansible's plugin wants it
 * ({@code digitalocean.yml}, or {@code NAME.digitalocean.yml}; {@code .yaml} too) holding
 * {@code plugin: digitalocean}. Every droplet becomes a host named after the droplet, in one
 * group per tag (characters other than letters, digits, '_' and '-' become '_', so
 * {@code env:prod} is group {@code env_prod}), with {@code ansible_host} set to its public or its
 * private (VPC) IPv4 address as {@code address:} says, and {@code public_ip}, {@code private_ip}
 * and {@code do_*} facts. The droplets are listed once when the inventory is loaded, i.e. once per run.
 */
public final class DropletInventory {
    /** A host the inventory adds: its name, variables and the groups (tags) it belongs to. */
    public record DropletHost(String name, Map<String, Object> vars, List<String> groups) {}

    static final List<String> PLUGIN_NAMES = List.of("digitalocean", "community.digitalocean.digitalocean");
    static final List<String> OPTIONS = List.of("plugin", "api_url", "api_token", "address", "tag_name");
    static final List<String> ADDRESSES = List.of("public", "private");

    private DropletInventory() {}

    /** The droplet sources an inventory path names: the file itself, or those in the directory. */
    public static List<Path> sourcesAt(Path inventory) {
        if (Files.isRegularFile(inventory)) return isSource(inventory) ? List.of(inventory) : List.of();
        if (!Files.isDirectory(inventory)) return List.of();
        try (Stream<Path> files = Files.list(inventory)) {
            return files.filter(Files::isRegularFile).filter(DropletInventory::isSource).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean isSource(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith("digitalocean.yml") || name.endsWith("digitalocean.yaml");
    }

    public static List<DropletHost> load(Path source) {
        return load(source, System.getenv());
    }

    /** @throws InvalidInputException for a bad source file or a failed API call, naming the file */
    public static List<DropletHost> load(Path source, Map<String, String> env) {
        Errors errors = new Errors();
        Map<String, Object> options = options(source, errors);
        errors.throwIfAny();
        Source at = Source.of(source, 1, 1);
        String address = String.valueOf(options.getOrDefault("address", "public"));
        DigitalOceanClient client;
        try {
            client = new DigitalOceanClient(ApiAccess.resolve(options.get("api_url"), options.get("api_token"), env));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(at, e.getMessage());
        }
        String path = "/v2/droplets";
        if (options.get("tag_name") != null) path += "?tag_name=" + URLEncoder.encode(String.valueOf(options.get("tag_name")), StandardCharsets.UTF_8);
        List<JsonNode> droplets;
        try {
            droplets = client.list(path, "droplets");
        } catch (DigitalOceanException e) {
            throw new InvalidInputException(at, "cannot list droplets: " + e.getMessage());
        }
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        List<DropletHost> hosts = new ArrayList<>();
        for (JsonNode d : droplets) {
            String name = d.path("name").asText();
            JsonNode twin = byName.putIfAbsent(name, d);
            if (twin != null) {
                errors.add(at, "two droplets are named '" + name + "' (ids " + twin.path("id").asText() + " and "
                        + d.path("id").asText() + "); hosts are named after droplets, so rename one");
                continue;
            }
            host(d, address, at, errors).ifPresent(hosts::add);
        }
        errors.throwIfAny();
        return hosts;
    }

    private static Optional<DropletHost> host(JsonNode d, String address, Source at, Errors errors) {
        String name = d.path("name").asText();
        Optional<String> publicIp = ipv4(d, "public");
        Optional<String> privateIp = ipv4(d, "private");
        Optional<String> chosen = address.equals("private") ? privateIp : publicIp;
        if (chosen.isEmpty()) {
            errors.add(at, "droplet '" + name + "' has no " + address + " IPv4 address for ansible_host (address: " + address + ")");
            return Optional.empty();
        }
        Map<String, Object> vars = new LinkedHashMap<>();
        vars.put("ansible_host", chosen.get());
        publicIp.ifPresent(ip -> vars.put("public_ip", ip));
        privateIp.ifPresent(ip -> vars.put("private_ip", ip));
        List<String> tags = new ArrayList<>();
        d.path("tags").forEach(t -> tags.add(t.asText()));
        vars.put("do_id", d.path("id").asLong());
        vars.put("do_status", d.path("status").asText());
        vars.put("do_region", d.path("region").path("slug").asText(null));
        vars.put("do_size_slug", d.path("size_slug").asText(null));
        vars.put("do_vpc_uuid", d.path("vpc_uuid").asText(null));
        vars.put("do_tags", List.copyOf(tags));
        return Optional.of(new DropletHost(name, vars, tags.stream().map(DropletInventory::groupName).distinct().toList()));
    }

    private static Optional<String> ipv4(JsonNode droplet, String type) {
        for (JsonNode n : droplet.path("networks").path("v4")) {
            if (type.equals(n.path("type").asText()) && n.path("ip_address").isTextual()) return Optional.of(n.get("ip_address").asText());
        }
        return Optional.empty();
    }

    /** Tag names may hold ':' (env:prod), which host patterns read as "or": such characters become '_'. */
    static String groupName(String tag) {
        return tag.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    private static Map<String, Object> options(Path source, Errors errors) {
        Node root = YamlFiles.compose(source, errors);
        Map<String, Object> options = new HashMap<>();
        if (root == null) return options;
        if (!(root instanceof MappingNode map)) {
            errors.add(YamlFiles.source(source, root), "a droplet inventory source is a mapping with 'plugin: digitalocean'");
            return options;
        }
        for (NodeTuple t : YamlFiles.entries(map)) {
            String key = YamlFiles.keyName(t);
            Object value = YamlFiles.value(t.getValueNode());
            Source where = YamlFiles.source(source, t.getKeyNode());
            if (!OPTIONS.contains(key)) {
                errors.add(where, "unknown option '" + key + "'; expected " + String.join(", ", OPTIONS));
            } else if (key.equals("plugin") && !PLUGIN_NAMES.contains(String.valueOf(value))) {
                errors.add(where, "plugin must be 'digitalocean', not '" + value + "'");
            } else if (key.equals("address") && !ADDRESSES.contains(String.valueOf(value))) {
                errors.add(where, "address must be public or private (the VPC address), not '" + value + "'");
            } else if (value instanceof Map<?, ?> || value instanceof List<?>) {
                errors.add(where, "option '" + key + "' must be a single value");
            }
            options.put(key, value);
        }
        if (!options.containsKey("plugin")) errors.add(Source.of(source, 1, 1), "a droplet inventory source needs 'plugin: digitalocean'");
        return options;
    }
}

package dev.rig.digitalocean;

import dev.rig.testkit.Rig;
import dev.rig.core.InvalidInputException;
import dev.rig.inventory.Host;
import dev.rig.inventory.Inventory;
import dev.rig.inventory.InventoryLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Droplets as inventory hosts through the real inventory loader: groups by tag, addresses, options and errors. */
@Tag("integration")
class DropletInventoryTest {
    @TempDir
    Path dir;
    private DigitalOceanStandIn api;

    @BeforeEach
    void start() {
        api = DigitalOceanStandIn.start();
        api.addDroplet(101, "edge1", List.of("edge", "env:prod"), "192.0.2.11", "10.110.0.11");
        api.addDroplet(102, "edge2", List.of("edge"), "192.0.2.12", "10.110.0.12");
        api.addDroplet(201, "central", List.of("central", "env:prod"), "192.0.2.21", "10.110.0.21");
        api.addDroplet(301, "scratch", List.of(), "192.0.2.31", "10.110.0.31");
    }

    @AfterEach
    void stop() {
        StandInTests.assertConformsToContract(api);
        api.close();
    }

    private Path source(String name, String extra) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, "plugin: digitalocean\napi_url: " + api.url() + "\napi_token: " + DigitalOceanStandIn.TOKEN + "\n" + extra);
        return f;
    }

    @Test
    void dropletsJoinTheHostsFileGroupedByTagWithGroupVars() throws IOException {
        Files.writeString(dir.resolve("hosts.yml"), "all:\n  children:\n    ops:\n      hosts:\n        bastion:\n          ansible_host: 127.0.0.9\n");
        Files.createDirectories(dir.resolve("group_vars"));
        Files.writeString(dir.resolve("group_vars/edge.yml"), "role: edge\n");
        source("digitalocean.yml", "");
        Inventory inv = InventoryLoader.load(dir);

        // A directory's sources are read in file-name order, as Ansible reads them: digitalocean.yml before hosts.yml.
        assertEquals(List.of("edge1", "edge2", "central", "scratch", "bastion"), inv.hosts().stream().map(Host::name).toList());
        assertEquals(List.of("edge1", "edge2"), inv.select("edge").stream().map(Host::name).toList());
        assertEquals(List.of("edge1", "central"), inv.select("env_prod").stream().map(Host::name).toList(), "env:prod is group env_prod");
        assertEquals(List.of("scratch"), inv.select("ungrouped").stream().map(Host::name).toList());
        Host edge1 = inv.host("edge1").orElseThrow();
        assertEquals("192.0.2.11", edge1.address(), "ansible_host is the public address by default");
        assertEquals("10.110.0.11", edge1.vars().get("private_ip"));
        assertEquals("192.0.2.11", edge1.vars().get("public_ip"));
        assertEquals(101L, edge1.vars().get("do_id"));
        assertEquals(List.of("edge", "env:prod"), edge1.vars().get("do_tags"));
        assertEquals("fra1", edge1.vars().get("do_region"));
        assertEquals("edge", edge1.vars().get("role"), "group_vars/edge.yml applies to the tag's group");
        assertEquals(List.of("edge", "env_prod"), edge1.vars().get("group_names"));
        assertEquals(1, api.log().size(), "listed once");
    }

    @Test
    void addressPrivateUsesTheVpcAddressAndTagNameFiltersAtTheApi() throws IOException {
        Path f = source("prod.digitalocean.yaml", "address: private\ntag_name: env:prod\n");
        Inventory inv = InventoryLoader.load(f);
        assertEquals(List.of("edge1", "central"), inv.hosts().stream().map(Host::name).toList());
        assertEquals("10.110.0.21", inv.host("central").orElseThrow().address());
        assertEquals("tag_name=env%3Aprod&per_page=200", api.log().get(0).query());
    }

    @Test
    void mistakesInTheSourceNameTheirPlace() throws IOException {
        Path f = source("digitalocean.yml", "adress: private\naddress: vpc\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InventoryLoader.load(dir));
        assertEquals(List.of(
                f + ":4:1: unknown option 'adress'; expected plugin, api_url, api_token, address, tag_name",
                f + ":5:1: address must be public or private (the VPC address), not 'vpc'"),
                e.errors().stream().map(Object::toString).toList());
        assertEquals(List.of(), api.log(), "a bad source calls no API");
    }

    @Test
    void aRefusedTokenIsAnInventoryErrorWithoutTheToken() throws IOException {
        Path f = dir.resolve("digitalocean.yml");
        Files.writeString(f, "plugin: digitalocean\napi_url: " + api.url() + "\napi_token: dop_v1_revoked_token_42\n");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InventoryLoader.load(dir));
        String message = e.errors().get(0).toString().replaceAll(" \\(request id [^)]*\\)", "");
        assertEquals(f + ":1:1: cannot list droplets: GET /v2/droplets?per_page=200: 401 unauthorized: Unable to authenticate you.", message);
        assertFalse(e.getMessage().contains("dop_v1_revoked_token_42"));
    }

    @Test
    void twoDropletsOfOneNameAreRefused() throws IOException {
        api.addDroplet(102, "edge1", List.of("edge"), "192.0.2.12", "10.110.0.12");
        source("digitalocean.yml", "");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> InventoryLoader.load(dir));
        assertTrue(e.getMessage().contains("two droplets are named 'edge1' (ids 101 and 102)"), e.getMessage());
    }

    @Test
    void rigInventoryListShowsTheDroplets() throws IOException {
        source("digitalocean.yml", "address: private\n");
        Rig list = Rig.run(List.of("inventory", "-i", dir.toString(), "--list"));
        assertEquals(0, list.exit(), list::toString);
        assertTrue(list.out().contains("\"edge1\""), list.out());
        assertTrue(list.out().contains("\"ansible_host\" : \"10.110.0.11\"") || list.out().contains("\"ansible_host\":\"10.110.0.11\""), list.out());
        assertFalse(list.all().contains(DigitalOceanStandIn.TOKEN));
        Rig graph = Rig.run(List.of("inventory", "-i", dir.toString(), "--graph"));
        assertTrue(graph.out().contains("edge"), graph.out());
    }
}

package dev.rig.inventory;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Fixture "patterns": hosts in order 10.0.0.5, web1, web2, db1, db2, lb1; groups web (web1, web2),
 * db (db1, db2), lb (lb1), prod (child web; db1, lb1), staging (db2), empty, and a group web2 (lb1)
 * named like a host.
 */
class HostPatternTest {
    private static final List<String> EVERY_HOST = List.of("10.0.0.5", "web1", "web2", "db1", "db2", "lb1");
    private final Inventory inventory = Fixtures.load("patterns");

    private List<String> select(String pattern) {
        return inventory.select(pattern).stream().map(Host::name).toList();
    }

    @Test
    void allAndStarSelectEveryHostInInventoryOrder() {
        assertEquals(EVERY_HOST, select("all"));
        assertEquals(EVERY_HOST, select("*"));
    }

    @Test
    void hostName() {
        assertEquals(List.of("web1"), select("web1"));
        assertEquals(List.of("10.0.0.5"), select("10.0.0.5"));
    }

    @Test
    void groupNameSelectsItsHostsThroughChildren() {
        assertEquals(List.of("web1", "web2"), select("web"));
        assertEquals(List.of("web1", "web2", "db1", "lb1"), select("prod"));
        assertEquals(List.of("10.0.0.5"), select("ungrouped"));
    }

    @Test
    void hostNameWinsOverGroupOfTheSameName() {
        assertEquals(List.of("web2"), select("web2"));
    }

    @Test
    void globsMatchHostAndGroupNames() {
        assertEquals(List.of("web1", "web2", "lb1"), select("web*"), "hosts web1, web2 and groups web, web2 (lb1)");
        assertEquals(List.of("db1", "db2"), select("db?"));
        assertEquals(List.of("db1", "db2"), select("d?"), "group db");
        assertEquals(List.of("10.0.0.5"), select("10.0.*"));
    }

    @Test
    void unionWithColonOrComma() {
        assertEquals(List.of("web1", "web2", "db1", "db2"), select("web:db"));
        assertEquals(List.of("web1", "web2", "db1", "db2"), select("db, web"));
    }

    @Test
    void resultHasNoDuplicates() {
        assertEquals(List.of("web1", "web2"), select("web1,web,web1"));
    }

    @Test
    void intersection() {
        assertEquals(List.of("db1"), select("prod:&db"));
        assertEquals(List.of("db1"), select("prod,&db"));
    }

    @Test
    void exclusion() {
        assertEquals(List.of("db1", "lb1"), select("prod:!web"));
    }

    @Test
    void unionsThenIntersectionsThenExclusionsWhateverTheWrittenOrder() {
        assertEquals(List.of("db1", "lb1"), select("!web:prod"));
        assertEquals(List.of("web2"), select("!web1:&web:prod"));
        assertEquals(List.of("db2"), select("&staging:web:db"));
    }

    @Test
    void onlyExclusionsStartFromAll() {
        assertEquals(List.of("10.0.0.5", "db1", "db2", "lb1"), select("!web"));
    }

    @Test
    void regexMatchesFromTheStartOfHostAndGroupNames() {
        assertEquals(List.of("db2"), select("~d.*2"));
        assertEquals(List.of("web1", "web2", "lb1"), select("~web"), "like Python re.match: a prefix is enough");
        assertEquals(List.of("db1", "db2"), select("~db[12]"));
    }

    @Test
    void invalidRegexIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> select("~web("));
        assertTrue(e.getMessage().startsWith("invalid regular expression in host pattern '~web('"), e.getMessage());
    }

    @Test
    void emptyGroupAndEmptyPatternSelectNothing() {
        assertEquals(List.of(), select("empty"));
        assertEquals(List.of(), select(""));
        assertEquals(List.of(), select("nope"));
    }

    @Test
    void unmatchedPartsAreReportedAsWritten() {
        assertEquals(List.of("nope", "&missing", "!gone", "zz*"), inventory.unmatchedPatternParts("web:nope:&missing:!gone:empty:zz*:db?"));
        assertEquals(List.of(), inventory.unmatchedPatternParts("all:!ungrouped:~lb"));
    }

    @Test
    void splitKeepsColonsInsideBrackets() {
        assertEquals(List.of("~web[1:2]", "db"), HostPattern.split("~web[1:2]:db"));
        assertEquals(List.of("a", "&b", "!c"), HostPattern.split(" a : &b :!c "));
    }
}

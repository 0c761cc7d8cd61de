package dev.rig.stack;

import dev.rig.stack.AlloySyntax.Block;
import dev.rig.stack.AlloySyntax.Config;
import dev.rig.stack.AlloySyntax.SyntaxError;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Alloy syntax: a Docker-logs-to-Loki config parses and checks clean; each kind of mistake is named with its line. */
class AlloySyntaxTest {

    /** The usual docker-logs-to-Loki pipeline (Alloy's "monitor Docker containers" example), labels host/container/job. */
    static final String VALID = """
            // Ships every container's log lines to the central Loki.
            local.file "loki_password" {
              filename  = "/etc/alloy/loki-password"
              is_secret = true
            }

            discovery.docker "containers" {
              host             = "unix:///var/run/docker.sock"
              refresh_interval = "5s"

              filter {
                name   = "status"
                values = ["running"]
              }
            }

            /* Relabelling applied by loki.source.docker:
               container name without its leading slash, the host, a fixed job. */
            discovery.relabel "containers" {
              targets = []

              rule {
                source_labels = ["__meta_docker_container_name"]
                regex         = "/(.*)"
                target_label  = "container"
              }
              rule {
                target_label = "host"
                replacement  = sys.env("HOSTNAME")
              }
              rule {
                target_label = "job"
                replacement  = "docker"
              }
            }

            loki.source.docker "containers" {
              host          = "unix:///var/run/docker.sock"
              targets       = discovery.docker.containers.targets
              relabel_rules = discovery.relabel.containers.rules
              labels        = {"source" = "alloy"}
              forward_to    = [loki.process.containers.receiver]
            }

            loki.process "containers" {
              forward_to = [loki.write.central.receiver]

              stage.docker {}
            }

            loki.write "central" {
              endpoint {
                url        = "https://logs.example.com/loki/api/v1/push"
                batch_wait = "1s"

                basic_auth {
                  username = "edge"
                  password = local.file.loki_password.content
                }

                tls_config {
                  server_name = "logs.example.com"
                }
              }

              external_labels = {
                host = constants.hostname,
              }
            }
            """;

    /** {@code base} with {@code from} replaced; fails if {@code from} is absent, so no edit is silently lost. */
    private static String edit(String from, String to) {
        assertTrue(VALID.contains(from), "test config has no '" + from + "'");
        return VALID.replace(from, to);
    }

    private static String lineOf(String needle) {
        String before = VALID.substring(0, VALID.indexOf(needle));
        return String.valueOf(before.split("\n", -1).length);
    }

    private static void assertOneProblem(String source, String line, String... mention) {
        List<String> problems = AlloySyntax.validate(source);
        assertEquals(1, problems.size(), String.join("\n", problems));
        String p = problems.get(0);
        assertTrue(p.startsWith(line + ":"), "should name line " + line + ": " + p);
        for (String m : mention) {
            assertTrue(p.contains(m), "should mention '" + m + "': " + p);
        }
    }

    // ---- valid ----

    @Test
    void dockerLogsToLokiParsesAndChecksClean() {
        Config config = AlloySyntax.parse(VALID);
        assertEquals(List.of(), AlloySyntax.check(config));
        assertEquals(6, config.blocks().size());

        Block write = config.component("loki.write", "central");
        assertNotNull(write);
        Block endpoint = write.blocks("endpoint").get(0);
        var url = assertInstanceOf(AlloySyntax.Literal.class, endpoint.attribute("url").value());
        assertEquals("https://logs.example.com/loki/api/v1/push", url.text());
        assertEquals(Integer.parseInt(lineOf("loki.write \"central\"")), write.pos().line());

        Block relabel = config.component("discovery.relabel", "containers");
        assertEquals(3, relabel.blocks("rule").size());
        assertInstanceOf(AlloySyntax.Call.class, relabel.blocks("rule").get(1).attribute("replacement").value());
    }

    @Test
    void expressionsOfEveryKindParse() {
        Config c = AlloySyntax.parse("""
                local.file "x" {
                  filename = string.format("%s/%s", sys.env("DIR"), "f") + `raw\\no escape`
                  is_secret = !false && (1 + 2 * 3 ^ 2 >= -4.5e1 || null == null)
                  poll_frequency = ["a", "b",][0]
                  detector = {"k" = 1, k2 = {nested = [1, 2]}, }["k2"].nested /* inline comment */
                }
                """);
        assertEquals(List.of(), AlloySyntax.check(c));
        var fn = assertInstanceOf(AlloySyntax.Binary.class, c.blocks().get(0).attribute("filename").value());
        assertEquals("+", fn.op());
        var raw = assertInstanceOf(AlloySyntax.Literal.class, fn.right());
        assertEquals("raw\\no escape", raw.text());
    }

    @Test
    void escapesAreDecoded() {
        Config c = AlloySyntax.parse("local.file \"x\" {\n  filename = \"a\\tb\\\"c\\u00e9\\x41\\101\"\n}\n");
        var lit = (AlloySyntax.Literal) c.blocks().get(0).attribute("filename").value();
        assertEquals("a\tb\"céAA", lit.text());
    }

    // ---- syntax errors: thrown, with line:column ----

    @Test
    void unbalancedBraceNamesTheBlockThatIsNeverClosed() {
        String src = VALID.substring(0, VALID.lastIndexOf('}'));
        SyntaxError e = assertThrows(SyntaxError.class, () -> AlloySyntax.parse(src));
        assertEquals(Integer.parseInt(lineOf("loki.write \"central\"")), e.line());
        assertTrue(e.getMessage().startsWith(lineOf("loki.write \"central\"") + ":1: block loki.write \"central\""),
                e.getMessage());
        assertTrue(e.getMessage().contains("never closed"), e.getMessage());
    }

    @Test
    void strayClosingBraceIsNamedWhereItIs() {
        SyntaxError e = assertThrows(SyntaxError.class,
                () -> AlloySyntax.parse(edit("  stage.docker {}\n}\n", "  stage.docker {}\n}\n}\n")));
        assertEquals(Integer.parseInt(lineOf("stage.docker")) + 2, e.line());
        assertTrue(e.getMessage().contains("got '}'"), e.getMessage());
    }

    @Test
    void multiLineListWithoutTrailingCommaIsAnError() {
        SyntaxError e = assertThrows(SyntaxError.class, () -> AlloySyntax.parse(
                edit("values = [\"running\"]", "values = [\n    \"running\",\n    \"paused\"\n  ]")));
        assertEquals(Integer.parseInt(lineOf("values = [")) + 2, e.line());
        assertTrue(e.getMessage().contains("missing ','"), e.getMessage());
    }

    @Test
    void otherSyntaxErrorsCarryLineAndColumn() {
        SyntaxError single = assertThrows(SyntaxError.class,
                () -> AlloySyntax.parse(edit("regex         = \"/(.*)\"", "regex         = '/(.*)'")));
        assertEquals(Integer.parseInt(lineOf("regex")), single.line());
        assertEquals(21, single.column());
        assertTrue(single.getMessage().contains("single-quoted"), single.getMessage());

        SyntaxError unterminated = assertThrows(SyntaxError.class,
                () -> AlloySyntax.parse(edit("\"docker\"\n", "\"docker\n")));
        assertTrue(unterminated.getMessage().contains("not terminated"), unterminated.getMessage());

        SyntaxError bareDuration = assertThrows(SyntaxError.class,
                () -> AlloySyntax.parse(edit("refresh_interval = \"5s\"", "refresh_interval = 5s")));
        assertEquals(Integer.parseInt(lineOf("refresh_interval")), bareDuration.line());

        SyntaxError comment = assertThrows(SyntaxError.class, () -> AlloySyntax.parse(VALID + "/* trailing"));
        assertTrue(comment.getMessage().contains("comment not terminated"), comment.getMessage());

        SyntaxError dottedAttr = assertThrows(SyntaxError.class,
                () -> AlloySyntax.parse(edit("is_secret = true", "is.secret = true")));
        assertTrue(dottedAttr.getMessage().contains("can't contain '.'"), dottedAttr.getMessage());

        SyntaxError badLabel = assertThrows(SyntaxError.class,
                () -> AlloySyntax.parse(edit("loki.write \"central\"", "loki.write \"central-1\"")));
        assertTrue(badLabel.getMessage().contains("not a valid identifier"), badLabel.getMessage());
    }

    // ---- check: component table and references ----

    @Test
    void unknownComponentIsNamedWithASuggestion() {
        assertOneProblem(edit("loki.source.docker \"containers\"", "loki.source.dockr \"containers\""),
                lineOf("loki.source.docker \"containers\""), "unknown component loki.source.dockr",
                "did you mean loki.source.docker?");
    }

    @Test
    void missingRequiredAttributeIsNamed() {
        assertOneProblem(edit("  forward_to    = [loki.process.containers.receiver]\n", ""),
                lineOf("loki.source.docker \"containers\""), "loki.source.docker \"containers\"",
                "missing required attribute forward_to");
        assertOneProblem(edit("    url        = \"https://logs.example.com/loki/api/v1/push\"\n", ""),
                lineOf("  endpoint {"), "loki.write \"central\" > endpoint", "missing required attribute url");
        assertOneProblem(edit("  host             = \"unix:///var/run/docker.sock\"\n", ""),
                lineOf("discovery.docker"), "missing required attribute host");
        assertOneProblem(edit("  filename  = \"/etc/alloy/loki-password\"\n", ""),
                lineOf("local.file"), "missing required attribute filename");
    }

    @Test
    void danglingReferenceIsNamed() {
        assertOneProblem(edit("[loki.write.central.receiver]", "[loki.write.centrl.receiver]"),
                lineOf("[loki.write.central.receiver]"), "undefined component loki.write \"centrl\"");
        assertOneProblem(edit("local.file.loki_password.content", "local.file.loki_pasword.content"),
                lineOf("local.file.loki_password.content"), "undefined component local.file \"loki_pasword\"");
    }

    @Test
    void wrongExportOrHalfReferenceIsNamed() {
        assertOneProblem(edit("[loki.write.central.receiver]", "[loki.write.central.reciever]"),
                lineOf("[loki.write.central.receiver]"), "loki.write has no export reciever", "receiver");
        assertOneProblem(edit("relabel_rules = discovery.relabel.containers.rules",
                        "relabel_rules = discovery.relabel.containers"),
                lineOf("relabel_rules"), "must name a label and an export");
        assertOneProblem(edit("targets       = discovery.docker.containers.targets",
                        "targets       = dicovery.docker.containers.targets"),
                lineOf("targets       = discovery"), "refers to no known component", "did you mean discovery.docker?");
    }

    @Test
    void unknownAttributesAndBlocksAreNamed() {
        List<String> problems = AlloySyntax.validate(edit("url        =", "uri        ="));
        assertEquals(List.of(
                lineOf("url        =") + ":5: loki.write \"central\" > endpoint: unknown attribute uri",
                lineOf("  endpoint {") + ":3: loki.write \"central\" > endpoint: missing required attribute url"),
                problems);
        assertOneProblem(edit("  tls_config {", "  tls {"), lineOf("  tls_config {"),
                "loki.write \"central\" > endpoint: unknown block tls");
        assertOneProblem(edit("  endpoint {", "  endpoint {\n  }\n  endpoint {"), lineOf("  endpoint {"),
                "missing required attribute url");
    }

    @Test
    void basicAuthNeedsExactlyOnePasswordSource() {
        assertOneProblem(edit("      password = local.file.loki_password.content\n",
                        "      password = local.file.loki_password.content\n      password_file = \"/p\"\n"),
                lineOf("basic_auth {"), "basic_auth", "exactly one of password and password_file");
    }

    @Test
    void otherChecks() {
        assertOneProblem(edit("forward_to = [loki.write.central.receiver]", "forward_to = loki.write.central.receiver"),
                lineOf("forward_to = [loki.write"), "forward_to must be a list");
        assertOneProblem(edit("  stage.docker {}", "  stage.dockerr {}"), lineOf("stage.docker"),
                "unknown block stage.dockerr");
        assertOneProblem("log_level = \"debug\"\n", "1", "unrecognized attribute log_level");
        assertOneProblem(VALID + "\nloki.write \"central\" {\n  endpoint {\n    url = \"http://x\"\n  }\n}\n",
                String.valueOf(VALID.split("\n", -1).length + 1),
                "already defined at " + lineOf("loki.write \"central\"") + ":1");
        List<String> unlabelled = AlloySyntax.validate(edit("loki.process \"containers\"", "loki.process"));
        assertEquals(lineOf("loki.process \"containers\"") + ":1: component loki.process needs a label, e.g. "
                + "loki.process \"default\" { ... }", unlabelled.get(0));
        assertTrue(unlabelled.get(1).contains("undefined component loki.process \"containers\""), unlabelled.get(1));
        assertEquals(List.of(), AlloySyntax.validate("logging {\n  level = \"info\"\n}\n" + VALID));
    }

    /** Every .alloy file under playbooks/ parses and checks clean. */
    @Test
    void shippedAlloyConfigsPass() throws IOException {
        Path playbooks = Path.of(System.getProperty("rig.project.dir", ".")).resolve("playbooks");
        if (!Files.isDirectory(playbooks)) {
            return;
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(playbooks)) {
            files = s.filter(p -> p.toString().endsWith(".alloy")).sorted().toList();
        }
        StringBuilder failures = new StringBuilder();
        for (Path f : files) {
            List<String> problems = AlloySyntax.validate(Files.readString(f));
            if (!problems.isEmpty()) {
                failures.append(f).append(":\n  ").append(String.join("\n  ", problems)).append('\n');
            }
        }
        assertEquals("", failures.toString());
    }
}

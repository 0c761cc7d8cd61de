package dev.rig.stack;

import dev.rig.core.Secrets;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Exit codes and the report formats, as values. */
class VerifyReportTest {
    static final Secrets SECRETS = new Secrets();

    static {
        SECRETS.add("s3cret-push");
    }

    @Test
    void exitCodeIsZeroOnlyWhenEverySignalIsOkAndOneWhenRigCouldNotTell() {
        Check ok = Check.ok("e1", "metrics", "node 2s ago");
        Check stale = new Check("e1", "agent", Health.STALE, "own metrics 3m old");
        Check missing = new Check("e2", "logs", Health.MISSING, "canary not in Loki");
        Check error = new Check("central", "prometheus", Health.ERROR, "connection refused");
        assertEquals(0, new VerifyReport(List.of(ok), SECRETS, 1).exitCode());
        assertEquals(2, new VerifyReport(List.of(ok, stale), SECRETS, 1).exitCode());
        assertEquals(2, new VerifyReport(List.of(ok, missing), SECRETS, 1).exitCode());
        assertEquals(1, new VerifyReport(List.of(ok, stale, error), SECRETS, 1).exitCode());
    }

    @Test
    void tableJunitAndMetricsNameEveryProblemAndMaskSecrets() {
        List<Check> checks = List.of(Check.ok("e1", "metrics", "fine"), new Check("e1", "logs", Health.MISSING, "no line; tried password s3cret-push"),
                new Check("central", "grafana", Health.ERROR, "refused the credentials (401)"));
        VerifyReport r = new VerifyReport(checks, SECRETS, 1500);
        String table = r.table();
        assertTrue(table.startsWith("HOST     METRICS     LOGS        GRAFANA"), table);
        assertTrue(table.contains("missing [e1] logs: no line; tried password ********"), table);
        assertTrue(table.contains("1 of 3 signals ok, 2 hosts, 1.5 s"), table);
        String junit = r.junit();
        assertTrue(junit.contains("tests=\"3\" failures=\"1\" errors=\"1\""), junit);
        assertTrue(junit.contains("<failure message=\"no line; tried password ********\" type=\"missing\"/>"), junit);
        assertTrue(r.metrics(0).contains("rig_verify_ok{host=\"central\",signal=\"grafana\",status=\"error\"} 0"), r.metrics(0));
        for (String out : List.of(table, junit, r.jsonLines(), r.metrics(0))) assertFalse(out.contains("s3cret-push"), out);
    }
}

package dev.rig.connect;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rig.core.Secrets;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Secrets in exceptions: what error output and RIG_DEBUG stack traces print goes through the same masking. */
class SecretsRedactionTest {
    @Test
    void anExceptionIsRedactedMessageAndCausesKeepingClassesAndFrames() {
        Secrets secrets = new Secrets();
        secrets.collect(Map.of("ansible_become_pass", "hunter2-pw", "db_password", "pg-secret"));
        IllegalStateException failure = new IllegalStateException("host thread failed with hunter2-pw",
                new java.io.IOException("cannot write pg-secret"));

        RuntimeException redacted = secrets.redact(failure);

        assertEquals("host thread failed with ********", redacted.getMessage());
        assertEquals("java.lang.IllegalStateException: host thread failed with ********", redacted.toString());
        assertEquals("java.io.IOException: cannot write ********", redacted.getCause().toString());
        assertArrayEquals(failure.getStackTrace(), redacted.getStackTrace());
        StringWriter trace = new StringWriter();
        redacted.printStackTrace(new PrintWriter(trace));
        assertFalse(trace.toString().contains("hunter2-pw") || trace.toString().contains("pg-secret"), trace.toString());
        assertTrue(trace.toString().contains("Caused by: java.io.IOException: cannot write ********"), trace.toString());
    }
}

package dev.rig.apply;

import dev.rig.core.Payload;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** connection: local streams a file payload to the command's stdin, as SSH does. Runs local processes. */
@Tag("integration")
class LocalRemoteStreamTest {
    @TempDir Path dir;

    @Test
    void aFilePayloadReachesTheCommandWhole() throws Exception {
        Path file = dir.resolve("data.bin");
        byte[] block = new byte[1 << 20];
        new java.util.Random(7).nextBytes(block);
        try (var out = Files.newOutputStream(file)) {
            for (int i = 0; i < 8; i++) out.write(block);
        }
        Payload payload = Payload.file(file);
        var run = RemoteCommands.scriptReading("sha256sum", payload, null);
        var result = new LocalRemote().exec(run, Duration.ofSeconds(30));
        assertEquals(0, result.exitCode(), result.err());
        assertEquals(payload.sha256(), result.out().split(" ")[0]);
        assertEquals(8L << 20, payload.size());
    }
}

package dev.rig.modules;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModulesTest {
    private final Modules modules = new Modules();

    @Test
    void onlyCommandAndShellTakeAFreeFormString() {
        for (String name : modules.names()) {
            if (name.equals("command") || name.equals("shell")) assertEquals("cmd", modules.get(name).freeFormArg());
            else assertNull(modules.get(name).freeFormArg(), name);
        }
    }
}

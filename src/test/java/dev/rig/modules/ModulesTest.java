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
    void everyModuleIsRegisteredByItsName() {
        List<String> ours = List.of("file", "copy", "template", "lineinfile", "command", "shell", "debug", "assert", "set_fact", "wait_for");
        assertTrue(modules.names().containsAll(ours), () -> "registered: " + modules.names());
        for (String name : modules.names()) assertEquals(name, modules.get(name).name());
        assertThrows(IllegalArgumentException.class, () -> modules.get("no_such_module"));
    }

    @Test
    void onlyCommandAndShellTakeAFreeFormString() {
        for (String name : modules.names()) {
            if (name.equals("command") || name.equals("shell")) assertEquals("cmd", modules.get(name).freeFormArg());
            else assertNull(modules.get(name).freeFormArg(), name);
        }
    }
}

package dev.rig.playbook;

import java.util.Optional;
import java.util.Set;

/** The modules a playbook may name. */
public interface ModuleCatalog {
    Optional<ModuleSpec> find(String name);

    Set<String> names();
}

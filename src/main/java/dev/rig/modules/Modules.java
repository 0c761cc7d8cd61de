package dev.rig.modules;

import dev.rig.playbook.ModuleCatalog;
import dev.rig.playbook.ModuleSpec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Every module rig knows, by name. */
public final class Modules implements ModuleCatalog {
    private final Map<String, Module> byName = new LinkedHashMap<>();

    public Modules() {
        for (Module m : List.of(new FileModule(), new CopyModule(), new TemplateModule(), new LineinfileModule(),
                new CommandModule(), new ShellModule(), new DebugModule(), new AssertModule(), new SetFactModule(),
                new WaitForModule(), new DigitalOceanFirewallModule(), new StatModule(), new BlockinfileModule(), new GetUrlModule(), new UnarchiveModule(), new CronModule(), new SysctlModule(), new AuthorizedKeyModule(), new HostnameModule(), new TimezoneModule(), new GitModule(), new UriModule())) {
            byName.put(m.name(), m);
        }
        // Docker hosts: packages, repositories, services, accounts, the OS, images and compose stacks.
        for (Module m : List.of(new AptModule(), new AptRepositoryModule(), new PackageModule(), new ServiceModule(), ServiceModule.systemd("systemd"), ServiceModule.systemd("systemd_service"), new UserModule(), new OsReleaseModule(),
                new DockerImageModule(), new ComposeModule())) {
            byName.put(m.name(), m);
        }
    }

    public Module get(String name) {
        Module m = byName.get(name);
        if (m == null) throw new IllegalArgumentException("unknown module " + name);
        return m;
    }

    @Override
    public Optional<ModuleSpec> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    @Override
    public Set<String> names() {
        return byName.keySet();
    }
}

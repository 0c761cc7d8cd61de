package dev.rig.modules;

import dev.rig.core.Shell;
import dev.rig.facts.AptCacheAge;
import dev.rig.plan.HostCommand;

import java.util.ArrayList;
import java.util.List;

/**
 * The apt-get command lines rig runs, shared by apt and apt_repository: non-interactive, keeping
 * changed configuration files, and waiting for the apt/dpkg locks another process holds (an
 * unattended upgrade, a cloud-init run) instead of failing at once — up to a timeout.
 */
final class AptCommands {
    /** Touched after every successful update: {@link AptCacheAge} reads the cache's age from it. */
    static final String UPDATE_STAMP = AptCacheAge.UPDATE_STAMP;
    static final long DEFAULT_LOCK_TIMEOUT = 120;

    private AptCommands() {}

    /**
     * {@code apt_get ARGS...} runs apt-get and, while it fails only because a lock is held, retries
     * each second until the deadline. Lock failures happen before apt-get changes anything, so a retry
     * is safe.
     */
    private static String prelude(long lockTimeout) {
        return "export DEBIAN_FRONTEND=noninteractive\n"
                + "deadline=$(( $(date +%s) + " + lockTimeout + " ))\n"
                + "apt_get() {\n"
                + "  while :; do\n"
                + "    out=$(apt-get \"$@\" 2>&1) && { printf '%s\\n' \"$out\"; return 0; }\n"
                + "    rc=$?\n"
                + "    case $out in\n"
                + "      *'Could not get lock'*|*'Unable to acquire the dpkg frontend lock'*|*'Unable to lock directory'*) ;;\n"
                + "      *) printf '%s\\n' \"$out\" >&2; return $rc ;;\n"
                + "    esac\n"
                + "    if [ \"$(date +%s)\" -ge \"$deadline\" ]; then\n"
                + "      printf 'timed out after " + lockTimeout + " s waiting for the apt/dpkg lock held by another process:\\n%s\\n' \"$out\" >&2\n"
                + "      return $rc\n"
                + "    fi\n"
                + "    sleep 1\n"
                + "  done\n"
                + "}\n";
    }

    static HostCommand update(long lockTimeout) {
        String script = prelude(lockTimeout) + "apt_get update -q\n"
                + "mkdir -p " + FileContent.parent(UPDATE_STAMP) + " && touch " + UPDATE_STAMP + "\n";
        return HostCommand.of(script, "apt-get update");
    }

    /** {@code apt-get install} of the given names (name or name=version); recommends as apt is configured unless told. */
    static HostCommand install(List<String> packages, Boolean installRecommends, long lockTimeout) {
        List<String> argv = new ArrayList<>(List.of("install", "-y", "-q",
                "-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold"));
        if (installRecommends != null) argv.add(installRecommends ? "--install-recommends" : "--no-install-recommends");
        argv.addAll(packages);
        return HostCommand.of(prelude(lockTimeout) + "apt_get " + Shell.join(argv) + "\n", "apt-get install " + String.join(" ", packages));
    }

    static HostCommand remove(List<String> packages, boolean purge, long lockTimeout) {
        List<String> argv = new ArrayList<>(List.of("remove", "-y", "-q"));
        if (purge) argv.add("--purge");
        argv.addAll(packages);
        return HostCommand.of(prelude(lockTimeout) + "apt_get " + Shell.join(argv) + "\n",
                "apt-get remove " + (purge ? "--purge " : "") + String.join(" ", packages));
    }
}

package dev.rig.cli;

import dev.rig.core.InvalidInputException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Properties;

/** rig's entry point: a thin picocli layer over the engine; one place wires errors to exit codes. */
// scope INHERIT: every subcommand gets --help/-h and --version/-V, answered before its required parameters are checked
@Command(name = "rig", mixinStandardHelpOptions = true, scope = CommandLine.ScopeType.INHERIT, versionProvider = Main.Version.class,
        description = "Converge a fleet of SSH hosts to what YAML playbooks declare.",
        subcommands = {PlanCommand.class, ConvertCommand.class, ApplyCommand.class, RenderCommand.class, StackCommands.VerifyCommand.class, StackCommands.BackupCommand.class, RecoverCommand.class, DriftCommand.class, ShowCommand.class, InventoryCommand.class, VaultCommand.class, FactsCommand.class, LabCommand.class,
                CommandLine.HelpCommand.class})
public final class Main {
    /** The version and git commit written into the jar at build time (pom.xml, "version-from-git"). */
    public static final String VERSION = Version.line();
    public static final int OK = 0;
    public static final int ERROR = 1;
    public static final int CHANGES = 2;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args);
    }

    /** Runs one command with its output going to the given writers (tests read them). */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Main());
        cli.setExpandAtFiles(false); // -e @vars.yml is a variables file, not picocli's argument file
        cli.setOut(out);
        cli.setErr(err);
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter errOut = cmd.getErr();
            if (ex instanceof InvalidInputException iie) {
                iie.errors().forEach(e -> errOut.println("error: " + e));
                errOut.println(iie.errors().size() + " error" + (iie.errors().size() == 1 ? "" : "s") + "; nothing was run on any host.");
            } else {
                errOut.println("error: " + ex.getMessage());
                if (System.getenv("RIG_DEBUG") != null) ex.printStackTrace(errOut);
            }
            errOut.flush();
            return ERROR;
        });
        cli.setExitCodeExceptionMapper(ex -> ERROR);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"rig " + VERSION};
        }

        static String line() {
            Properties p = new Properties();
            try (InputStream in = Main.class.getResourceAsStream("version.properties")) {
                if (in != null) p.load(in);
            } catch (IOException e) {
                // reported below as unknown
            }
            return p.getProperty("version", "unknown version") + " (" + describe(p.getProperty("commit")) + ")";
        }

        private static String describe(String commit) {
            if (commit == null) return "built without its version file";
            return commit.equals("no git commit") ? commit : "commit " + commit;
        }
    }
}

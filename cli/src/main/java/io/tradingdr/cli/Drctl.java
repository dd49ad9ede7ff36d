package io.tradingdr.cli;

import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.run.Orchestrator;
import io.tradingdr.core.spi.BackendSettings;
import io.tradingdr.core.spi.DrBackend;
import io.tradingdr.core.spi.DrEnvironment;
import io.tradingdr.core.spi.DrctlContext;
import io.tradingdr.core.spi.DrctlExtension;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

/**
 * drctl, the operator CLI. Built-in commands operate a target through the core orchestrator; the
 * target's ports come from a {@link DrBackend} chosen by {@code --target}, and more subcommands
 * come from {@link DrctlExtension}s, both found with {@link ServiceLoader}.
 */
@Command(
    name = "drctl",
    mixinStandardHelpOptions = true,
    versionProvider = Drctl.Version.class,
    description = "Operates Trading DR: status, switchover, failover, failback and their journal.",
    subcommands = {
      StatusCommand.class,
      SwitchoverCommand.class,
      FailoverCommand.class,
      FailbackCommand.class,
      PauseCommand.class,
      ResumeCommand.class,
      HistoryCommand.class,
      ReconcileCommand.class
    },
    footerHeading = "%nTargets:%n",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done",
      "1:refused by a guard, or a step failed (the reason names the guard or the step)",
      "2:bad usage or configuration; nothing was done",
      "3:environment unreachable (control store, database, routing...)",
      "4:aborted at the confirmation prompt; nothing was changed",
      "5:run interrupted (run lease lost); the next orchestrator resumes it from the journal"
    })
public final class Drctl implements Callable<Integer>, DrctlContext {

  @Option(
      names = "--target",
      scope = ScopeType.INHERIT,
      paramLabel = "NAME",
      description =
          "Target to operate (e.g. local, aws). Default: the config file's 'target', then"
              + " $DRCTL_TARGET, then the only installed backend.")
  String target;

  @Option(
      names = "--config",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "Properties file: target=..., orchestrator.<setting>=..., and the backend's own keys."
              + " Default: $DRCTL_CONFIG.")
  Path config;

  @Spec CommandSpec spec;

  private final PrintWriter out;
  private final PrintWriter err;
  private final BufferedReader in;
  private final Map<String, String> env;
  private final List<DrBackend> backends;
  private DrEnvironment opened;

  Drctl(
      PrintWriter out,
      PrintWriter err,
      BufferedReader in,
      Map<String, String> env,
      List<DrBackend> backends) {
    this.out = out;
    this.err = err;
    this.in = in;
    this.env = env;
    this.backends = backends;
  }

  public static void main(String[] args) {
    System.exit(execute(args, System.in, System.out, System.err, System.getenv()));
  }

  /** Runs drctl with the given terminal and environment; returns the exit code. */
  public static int execute(
      String[] args,
      InputStream stdin,
      OutputStream stdout,
      OutputStream stderr,
      Map<String, String> env) {
    PrintWriter out = new PrintWriter(stdout, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(stderr, true, StandardCharsets.UTF_8);
    Reader reader = new InputStreamReader(stdin, StandardCharsets.UTF_8);
    List<DrBackend> backends = new ArrayList<>();
    ServiceLoader.load(DrBackend.class).forEach(backends::add);
    Drctl root = new Drctl(out, err, new BufferedReader(reader), env, backends);
    try {
      return root.commandLine().execute(args);
    } finally {
      root.closeEnvironment();
      out.flush();
      err.flush();
    }
  }

  CommandLine commandLine() {
    CommandLine cl = new CommandLine(this);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setOut(out);
    cl.setErr(err);
    for (DrctlExtension extension : ServiceLoader.load(DrctlExtension.class)) {
      if (cl.getSubcommands().containsKey(extension.name())) {
        err.println("drctl: ignoring extension '" + extension.name() + "': the name is taken");
        continue;
      }
      cl.addSubcommand(extension.name(), extension.command(this));
    }
    // '--target local' names the target, although 'local' is also a subcommand (drctl local up).
    cl.setAllowSubcommandsAsOptionParameters(true);
    cl.getCommandSpec().usageMessage().footer(targetsFooter());
    cl.setParameterExceptionHandler(
        (ex, args) -> {
          err.println("drctl: " + ex.getMessage());
          ex.getCommandLine().usage(err);
          return ExitCodes.USAGE;
        });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> handle(ex));
    return cl;
  }

  private String[] targetsFooter() {
    if (backends.isEmpty()) {
      return new String[] {"  (no backend installed)"};
    }
    return backends.stream()
        .map(b -> String.format(Locale.ROOT, "  %-8s %s", b.name(), b.description()))
        .toArray(String[]::new);
  }

  private int handle(Exception ex) {
    if (ex instanceof UsageException || ex instanceof IllegalArgumentException) {
      err.println("drctl: " + ex.getMessage());
      return ExitCodes.USAGE;
    }
    if (ex instanceof UnreachableException) {
      err.println("drctl: environment unreachable: " + ex.getMessage());
      return ExitCodes.UNREACHABLE;
    }
    if (ex instanceof RefusedException) {
      err.println("drctl: refused: " + ex.getMessage());
      return ExitCodes.REFUSED_OR_FAILED;
    }
    err.println("drctl: " + ex.getClass().getSimpleName() + ": " + ex.getMessage());
    return ExitCodes.REFUSED_OR_FAILED;
  }

  @Override
  public Integer call() {
    err.println("drctl: a command is required");
    spec.commandLine().usage(err);
    return ExitCodes.USAGE;
  }

  // DrctlContext ---------------------------------------------------------------------------------

  @Override
  public PrintWriter out() {
    return out;
  }

  @Override
  public PrintWriter err() {
    return err;
  }

  @Override
  public BufferedReader in() {
    return in;
  }

  @Override
  public synchronized DrEnvironment environment() {
    if (opened == null) {
      Map<String, String> properties = loadConfig();
      String name = chooseTarget(properties);
      DrBackend backend =
          backends.stream()
              .filter(b -> b.name().equals(name))
              .findFirst()
              .orElseThrow(
                  () ->
                      new UsageException(
                          "unknown target '" + name + "'; available: " + available()));
      opened = backend.open(new BackendSettings(name, properties, env));
    }
    return opened;
  }

  private String available() {
    return backends.isEmpty()
        ? "none (no backend is installed in this drctl)"
        : backends.stream().map(DrBackend::name).sorted().collect(Collectors.joining(", "));
  }

  private Map<String, String> loadConfig() {
    Path file =
        config != null
            ? config
            : env.containsKey("DRCTL_CONFIG") ? Path.of(env.get("DRCTL_CONFIG")) : null;
    if (file == null) {
      return Map.of();
    }
    if (!Files.isRegularFile(file)) {
      throw new UsageException("config file " + file + " does not exist");
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new UsageException("config file " + file + " cannot be read: " + e.getMessage(), e);
    }
    return p.stringPropertyNames().stream().collect(Collectors.toMap(k -> k, p::getProperty));
  }

  private String chooseTarget(Map<String, String> properties) {
    if (target != null) {
      return target;
    }
    if (properties.containsKey("target")) {
      return properties.get("target");
    }
    if (env.containsKey("DRCTL_TARGET")) {
      return env.get("DRCTL_TARGET");
    }
    if (backends.size() == 1) {
      return backends.getFirst().name();
    }
    throw new UsageException("no target chosen: use --target NAME; available: " + available());
  }

  void closeEnvironment() {
    if (opened != null) {
      try {
        opened.close();
      } catch (Exception e) {
        err.println("drctl: closing the target failed: " + e.getMessage());
      }
      opened = null;
    }
  }

  @Override
  public boolean confirm(String question, boolean assumeYes) {
    if (assumeYes) {
      return true;
    }
    err.print(question + " Type 'yes' to continue: ");
    err.flush();
    try {
      String answer = in.readLine();
      return answer != null && answer.trim().equalsIgnoreCase("yes");
    } catch (IOException e) {
      return false;
    }
  }

  /** An orchestrator on the selected target, owned by this drctl process. */
  Orchestrator orchestrator() {
    DrEnvironment e = environment();
    return new Orchestrator(e.config(), e.ports(), e.clock(), e.sleeper(), owner());
  }

  /** {@code drctl:<user>@<host>:<pid>}, journaled as the run's owner. */
  String owner() {
    String host = env.getOrDefault("HOSTNAME", "localhost");
    return "drctl:"
        + System.getProperty("user.name", "operator")
        + "@"
        + host
        + ":"
        + ProcessHandle.current().pid();
  }

  /** Reads the version from the jar manifest, when run from the shaded jar. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = Drctl.class.getPackage().getImplementationVersion();
      return new String[] {"drctl " + (v == null ? "development build" : v)};
    }
  }
}

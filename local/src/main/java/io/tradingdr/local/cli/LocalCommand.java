package io.tradingdr.local.cli;

import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.local.db.PostgresStreamingReplication;
import io.tradingdr.local.orchestration.SupervisorOrchestrator;
import io.tradingdr.local.regions.LocalRegions;
import io.tradingdr.local.regions.LocalRegionsControl;
import io.tradingdr.local.regions.LocalRegionsSettings;
import io.tradingdr.local.regions.LocalState;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code local up|down|status}: two regions on this machine. */
@Command(
    name = "local",
    description = "Start, stop and inspect the two local regions (loopback, real processes).",
    mixinStandardHelpOptions = true,
    subcommands = {LocalCommand.Up.class, LocalCommand.Down.class, LocalCommand.Status.class})
public final class LocalCommand implements Callable<Integer> {

  /** Default run directory, relative to the working directory. */
  public static final String DEFAULT_RUN_DIR = ".run/local";

  /** Where the commands talk to the user. */
  public interface Terminal {
    PrintWriter out();

    PrintWriter err();

    /** True only when the user answers yes, or without asking when {@code assumeYes}. */
    boolean confirm(String question, boolean assumeYes);
  }

  private final Terminal terminal;

  public LocalCommand(Terminal terminal) {
    this.terminal = terminal;
  }

  /** Picocli builds the subcommands through this, handing each the terminal. */
  public CommandLine commandLine() {
    return new CommandLine(
        this,
        new CommandLine.IFactory() {
          @Override
          public <K> K create(Class<K> type) throws Exception {
            if (type == Up.class) {
              return type.cast(new Up(terminal));
            }
            if (type == Down.class) {
              return type.cast(new Down(terminal));
            }
            if (type == Status.class) {
              return type.cast(new Status(terminal));
            }
            return CommandLine.defaultFactory().create(type);
          }
        });
  }

  @Override
  public Integer call() {
    terminal.err().println("choose a subcommand: up, down or status (drctl local --help)");
    return 2;
  }

  /** Starts the regions and supervises them until Ctrl-C or {@code local down}. */
  @Command(
      name = "up",
      description =
          "Start PostgreSQL primary + standby, DynamoDB Local (sessions x2 + control), knot DNS and"
              + " one trading service per region, and the orchestrator's health monitor (automatic"
              + " failover); stays in the foreground until Ctrl-C or 'local down'.",
      mixinStandardHelpOptions = true)
  static final class Up implements Callable<Integer> {

    private final Terminal terminal;

    Up(Terminal terminal) {
      this.terminal = terminal;
    }

    @ArgGroup(exclusive = true)
    ReplicationChoice replication = new ReplicationChoice();

    static final class ReplicationChoice {
      @Option(
          names = "--sync",
          description = "Synchronous replication (default): no loss on failover.")
      boolean sync;

      @Option(names = "--async", description = "Asynchronous replication: loss bounded by the lag.")
      boolean async;
    }

    @Option(
        names = "--run-dir",
        description = "Run directory (default: ${DEFAULT-VALUE}).",
        defaultValue = DEFAULT_RUN_DIR)
    Path runDir;

    @Option(
        names = "--service-jar",
        description = "Trading service jar (default: ${DEFAULT-VALUE}).",
        defaultValue = "service/target/trading-service.jar")
    Path serviceJar;

    @Option(
        names = "--no-orchestrator",
        description =
            "Only the regions: no health monitor, no automatic failover (drctl --target local"
                + " still operates them).")
    boolean noOrchestrator;

    @Option(
        names = "--dns-ttl",
        description = "TTL of the service record in seconds (default: ${DEFAULT-VALUE}).",
        defaultValue = "1")
    long dnsTtlSeconds;

    @Override
    public Integer call() throws InterruptedException {
      PrintWriter out = terminal.out();
      PostgresStreamingReplication.Mode mode =
          replication.async
              ? PostgresStreamingReplication.Mode.ASYNC
              : PostgresStreamingReplication.Mode.SYNC;
      LocalRegionsSettings defaults = LocalRegionsSettings.of(runDir, mode, serviceJar);
      LocalRegionsSettings settings;
      try {
        settings =
            new LocalRegionsSettings(
                defaults.runDir(),
                mode,
                defaults.serviceJar(),
                Duration.ofSeconds(dnsTtlSeconds),
                defaults.zone(),
                defaults.serviceHost(),
                defaults.sessionsTable(),
                defaults.startTimeout(),
                defaults.topology());
      } catch (IllegalArgumentException e) {
        terminal.err().println("error: " + e.getMessage());
        return 2;
      }
      LocalRegions regions;
      try {
        regions = LocalRegions.up(settings, out);
      } catch (RuntimeException e) {
        terminal.err().println("error: " + e.getMessage());
        return 1;
      }
      if (!noOrchestrator) {
        try {
          regions.closeFirst(
              SupervisorOrchestrator.start(
                  regions, OrchestratorConfig.localBuilder().build(), out, Clock.systemUTC()));
        } catch (RuntimeException e) {
          terminal.err().println("error: the orchestrator did not start: " + e.getMessage());
          regions.close();
          return 1;
        }
      }
      LocalRegionsControl.status(settings.runDir(), out);
      out.println(
          "operate them with 'drctl --target local status|switchover|failover|failback|...'");
      out.println("press Ctrl-C (or run 'drctl local down') to stop");
      // The shutdown hook registered by LocalRegions stops everything; this thread just waits.
      try {
        new CountDownLatch(1).await();
      } finally {
        regions.close();
      }
      return 0;
    }
  }

  /** Stops the regions started by {@code local up} in the same run directory. */
  @Command(
      name = "down",
      description = "Stop everything 'local up' started in the run directory (by PID).",
      mixinStandardHelpOptions = true)
  static final class Down implements Callable<Integer> {

    private final Terminal terminal;

    Down(Terminal terminal) {
      this.terminal = terminal;
    }

    @Option(
        names = "--run-dir",
        description = "Run directory (default: ${DEFAULT-VALUE}).",
        defaultValue = DEFAULT_RUN_DIR)
    Path runDir;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Option(names = "--dry-run", description = "Only list what would be stopped.")
    boolean dryRun;

    @Override
    public Integer call() {
      PrintWriter out = terminal.out();
      Path dir = runDir.toAbsolutePath().normalize();
      if (LocalState.read(dir).isEmpty()) {
        out.println("local regions: nothing to stop (no state file in " + dir + ")");
        return 0;
      }
      if (dryRun) {
        out.println("would stop:");
        LocalRegionsControl.status(dir, out);
        return 0;
      }
      if (!terminal.confirm(
          "Stop the local regions in " + dir + " (their in-memory data is lost)?", yes)) {
        terminal.err().println("not stopped: confirm, or pass --yes");
        return 4;
      }
      LocalRegionsControl.down(dir, Duration.ofSeconds(60), out);
      return 0;
    }
  }

  /** Prints the processes and endpoints of the running regions. */
  @Command(
      name = "status",
      description = "Show what the local regions run.",
      mixinStandardHelpOptions = true)
  static final class Status implements Callable<Integer> {

    private final Terminal terminal;

    Status(Terminal terminal) {
      this.terminal = terminal;
    }

    @Option(
        names = "--run-dir",
        description = "Run directory (default: ${DEFAULT-VALUE}).",
        defaultValue = DEFAULT_RUN_DIR)
    Path runDir;

    @Override
    public Integer call() {
      return LocalRegionsControl.status(runDir.toAbsolutePath().normalize(), terminal.out())
          ? 0
          : 3;
    }
  }
}

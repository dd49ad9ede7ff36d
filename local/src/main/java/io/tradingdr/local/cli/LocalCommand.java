package io.tradingdr.local.cli;

import io.tradingdr.local.db.PostgresStreamingReplication;
import io.tradingdr.local.regions.LocalRegions;
import io.tradingdr.local.regions.LocalRegionsControl;
import io.tradingdr.local.regions.LocalRegionsSettings;
import io.tradingdr.local.regions.LocalState;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
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

  @Override
  public Integer call() {
    System.err.println("choose a subcommand: up, down or status (drctl local --help)");
    return 2;
  }

  /** Starts the regions and supervises them until Ctrl-C or {@code local down}. */
  @Command(
      name = "up",
      description =
          "Start PostgreSQL primary + standby, DynamoDB Local (sessions x2 + control), knot DNS and"
              + " one trading service per region; stays in the foreground until Ctrl-C or 'local down'.",
      mixinStandardHelpOptions = true)
  static final class Up implements Callable<Integer> {

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
        names = "--dns-ttl",
        description = "TTL of the service record in seconds (default: ${DEFAULT-VALUE}).",
        defaultValue = "1")
    long dnsTtlSeconds;

    @Override
    public Integer call() throws InterruptedException {
      PrintStream out = System.out;
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
        System.err.println("error: " + e.getMessage());
        return 2;
      }
      LocalRegions regions;
      try {
        regions = LocalRegions.up(settings, out);
      } catch (RuntimeException e) {
        System.err.println("error: " + e.getMessage());
        return 1;
      }
      LocalRegionsControl.status(settings.runDir(), out);
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
      PrintStream out = System.out;
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
      if (!yes
          && !confirm("Stop the local regions in " + dir + " (their in-memory data is lost)?")) {
        System.err.println("not stopped: confirm, or pass --yes");
        return 1;
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

    @Option(
        names = "--run-dir",
        description = "Run directory (default: ${DEFAULT-VALUE}).",
        defaultValue = DEFAULT_RUN_DIR)
    Path runDir;

    @Override
    public Integer call() {
      return LocalRegionsControl.status(runDir.toAbsolutePath().normalize(), System.out) ? 0 : 3;
    }
  }

  static boolean confirm(String question) {
    if (System.console() == null) {
      return false;
    }
    System.out.print(question + " [y/N] ");
    System.out.flush();
    try {
      String answer =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      return answer != null && (answer.equalsIgnoreCase("y") || answer.equalsIgnoreCase("yes"));
    } catch (java.io.IOException e) {
      return false;
    }
  }
}

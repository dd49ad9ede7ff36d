package io.tradingdr.local.drill;

import io.tradingdr.local.cli.LocalCommand;
import io.tradingdr.local.db.PostgresStreamingReplication;
import io.tradingdr.local.regions.LocalRegions;
import io.tradingdr.local.regions.LocalRegionsSettings;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drill}: a failover game-day on fresh local regions, with a summary and a JSON report. */
@Command(
    name = "drill",
    description =
        "Start local regions, drive orders through the DNS name, inject faults, let the"
            + " orchestrator act, and report RTO, unavailability, lost orders and split brain.",
    mixinStandardHelpOptions = true)
public final class DrillCommand implements Callable<Integer> {

  private final LocalCommand.Terminal terminal;

  @Option(
      names = "--scenario",
      description = "switchover, kill-primary-db or all (default: ${DEFAULT-VALUE}).",
      defaultValue = "all")
  String scenario;

  @Option(
      names = "--runs",
      description = "Runs per scenario (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int runs;

  @Option(
      names = "--mode",
      description = "sync or async replication (default: ${DEFAULT-VALUE}).",
      defaultValue = "sync")
  String mode;

  @Option(
      names = "--rate",
      description = "Orders per second (default: ${DEFAULT-VALUE}).",
      defaultValue = "20")
  int rate;

  @Option(
      names = "--run-dir",
      description = "Run directory of the drill's regions (default: ${DEFAULT-VALUE}).",
      defaultValue = ".run/drill")
  Path runDir;

  @Option(
      names = "--service-jar",
      description = "Trading service jar (default: ${DEFAULT-VALUE}).",
      defaultValue = "service/target/trading-service.jar")
  Path serviceJar;

  @Option(
      names = "--report-dir",
      description = "Where the report goes (default: a new directory under .run/drill-reports).")
  Path reportDir;

  public DrillCommand(LocalCommand.Terminal terminal) {
    this.terminal = terminal;
  }

  @Override
  public Integer call() throws Exception {
    PrintWriter out = terminal.out();
    List<Drill.Scenario> scenarios;
    PostgresStreamingReplication.Mode replication;
    try {
      scenarios =
          scenario.equals("all")
              ? List.of(Drill.Scenario.values())
              : List.of(Drill.Scenario.fromLabel(scenario));
      replication =
          switch (mode) {
            case "sync" -> PostgresStreamingReplication.Mode.SYNC;
            case "async" -> PostgresStreamingReplication.Mode.ASYNC;
            default ->
                throw new IllegalArgumentException(
                    "unknown mode '" + mode + "'; allowed: sync, async");
          };
      if (runs < 1 || runs > 100) {
        throw new IllegalArgumentException("--runs must be 1-100, was " + runs);
      }
      if (rate < 1 || rate > 1000) {
        throw new IllegalArgumentException("--rate must be 1-1000 orders/s, was " + rate);
      }
    } catch (IllegalArgumentException e) {
      terminal.err().println("error: " + e.getMessage());
      return 2;
    }
    Path reports =
        reportDir != null
            ? reportDir
            : Path.of(".run", "drill-reports", Instant.now().toString().replace(':', '-'));
    List<Drill.Result> results = new ArrayList<>();
    try (LocalRegions regions =
        LocalRegions.up(LocalRegionsSettings.of(runDir, replication, serviceJar), out)) {
      Drill drill = new Drill(regions, out);
      for (int run = 1; run <= runs; run++) {
        for (Drill.Scenario s : scenarios) {
          out.printf(Locale.ROOT, "== %s, run %d of %d%n", s.label(), run, runs);
          results.add(drill.run(s, rate, Duration.ofSeconds(1)));
        }
      }
    } catch (RuntimeException e) {
      terminal.err().println("error: " + e.getMessage());
      return 1;
    } finally {
      if (!results.isEmpty()) {
        Drill.printSummary(results, out);
        out.println("report: " + Drill.writeReport(reports, results));
      }
    }
    boolean ok =
        results.stream()
            .allMatch(
                r ->
                    r.runOutcome().equals("COMPLETED")
                        && r.splitBrain() == 0
                        && (replication == PostgresStreamingReplication.Mode.ASYNC
                            || r.lostAcknowledged().isEmpty())
                        && r.oldPrimaryIsCaughtUpStandby());
    return ok ? 0 : 1;
  }
}

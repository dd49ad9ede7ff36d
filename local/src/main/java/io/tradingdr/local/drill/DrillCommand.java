package io.tradingdr.local.drill;

import io.tradingdr.core.config.Durations;
import io.tradingdr.local.db.PostgresStreamingReplication;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drill}: the failover game-day on the local regions, under load, with a report. */
@Command(
    name = "drill",
    description =
        "Start the local regions, drive orders through the DNS name, inject each scenario's fault,"
            + " let the orchestrator act, fail back, and report RTO, RPO, split brain and lag."
            + " Exit 0 when every run passed, 1 otherwise.",
    mixinStandardHelpOptions = true)
public final class DrillCommand implements Callable<Integer> {

  private final PrintWriter out;
  private final PrintWriter err;

  public DrillCommand(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  @Option(
      names = "--scenario",
      description =
          "Scenario, comma-separated list, or all (default: ${DEFAULT-VALUE}). One of: switchover,"
              + " kill-primary-db, kill-primary-service, partition-primary,"
              + " stalled-replication-then-loss, replication-cut-then-loss, flapping-health,"
              + " orchestrator-crash-mid-run, failback.",
      defaultValue = "switchover,kill-primary-db")
  String scenario;

  @Option(
      names = "--runs",
      description = "Runs per scenario (default: ${DEFAULT-VALUE}).",
      defaultValue = "1")
  int runs;

  @Option(
      names = "--mode",
      description = "Database replication: sync or async (default: ${DEFAULT-VALUE}).",
      defaultValue = "sync")
  String mode;

  @Option(
      names = "--rate",
      description = "Orders per second (default: ${DEFAULT-VALUE}).",
      defaultValue = "20")
  double rate;

  @Option(
      names = "--duration",
      description =
          "Load per run, e.g. 15s or 1m; the fault comes at a third (default: ${DEFAULT-VALUE}).",
      defaultValue = "15s")
  String duration;

  @Option(
      names = "--report",
      description = "Report directory for report.json and report.html (default: ${DEFAULT-VALUE}).",
      defaultValue = ".run/drill-report")
  Path report;

  @Option(
      names = "--run-dir",
      description =
          "Run directory of the local regions the drill starts (default: ${DEFAULT-VALUE}).",
      defaultValue = ".run/drill")
  Path runDir;

  @Option(
      names = "--service-jar",
      description = "Trading service jar (default: ${DEFAULT-VALUE}).",
      defaultValue = "service/target/trading-service.jar")
  Path serviceJar;

  @Option(
      names = "--force",
      description = "Pass force to the operator's runs (a lag guard refusal is overridden).")
  boolean force;

  @Override
  public Integer call() {
    Drill.Settings settings;
    try {
      PostgresStreamingReplication.Mode replication =
          switch (mode.toLowerCase(Locale.ROOT)) {
            case "sync" -> PostgresStreamingReplication.Mode.SYNC;
            case "async" -> PostgresStreamingReplication.Mode.ASYNC;
            default ->
                throw new IllegalArgumentException(
                    "--mode '" + mode + "' is invalid: allowed are sync, async");
          };
      Duration load = Durations.parse("--duration", duration);
      settings =
          new Drill.Settings(
              Scenario.parse(scenario),
              runs,
              replication,
              rate,
              load,
              report.toAbsolutePath().normalize(),
              runDir.toAbsolutePath().normalize(),
              serviceJar,
              force);
    } catch (IllegalArgumentException e) {
      err.println("error: " + e.getMessage());
      return 2;
    }
    List<DrillRunResult> results;
    try {
      results = new Drill(settings, out).run();
    } catch (IllegalArgumentException e) {
      // e.g. a --mode that contradicts the running regions being attached to
      err.println("error: " + e.getMessage());
      return 2;
    } catch (RuntimeException e) {
      err.println("error: the drill could not run: " + e.getMessage());
      return 1;
    }
    Map<String, Object> described = new LinkedHashMap<>();
    described.put("scenarios", settings.scenarios().stream().map(Scenario::cliName).toList());
    described.put("runs", settings.runs());
    described.put("mode", mode.toLowerCase(Locale.ROOT));
    described.put("rate", settings.rate());
    described.put("duration", Durations.format(settings.duration()));
    described.put("force", settings.force());
    DrillReport report = new DrillReport(results, described);
    report.printSummary(out);
    Path html = report.write(settings.reportDir());
    out.println("report: " + html + " and " + html.resolveSibling("report.json"));
    out.println(report.allPassed() ? "drill PASSED" : "drill FAILED");
    out.flush();
    return report.allPassed() ? 0 : 1;
  }
}

package io.tradingdr.cli;

import io.tradingdr.core.config.Durations;
import io.tradingdr.core.run.RunSummary;
import io.tradingdr.core.run.StatusReport;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "status",
    mixinStandardHelpOptions = true,
    description = {
      "Each region's role, health per observer, replication lag, routing weight, write epoch, and"
          + " the last run.",
      "Exits 3 when part of the environment could not be read (listed under 'problems')."
    })
final class StatusCommand implements Callable<Integer> {

  @ParentCommand Drctl root;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output = OutputFormat.TABLE;

  @Override
  public Integer call() {
    StatusReport report = root.orchestrator().status();
    PrintWriter out = root.out();
    if (output == OutputFormat.JSON) {
      out.println(Json.write(report));
    } else {
      print(report, out);
    }
    return report.problems().isEmpty() ? ExitCodes.OK : ExitCodes.UNREACHABLE;
  }

  static void print(StatusReport report, PrintWriter out) {
    Set<String> observers = new LinkedHashSet<>();
    report.regions().forEach(r -> observers.addAll(r.health().keySet()));
    List<String> headers = new ArrayList<>(List.of("REGION", "ROLE"));
    observers.forEach(o -> headers.add(o.toUpperCase(java.util.Locale.ROOT)));
    headers.addAll(List.of("LAG", "WEIGHT", "EPOCH", "LEASE", "POSITION"));
    Table table = new Table(headers.toArray(String[]::new));
    for (StatusReport.RegionStatus r : report.regions()) {
      List<Object> row = new ArrayList<>(List.of(r.region(), r.role()));
      observers.forEach(o -> row.add(r.health().getOrDefault(o, "-")));
      boolean standby = r.role() == io.tradingdr.core.region.RegionRole.STANDBY;
      row.add(standby ? report.replicationLag().map(Durations::format).orElse("unknown") : "-");
      row.add(r.routingWeight().map(String::valueOf).orElse("?"));
      row.add(r.writeEpoch() < 0 ? "?" : Long.toString(r.writeEpoch()));
      row.add(r.holdsWriteLease() ? "held" : "-");
      row.add(r.watermark().orElse("-"));
      table.row(row.toArray());
    }
    table.print(out);
    out.println();
    out.println("write lease:        " + report.writeLease());
    out.println(
        "replication:        "
            + (report.synchronousReplication() ? "synchronous" : "asynchronous"));
    out.println("automatic failover: " + report.automaticFailover());
    out.println(
        "last run:           " + report.lastRun().map(StatusCommand::describe).orElse("none"));
    if (!report.problems().isEmpty()) {
      out.println("problems:");
      report.problems().forEach(p -> out.println("  " + p));
    }
  }

  static String describe(RunSummary run) {
    return run.runId()
        + " "
        + run.outcome()
        + run.duration().map(d -> " in " + Durations.format(d)).orElse("")
        + ": "
        + run.reason();
  }
}

package io.tradingdr.cli;

import io.tradingdr.core.config.Durations;
import io.tradingdr.core.run.RunSummary;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "history",
    mixinStandardHelpOptions = true,
    description = "Runs from the journal, newest first, with their reasons and durations.")
final class HistoryCommand implements Callable<Integer> {

  @ParentCommand Drctl root;

  @Option(
      names = {"-n", "--limit"},
      paramLabel = "N",
      description = "How many runs, 1-1000 (default: ${DEFAULT-VALUE}).")
  int limit = 20;

  @Option(names = "--steps", description = "Also list every step of each run.")
  boolean steps;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output = OutputFormat.TABLE;

  @Override
  public Integer call() {
    if (limit < 1 || limit > 1000) {
      throw new UsageException("--limit must be between 1 and 1000, was " + limit);
    }
    List<RunSummary> runs = root.orchestrator().history(limit);
    PrintWriter out = root.out();
    if (output == OutputFormat.JSON) {
      out.println(Json.write(runs));
      return ExitCodes.OK;
    }
    if (runs.isEmpty()) {
      out.println("no runs in the journal");
      return ExitCodes.OK;
    }
    Table table =
        new Table("STARTED", "RUN", "KIND", "OUTCOME", "DURATION", "FROM", "TO", "REASON");
    for (RunSummary r : runs) {
      table.row(
          r.startedAt(),
          r.runId(),
          r.kind().toLowerCase(java.util.Locale.ROOT),
          r.outcome(),
          r.duration().map(Durations::format).orElse("-"),
          r.from().isEmpty() ? "-" : r.from(),
          r.to().isEmpty() ? "-" : r.to(),
          r.reason());
    }
    table.print(out);
    if (steps) {
      for (RunSummary r : runs) {
        if (r.steps().isEmpty()) {
          continue;
        }
        out.println();
        out.println(r.runId() + ":");
        Table st = new Table("  STEP", "PHASE", "DURATION", "REASON");
        for (RunSummary.StepSummary s : r.steps()) {
          st.row(
              "  " + s.step(),
              s.phase(),
              s.duration().map(Durations::format).orElse("-"),
              s.reason());
        }
        st.print(out);
      }
    }
    return ExitCodes.OK;
  }
}

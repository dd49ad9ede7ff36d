package io.tradingdr.cli;

import io.tradingdr.core.decision.Decision;
import io.tradingdr.core.run.Orchestrator;
import io.tradingdr.core.run.RunKind;
import io.tradingdr.core.run.RunPlan;
import io.tradingdr.core.run.RunRequest;
import io.tradingdr.core.run.RunResult;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Shared by switchover, failover and failback: show the plan with each guard's outcome, ask, run,
 * and report each step's decision.
 */
abstract class RunCommand implements Callable<Integer> {

  @ParentCommand Drctl root;

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask for confirmation.")
  boolean yes;

  @Option(
      names = "--dry-run",
      description = "Print the plan, step by step, with each guard's outcome; change nothing.")
  boolean dryRun;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output = OutputFormat.TABLE;

  abstract RunKind kind();

  boolean force() {
    return false;
  }

  @Override
  public Integer call() {
    Orchestrator orchestrator = root.orchestrator();
    RunRequest request = RunRequest.operator(kind(), force(), root.owner());
    RunPlan plan = orchestrator.plan(request);
    PrintWriter out = root.out();
    if (dryRun) {
      if (output == OutputFormat.JSON) {
        out.println(Json.write(plan));
      } else {
        printPlan(plan, out);
        out.println("dry run: nothing was changed");
      }
      return plan.wouldProceed() ? ExitCodes.OK : ExitCodes.REFUSED_OR_FAILED;
    }
    if (!plan.wouldProceed()) {
      if (output == OutputFormat.JSON) {
        out.println(Json.write(plan));
      } else {
        printPlan(plan, out);
      }
      String reason =
          plan.guards().stream()
              .filter(d -> !d.allowsNext())
              .findFirst()
              .map(Decision::reason)
              .orElse("");
      root.err().println("drctl: " + kind().label() + " refused: " + reason);
      return ExitCodes.REFUSED_OR_FAILED;
    }
    if (output == OutputFormat.TABLE) {
      printPlan(plan, out);
    }
    if (!root.confirm(
        "Run " + kind().label() + " " + plan.from() + " -> " + plan.to() + " now?", yes)) {
      root.err().println("drctl: aborted; nothing was changed");
      return ExitCodes.ABORTED;
    }
    RunResult result = orchestrator.run(request);
    if (output == OutputFormat.JSON) {
      out.println(Json.write(result));
    } else {
      printResult(result, out);
    }
    return exitCode(result);
  }

  static int exitCode(RunResult result) {
    return switch (result.outcome()) {
      case COMPLETED -> ExitCodes.OK;
      case INTERRUPTED, FAILED ->
          result.reason().startsWith("controlStore: unreachable")
              ? ExitCodes.UNREACHABLE
              : result.outcome() == io.tradingdr.core.run.RunOutcome.INTERRUPTED
                  ? ExitCodes.INTERRUPTED
                  : ExitCodes.REFUSED_OR_FAILED;
      default -> ExitCodes.REFUSED_OR_FAILED;
    };
  }

  static void printPlan(RunPlan plan, PrintWriter out) {
    out.println(plan.kind().label() + " plan: " + plan.from() + " -> " + plan.to());
    out.println("guards:");
    Table guards = new Table("  GUARD", "OUTCOME", "REASON");
    for (Decision d : plan.guards()) {
      guards.row("  " + d.step(), d.verdict(), d.reason());
    }
    guards.print(out);
    out.println("steps:");
    int i = 1;
    for (RunPlan.PlannedStep step : plan.steps()) {
      out.println("  " + i++ + ". " + step.step() + ": " + step.action());
    }
  }

  static void printResult(RunResult result, PrintWriter out) {
    if (result.resumed()) {
      out.println(
          "resumed unfinished run "
              + result.runId()
              + " from its journal (re-issue your request if it is still needed)");
    }
    Table steps = new Table("STEP", "VERDICT", "REASON");
    for (Decision d : result.decisions()) {
      steps.row(d.step(), d.verdict(), d.reason());
    }
    steps.print(out);
    out.println(
        result.kind().label()
            + " "
            + result.outcome()
            + " (run "
            + result.runId()
            + "): "
            + result.reason());
  }
}

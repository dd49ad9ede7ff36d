package io.tradingdr.cli;

import io.tradingdr.core.decision.Decision;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "pause",
    mixinStandardHelpOptions = true,
    description =
        "Pause automatic failover for every orchestrator instance (operators can still run"
            + " failovers).")
final class PauseCommand implements Callable<Integer> {

  @ParentCommand Drctl root;

  @Option(
      names = "--reason",
      paramLabel = "TEXT",
      description = "Why; shown by status and journaled.")
  String reason = "no reason given";

  @Override
  public Integer call() {
    Decision d = root.orchestrator().pauseAutomaticFailover(root.owner() + ": " + reason);
    root.out().println(d.reason());
    return ExitCodes.OK;
  }
}

package io.tradingdr.cli;

import io.tradingdr.core.decision.Decision;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "resume",
    mixinStandardHelpOptions = true,
    description = "Resume automatic failover.")
final class ResumeCommand implements Callable<Integer> {

  @ParentCommand Drctl root;

  @Override
  public Integer call() {
    Decision d = root.orchestrator().resumeAutomaticFailover(root.owner());
    root.out().println(d.reason());
    return ExitCodes.OK;
  }
}

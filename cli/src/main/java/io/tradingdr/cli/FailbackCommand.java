package io.tradingdr.cli;

import io.tradingdr.core.run.RunKind;
import picocli.CommandLine.Command;

@Command(
    name = "failback",
    mixinStandardHelpOptions = true,
    description = {
      "Return to the home region: save the RPO ledger of the failover, rejoin the home region as"
          + " a standby of the current writer, wait until it has caught up, then switch over back.",
      "Asks for confirmation unless --yes."
    })
final class FailbackCommand extends RunCommand {

  @Override
  RunKind kind() {
    return RunKind.FAILBACK;
  }
}

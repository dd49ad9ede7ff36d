package io.tradingdr.cli;

import io.tradingdr.core.run.RunKind;
import picocli.CommandLine.Command;

@Command(
    name = "switchover",
    mixinStandardHelpOptions = true,
    description = {
      "Planned move of the writer to the standby with no data loss: revoke the write lease,"
          + " fence the writer's database, wait for the lease to expire and the standby to catch"
          + " up, promote, grant the lease, route, scale, notify.",
      "Asks for confirmation unless --yes."
    })
final class SwitchoverCommand extends RunCommand {

  @Override
  RunKind kind() {
    return RunKind.SWITCHOVER;
  }
}

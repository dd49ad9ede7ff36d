package io.tradingdr.cli;

import io.tradingdr.core.run.RunKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "failover",
    mixinStandardHelpOptions = true,
    description = {
      "Unplanned move of the writer to the standby: lag guard, revoke the write lease, fence the"
          + " old writer where reachable, wait for its lease to expire, promote with data loss"
          + " allowed, grant, route by data-plane means, scale, notify, record the watermarks.",
      "Asks for confirmation unless --yes."
    })
final class FailoverCommand extends RunCommand {

  @Option(
      names = "--force",
      description =
          "Promote even when the standby's lag exceeds maxLagOnFailover or is unknown (the loss"
              + " is listed by 'drctl reconcile' afterwards).")
  boolean force;

  @Override
  RunKind kind() {
    return RunKind.FAILOVER;
  }

  @Override
  boolean force() {
    return force;
  }
}

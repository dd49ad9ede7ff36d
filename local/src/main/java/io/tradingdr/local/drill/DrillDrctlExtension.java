package io.tradingdr.local.drill;

import io.tradingdr.core.spi.DrctlContext;
import io.tradingdr.core.spi.DrctlExtension;
import picocli.CommandLine;

/** Adds {@code drctl drill}. */
public final class DrillDrctlExtension implements DrctlExtension {

  @Override
  public String name() {
    return "drill";
  }

  @Override
  public Object command(DrctlContext context) {
    return new CommandLine(new DrillCommand(context.out(), context.err()));
  }
}

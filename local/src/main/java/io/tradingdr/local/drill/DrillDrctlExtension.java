package io.tradingdr.local.drill;

import io.tradingdr.core.spi.DrctlContext;
import io.tradingdr.core.spi.DrctlExtension;
import io.tradingdr.local.cli.LocalCommand;
import java.io.PrintWriter;

/** Adds {@code drctl drill}. */
public final class DrillDrctlExtension implements DrctlExtension {

  @Override
  public String name() {
    return "drill";
  }

  @Override
  public Object command(DrctlContext context) {
    return new DrillCommand(
        new LocalCommand.Terminal() {
          @Override
          public PrintWriter out() {
            return context.out();
          }

          @Override
          public PrintWriter err() {
            return context.err();
          }

          @Override
          public boolean confirm(String question, boolean assumeYes) {
            return context.confirm(question, assumeYes);
          }
        });
  }
}

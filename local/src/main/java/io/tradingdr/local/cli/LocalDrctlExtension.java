package io.tradingdr.local.cli;

import io.tradingdr.core.spi.DrctlContext;
import io.tradingdr.core.spi.DrctlExtension;
import java.io.PrintWriter;

/** Adds {@code drctl local up|down|status}. */
public final class LocalDrctlExtension implements DrctlExtension {

  @Override
  public String name() {
    return "local";
  }

  @Override
  public Object command(DrctlContext context) {
    return new LocalCommand(
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
            })
        .commandLine();
  }
}

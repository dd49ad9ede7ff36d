package io.tradingdr.cli;

import io.tradingdr.core.spi.DrctlContext;
import io.tradingdr.core.spi.DrctlExtension;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** A subcommand contributed from outside the cli module, as {@code drctl local} will be. */
public final class HelloExtension implements DrctlExtension {

  @Override
  public String name() {
    return "hello";
  }

  @Override
  public Object command(DrctlContext context) {
    return new Hello(context);
  }

  @Command(name = "hello", description = "Says which regions the target has.")
  static final class Hello implements Callable<Integer> {
    private final DrctlContext context;

    Hello(DrctlContext context) {
      this.context = context;
    }

    @Override
    public Integer call() {
      context.out().println("hello " + context.environment().ports().topology().regions());
      return 0;
    }
  }
}

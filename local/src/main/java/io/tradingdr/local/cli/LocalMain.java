package io.tradingdr.local.cli;

import picocli.CommandLine;

/**
 * Runs {@code local up|down|status} on its own ({@code java -cp ...
 * io.tradingdr.local.cli.LocalMain up}); {@code drctl local ...} runs the same {@link
 * LocalCommand}.
 */
public final class LocalMain {

  private LocalMain() {}

  public static void main(String[] args) {
    System.exit(new CommandLine(new LocalCommand()).execute(args));
  }
}

package io.tradingdr.local.drill;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import picocli.CommandLine;

/**
 * Runs the drill on its own ({@code java -cp ... io.tradingdr.local.drill.DrillMain --scenario
 * all}); {@code drctl drill} runs the same {@link DrillCommand}.
 */
public final class DrillMain {

  private DrillMain() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    System.exit(new CommandLine(new DrillCommand(out, err)).execute(args));
  }
}

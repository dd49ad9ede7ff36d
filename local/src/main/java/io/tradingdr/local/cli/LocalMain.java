package io.tradingdr.local.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/**
 * Runs {@code local up|down|status} on its own ({@code java -cp ...
 * io.tradingdr.local.cli.LocalMain up}); {@code drctl local ...} runs the same {@link LocalCommand}
 * through {@link LocalDrctlExtension}.
 */
public final class LocalMain {

  private LocalMain() {}

  public static void main(String[] args) {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
    LocalCommand.Terminal terminal =
        new LocalCommand.Terminal() {
          @Override
          public PrintWriter out() {
            return out;
          }

          @Override
          public PrintWriter err() {
            return err;
          }

          @Override
          public boolean confirm(String question, boolean assumeYes) {
            if (assumeYes) {
              return true;
            }
            if (System.console() == null) {
              return false;
            }
            out.print(question + " [y/N] ");
            out.flush();
            try {
              String answer =
                  new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
                      .readLine();
              return answer != null
                  && (answer.equalsIgnoreCase("y") || answer.equalsIgnoreCase("yes"));
            } catch (IOException e) {
              return false;
            }
          }
        };
    System.exit(new LocalCommand(terminal).commandLine().execute(args));
  }
}

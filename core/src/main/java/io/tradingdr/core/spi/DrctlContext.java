package io.tradingdr.core.spi;

import java.io.BufferedReader;
import java.io.PrintWriter;

/** What drctl gives an extension's subcommand: its terminal, and the selected target. */
public interface DrctlContext {

  PrintWriter out();

  PrintWriter err();

  BufferedReader in();

  /**
   * The environment selected by {@code --target} / {@code --config}, opened on first use and closed
   * when drctl exits.
   */
  DrEnvironment environment();

  /**
   * Asks {@code question} on the terminal and returns true only for the answer {@code yes}; returns
   * true without asking when {@code assumeYes} (the command's {@code --yes}).
   */
  boolean confirm(String question, boolean assumeYes);
}

package io.tradingdr.cli;

/** How a command prints its result. */
public enum OutputFormat {
  /** Aligned columns for people. */
  TABLE,
  /** One JSON document for scripts. */
  JSON
}

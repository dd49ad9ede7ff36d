package io.tradingdr.core.config;

/**
 * Whether the orchestrator may start a failover on its own when detection declares a region down.
 */
public enum AutomaticFailover {
  /** Detection may trigger a failover (subject to every other guard). */
  ON,
  /** Only an operator may start a failover; detection still reports. */
  PAUSED
}

package io.tradingdr.core.detect;

/** The detector's conclusion about a region, combining every required observer. */
public enum RegionHealth {
  /** Every required observer sees it up. */
  UP,
  /** Every required observer sees it down: the only state that may trigger a failover. */
  DOWN,
  /** Observers disagree, or one of them has no fresh result: not down. */
  DISPUTED
}

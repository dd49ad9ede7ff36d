package io.tradingdr.core.detect;

/** What one observer currently concludes about one region, after thresholds and hysteresis. */
public enum ObserverState {
  /** Healthy, or failing fewer than {@code failureThreshold} times in a row. */
  UP,
  /** At least {@code failureThreshold} consecutive failures, and not yet recovered. */
  DOWN,
  /** No result, or the last one is older than three check intervals. */
  UNKNOWN;

  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}

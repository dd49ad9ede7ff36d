package io.tradingdr.local.sessions;

import java.time.Duration;
import java.util.Arrays;

/** Keeps the most recent lag samples (a ring of fixed size) and summarises them. Thread-safe. */
public final class LagRecorder {

  private final long[] samplesMicros;
  private long count;

  public LagRecorder(int capacity) {
    if (capacity < 1) {
      throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
    }
    this.samplesMicros = new long[capacity];
  }

  /** Negative samples (clock skew between writer and replicator) count as zero. */
  public synchronized void record(Duration lag) {
    samplesMicros[(int) (count % samplesMicros.length)] = Math.max(0, lag.toNanos() / 1_000);
    count++;
  }

  public synchronized Summary summary() {
    return summarySince(0);
  }

  /** How many samples were recorded so far: a mark for {@link #summarySince}. */
  public synchronized long mark() {
    return count;
  }

  /**
   * The samples recorded after {@code mark} (the most recent {@code capacity} of them when more
   * came since); the summary's count is the number of samples since the mark.
   */
  public synchronized Summary summarySince(long mark) {
    if (mark < 0 || mark > count) {
      throw new IllegalArgumentException("mark must be 0-" + count + ", was " + mark);
    }
    int n = (int) Math.min(count - mark, samplesMicros.length);
    if (n == 0) {
      return new Summary(0, Duration.ZERO, Duration.ZERO, Duration.ZERO);
    }
    long[] sorted = new long[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = samplesMicros[(int) ((count - 1 - i) % samplesMicros.length)];
    }
    Arrays.sort(sorted);
    return new Summary(
        count - mark,
        percentile(sorted, 0.50),
        percentile(sorted, 0.99),
        Duration.ofNanos(sorted[n - 1] * 1_000));
  }

  private static Duration percentile(long[] sorted, double p) {
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return Duration.ofNanos(sorted[Math.max(0, index)] * 1_000);
  }

  /**
   * @param count changes measured since the start (the percentiles cover the most recent ones)
   */
  public record Summary(long count, Duration p50, Duration p99, Duration max) {
    @Override
    public String toString() {
      return "n=%d p50=%d ms p99=%d ms max=%d ms"
          .formatted(count, p50.toMillis(), p99.toMillis(), max.toMillis());
    }
  }
}

package io.tradingdr.core.port;

import java.time.Instant;
import java.util.Objects;

/**
 * A replication position: how far a database has written (writer) or replayed (standby).
 *
 * @param position engine-specific, totally ordered by {@link #sequence()} (a PostgreSQL LSN as a
 *     number of bytes; for Aurora, the epoch millisecond of the last replicated change)
 * @param label human-readable form (e.g. {@code 0/3000060})
 * @param lastCommitAt commit time of the last transaction at this position, when the engine says
 */
public record Watermark(long sequence, String label, Instant lastCommitAt) {

  public Watermark {
    Objects.requireNonNull(label, "label");
  }

  public boolean hasReached(Watermark other) {
    return sequence >= other.sequence;
  }
}

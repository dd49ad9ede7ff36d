package io.tradingdr.core.port;

import io.tradingdr.core.region.RegionId;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Port: where the figures of a finished run go (CloudWatch metrics in AWS, the drill report
 * locally), so that RTO and its parts can be graphed and alarmed on.
 *
 * <p>Best effort and not idempotent (a retry may record twice). Throws {@link UnreachableException}
 * when the figures were not stored; callers never let that stop a run.
 */
public interface RunMetrics {

  void record(Measurement measurement);

  /**
   * One run's figures. A figure is empty when the run did not reach that point.
   *
   * @param kind {@code switchover}, {@code failover} or {@code failback}
   * @param detectionTime from the first failed check to the decision to fail over
   * @param promotionTime how long the database promotion took
   * @param timeToFirstWrite from the start of the run to the first write accepted by the new writer
   * @param replicationLag the standby's lag when it was promoted
   */
  record Measurement(
      String runId,
      String kind,
      RegionId from,
      RegionId to,
      Instant at,
      boolean succeeded,
      Optional<Duration> detectionTime,
      Optional<Duration> promotionTime,
      Optional<Duration> timeToFirstWrite,
      Optional<Duration> replicationLag) {

    public Measurement {
      Objects.requireNonNull(runId, "runId");
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(at, "at");
      Objects.requireNonNull(detectionTime, "detectionTime");
      Objects.requireNonNull(promotionTime, "promotionTime");
      Objects.requireNonNull(timeToFirstWrite, "timeToFirstWrite");
      Objects.requireNonNull(replicationLag, "replicationLag");
    }
  }
}

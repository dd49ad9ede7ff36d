package io.tradingdr.aws.common;

import io.tradingdr.core.port.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataQuery;
import software.amazon.awssdk.services.cloudwatch.model.MetricDataResult;
import software.amazon.awssdk.services.cloudwatch.model.ScanBy;

/**
 * The newest datapoint of a replication-lag metric (Aurora's {@code AuroraGlobalDBReplicationLag},
 * DynamoDB's {@code ReplicationLatency}, both in milliseconds): the time it was taken and the lag,
 * and the watermarks they imply.
 */
public record ReplicationLag(Instant at, Duration lag) {

  public ReplicationLag {
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(lag, "lag");
  }

  /**
   * The newest one-minute maximum of {@code namespace/metricName} with {@code dimensions} within
   * {@code window} before {@code end}; empty when there is none or CloudWatch does not answer.
   */
  public static Optional<ReplicationLag> newest(
      CloudWatchClient cloudWatch,
      Instant end,
      Duration window,
      String namespace,
      String metricName,
      Dimension... dimensions) {
    try {
      for (MetricDataResult result :
          cloudWatch
              .getMetricData(
                  r ->
                      r.startTime(end.minus(window))
                          .endTime(end)
                          .scanBy(ScanBy.TIMESTAMP_DESCENDING)
                          .metricDataQueries(
                              MetricDataQuery.builder()
                                  .id("lag")
                                  .metricStat(
                                      s ->
                                          s.period(60)
                                              .stat("Maximum")
                                              .metric(
                                                  m ->
                                                      m.namespace(namespace)
                                                          .metricName(metricName)
                                                          .dimensions(dimensions)))
                                  .build()))
              .metricDataResults()) {
        if (!result.timestamps().isEmpty() && !result.values().isEmpty()) {
          return Optional.of(
              new ReplicationLag(
                  result.timestamps().get(0),
                  Duration.ofMillis(Math.round(result.values().get(0)))));
        }
      }
      return Optional.empty();
    } catch (SdkException e) {
      // Lag is an observation: unknown lag is reported as absent, and the lag guard refuses on it.
      return Optional.empty();
    }
  }

  /** The writer's watermark: the datapoint's time. */
  public Watermark writerMark() {
    return watermark(at, "writer at " + at);
  }

  /** The standby's watermark: the datapoint's time less the lag. */
  public Watermark replayedMark() {
    Instant replayed = at.minus(lag);
    return watermark(replayed, "replayed to " + replayed);
  }

  /** A watermark at {@code at}, its position the epoch milliseconds. */
  public static Watermark watermark(Instant at, String label) {
    return new Watermark(at.toEpochMilli(), label, at);
  }
}

package io.tradingdr.aws.cloudwatch;

import io.tradingdr.aws.common.AwsErrors;
import io.tradingdr.core.port.RunMetrics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * {@link RunMetrics} on CloudWatch: one {@code PutMetricData} per run in the orchestrator's region,
 * namespace {@code TradingDR/Orchestrator} by default, dimensions {@code RunKind} and {@code
 * TargetRegion}. Metrics: {@code DetectionTime}, {@code PromotionTime}, {@code TimeToFirstWrite},
 * {@code ReplicationLagAtPromotion} (Milliseconds, only those the run reached) and {@code
 * RunSucceeded} (Count, 1 or 0).
 *
 * <p>Best effort, not idempotent; {@link io.tradingdr.core.port.UnreachableException} when
 * CloudWatch did not take the data, {@link io.tradingdr.core.port.RefusedException} when it
 * refused.
 */
public final class CloudWatchRunMetrics implements RunMetrics {

  public static final String DEFAULT_NAMESPACE = "TradingDR/Orchestrator";

  private final CloudWatchClient cloudWatch;
  private final String namespace;

  public CloudWatchRunMetrics(CloudWatchClient cloudWatch, String namespace) {
    this.cloudWatch = Objects.requireNonNull(cloudWatch, "cloudWatch");
    this.namespace = MetricNamespaces.requireCustom("metric namespace", namespace);
  }

  @Override
  public void record(Measurement m) {
    List<Dimension> dimensions =
        List.of(
            Dimension.builder().name("RunKind").value(m.kind()).build(),
            Dimension.builder().name("TargetRegion").value(m.to().value()).build());
    List<MetricDatum> data = new ArrayList<>();
    millis("DetectionTime", m.detectionTime(), m, dimensions, data);
    millis("PromotionTime", m.promotionTime(), m, dimensions, data);
    millis("TimeToFirstWrite", m.timeToFirstWrite(), m, dimensions, data);
    millis("ReplicationLagAtPromotion", m.replicationLag(), m, dimensions, data);
    data.add(
        MetricDatum.builder()
            .metricName("RunSucceeded")
            .dimensions(dimensions)
            .timestamp(m.at())
            .unit(StandardUnit.COUNT)
            .value(m.succeeded() ? 1.0 : 0.0)
            .build());
    try {
      cloudWatch.putMetricData(r -> r.namespace(namespace).metricData(data));
    } catch (SdkException e) {
      throw AwsErrors.translate("cloudwatch:PutMetricData(" + namespace + ")", e);
    }
  }

  private static void millis(
      String name,
      Optional<Duration> value,
      Measurement m,
      List<Dimension> dimensions,
      List<MetricDatum> data) {
    value.ifPresent(
        d ->
            data.add(
                MetricDatum.builder()
                    .metricName(name)
                    .dimensions(dimensions)
                    .timestamp(m.at())
                    .unit(StandardUnit.MILLISECONDS)
                    .value((double) d.toMillis())
                    .build()));
  }
}

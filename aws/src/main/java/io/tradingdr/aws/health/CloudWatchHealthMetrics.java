package io.tradingdr.aws.health;

import io.tradingdr.aws.cloudwatch.MetricNamespaces;
import io.tradingdr.aws.common.AwsErrors;
import io.tradingdr.core.port.ProbeResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;

/**
 * {@link HealthMetrics} on CloudWatch, one {@code PutMetricData} per batch, in the caller's region:
 * {@code RegionHealthy} (Count, 1 healthy / 0 not) and {@code ProbeLatency} (Milliseconds), both
 * with dimensions {@code Region} (the probed region) and {@code Observer}.
 */
public final class CloudWatchHealthMetrics implements HealthMetrics {

  public static final String DEFAULT_NAMESPACE = "TradingDR/Health";

  private final CloudWatchClient cloudWatch;
  private final String namespace;

  public CloudWatchHealthMetrics(CloudWatchClient cloudWatch, String namespace) {
    this.cloudWatch = Objects.requireNonNull(cloudWatch, "cloudWatch");
    this.namespace = MetricNamespaces.requireCustom("metric namespace", namespace);
  }

  @Override
  public void publish(List<ProbeResult> results) {
    if (results.isEmpty()) {
      return;
    }
    List<MetricDatum> data = new ArrayList<>();
    for (ProbeResult r : results) {
      List<Dimension> dimensions =
          List.of(
              Dimension.builder().name("Region").value(r.region().value()).build(),
              Dimension.builder().name("Observer").value(r.observer()).build());
      data.add(
          MetricDatum.builder()
              .metricName("RegionHealthy")
              .dimensions(dimensions)
              .timestamp(r.at())
              .unit(StandardUnit.COUNT)
              .value(r.healthy() ? 1.0 : 0.0)
              .build());
      data.add(
          MetricDatum.builder()
              .metricName("ProbeLatency")
              .dimensions(dimensions)
              .timestamp(r.at())
              .unit(StandardUnit.MILLISECONDS)
              .value((double) r.latency().toMillis())
              .build());
    }
    try {
      cloudWatch.putMetricData(r -> r.namespace(namespace).metricData(data));
    } catch (SdkException e) {
      throw AwsErrors.translate("cloudwatch:PutMetricData(" + namespace + ")", e);
    }
  }
}

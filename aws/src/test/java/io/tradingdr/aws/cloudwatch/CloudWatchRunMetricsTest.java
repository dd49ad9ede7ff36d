package io.tradingdr.aws.cloudwatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.aws.testing.AwsStub;
import io.tradingdr.aws.testing.AwsStub.Response;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.RunMetrics;
import io.tradingdr.core.region.RegionId;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

class CloudWatchRunMetricsTest {

  private AwsStub stub;
  private CloudWatchRunMetrics metrics;

  @BeforeEach
  void setUp() throws Exception {
    stub = AwsStub.start();
    metrics =
        new CloudWatchRunMetrics(
            stub.settings("us-east-2").build(CloudWatchClient.builder()),
            CloudWatchRunMetrics.DEFAULT_NAMESPACE);
  }

  @AfterEach
  void tearDown() {
    stub.close();
  }

  private static RunMetrics.Measurement measurement() {
    return new RunMetrics.Measurement(
        "run-7",
        "failover",
        RegionId.of("us-east-1"),
        RegionId.of("us-east-2"),
        Instant.parse("2026-01-05T10:00:00Z"),
        true,
        Optional.of(Duration.ofSeconds(30)),
        Optional.of(Duration.ofMillis(61_500)),
        Optional.empty(),
        Optional.of(Duration.ofMillis(250)));
  }

  @Test
  void record_putsTheRunsFiguresInOneCall_withKindAndTargetDimensions() {
    stub.on("PutMetricData", Response.xml(putOk()));

    metrics.record(measurement());

    AwsStub.Request put = stub.requests("PutMetricData").get(0);
    assertThat(put.params())
        .containsEntry("Namespace", "TradingDR/Orchestrator")
        .containsEntry("MetricData.member.1.MetricName", "DetectionTime")
        .containsEntry("MetricData.member.1.Unit", "Milliseconds")
        .containsEntry("MetricData.member.1.Dimensions.member.1.Name", "RunKind")
        .containsEntry("MetricData.member.1.Dimensions.member.1.Value", "failover")
        .containsEntry("MetricData.member.1.Dimensions.member.2.Value", "us-east-2")
        .containsEntry("MetricData.member.2.MetricName", "PromotionTime")
        .containsEntry("MetricData.member.3.MetricName", "ReplicationLagAtPromotion")
        .containsEntry("MetricData.member.4.MetricName", "RunSucceeded");
    assertThat(Double.parseDouble(put.param("MetricData.member.2.Value"))).isEqualTo(61_500.0);
    assertThat(put.params()).doesNotContainValue("TimeToFirstWrite");
  }

  @Test
  void record_accessDenied_isARefusal() {
    stub.on(
        "PutMetricData",
        Response.xmlError(
            403, "AccessDenied", "not authorized to perform cloudwatch:PutMetricData"));

    assertThatThrownBy(() -> metrics.record(measurement()))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("cloudwatch:PutMetricData(TradingDR/Orchestrator) AccessDenied");
  }

  static String putOk() {
    return "<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"
        + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PutMetricDataResponse>";
  }
}

package io.tradingdr.aws.lambda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.tradingdr.aws.health.CloudWatchHealthMetrics;
import io.tradingdr.aws.health.HttpHealthProbe;
import io.tradingdr.aws.testing.AwsStub;
import io.tradingdr.aws.testing.AwsStub.Response;
import io.tradingdr.core.region.RegionId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

class HealthMonitorHandlerTest {

  static final RegionId EAST = RegionId.of("us-east-1");
  static final RegionId WEST = RegionId.of("us-east-2");

  private HttpServer service;
  private AwsStub cloudWatch;

  @BeforeEach
  void setUp() throws Exception {
    service = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    service.createContext(
        "/east/health/ready",
        ex -> {
          ex.sendResponseHeaders(200, -1);
          ex.close();
        });
    service.createContext(
        "/west/health/ready",
        ex -> {
          ex.sendResponseHeaders(503, -1);
          ex.close();
        });
    service.start();
    cloudWatch = AwsStub.start();
  }

  @AfterEach
  void tearDown() {
    service.stop(0);
    cloudWatch.close();
  }

  @Test
  void handleRequest_probesBothRegions_andPublishesHealthAndLatency() {
    cloudWatch.on(
        "PutMetricData",
        Response.xml(
            "<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"
                + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PutMetricDataResponse>"));
    String base = "http://127.0.0.1:" + service.getAddress().getPort();
    HealthMonitorHandler handler =
        new HealthMonitorHandler(
            new HttpHealthProbe(
                "monitor-us-east-2",
                Map.of(EAST, URI.create(base + "/east"), WEST, URI.create(base + "/west")),
                HttpHealthProbe.DEFAULT_PATH,
                Duration.ofSeconds(2),
                Clock.systemUTC()),
            List.of(EAST, WEST),
            new CloudWatchHealthMetrics(
                cloudWatch.settings("us-east-2").build(CloudWatchClient.builder()),
                "TradingDR/Health"));

    Map<String, Object> summary = handler.handleRequest(Map.of("source", "aws.events"), null);

    assertThat(summary).containsOnlyKeys("us-east-1", "us-east-2");
    assertThat(((Map<?, ?>) summary.get("us-east-1")).get("healthy")).isEqualTo(true);
    assertThat(((Map<?, ?>) summary.get("us-east-2")).get("healthy")).isEqualTo(false);
    AwsStub.Request put = cloudWatch.requests("PutMetricData").get(0);
    assertThat(put.params())
        .containsEntry("Namespace", "TradingDR/Health")
        .containsEntry("MetricData.member.1.MetricName", "RegionHealthy")
        .containsEntry("MetricData.member.1.Dimensions.member.1.Name", "Region")
        .containsEntry("MetricData.member.1.Dimensions.member.1.Value", "us-east-1")
        .containsEntry("MetricData.member.1.Dimensions.member.2.Value", "monitor-us-east-2")
        .containsEntry("MetricData.member.2.MetricName", "ProbeLatency")
        .containsEntry("MetricData.member.2.Unit", "Milliseconds")
        .containsEntry("MetricData.member.3.Dimensions.member.1.Value", "us-east-2");
    assertThat(Double.parseDouble(put.param("MetricData.member.1.Value"))).isEqualTo(1.0);
    assertThat(Double.parseDouble(put.param("MetricData.member.3.Value"))).isEqualTo(0.0);
  }

  @Test
  void config_readsTheEnvironment_withDefaults() {
    HealthMonitorHandler.Config config =
        HealthMonitorHandler.Config.from(
            Map.of(
                "AWS_REGION", "us-east-2",
                "TDR_MONITOR_TARGETS",
                    "us-east-1=https://primary.example.com, us-east-2=https://standby.example.com"));

    assertThat(config.targets()).containsEntry(EAST, URI.create("https://primary.example.com"));
    assertThat(config.targets()).containsEntry(WEST, URI.create("https://standby.example.com"));
    assertThat(config.path()).isEqualTo("/health/ready");
    assertThat(config.timeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.observer()).isEqualTo("monitor-us-east-2");
    assertThat(config.namespace()).isEqualTo("TradingDR/Health");
    assertThat(config.awsRegion()).isEqualTo("us-east-2");
  }

  @Test
  void config_refusesMissingTargets_namingTheVariable() {
    assertThatThrownBy(() -> HealthMonitorHandler.Config.from(Map.of("AWS_REGION", "us-east-2")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("TDR_MONITOR_TARGETS is required");
  }

  @Test
  void config_refusesABadTimeout() {
    assertThatThrownBy(
            () ->
                HealthMonitorHandler.Config.from(
                    Map.of(
                        "AWS_REGION",
                        "us-east-2",
                        "TDR_MONITOR_TARGETS",
                        "us-east-1=https://a",
                        "TDR_MONITOR_TIMEOUT_MS",
                        "soon")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("TDR_MONITOR_TIMEOUT_MS 'soon' is invalid");
  }
}

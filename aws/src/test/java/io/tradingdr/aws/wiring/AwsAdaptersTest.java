package io.tradingdr.aws.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.aws.testing.AwsStub;
import io.tradingdr.aws.testing.AwsStub.Response;
import io.tradingdr.core.port.HealthProbe;
import io.tradingdr.core.port.RouteMode;
import io.tradingdr.core.region.RegionId;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AwsAdaptersTest {

  private AwsStub stub;

  @BeforeEach
  void setUp() throws Exception {
    stub = AwsStub.start();
  }

  @AfterEach
  void tearDown() {
    stub.close();
  }

  private static Map<String, String> fullEnvironment() {
    Map<String, String> env = new HashMap<>();
    env.put("AWS_REGION", "us-east-2");
    env.put("TDR_PRIMARY_REGION", "us-east-1");
    env.put("TDR_STANDBY_REGION", "us-east-2");
    env.put("TDR_CONTROL_TABLE", "trading-control-test");
    env.put("TDR_CONTROL_REGION", "us-west-2");
    env.put("TDR_GLOBAL_CLUSTER_ID", "trading-global");
    env.put(
        "TDR_PRIMARY_DB_CLUSTER_ARN", "arn:aws:rds:us-east-1:123456789012:cluster:trading-primary");
    env.put(
        "TDR_STANDBY_DB_CLUSTER_ARN", "arn:aws:rds:us-east-2:123456789012:cluster:trading-standby");
    env.put("TDR_HOSTED_ZONE_ID", "Z0123456789ABC");
    env.put("TDR_RECORD_NAME", "api.trading-test.example.com");
    env.put("TDR_ROUTING_POLICY", "failover");
    env.put("TDR_PRIMARY_SET_ID", "primary");
    env.put("TDR_STANDBY_SET_ID", "standby");
    env.put("TDR_DRAIN_ALARM_PRIMARY", "trading-drain-us-east-1");
    env.put("TDR_PRIMARY_ASG", "trading-primary-asg");
    env.put("TDR_STANDBY_ASG", "trading-standby-asg");
    env.put("TDR_PRIMARY_TOPIC_ARN", "arn:aws:sns:us-east-1:123456789012:trading-dr");
    env.put("TDR_STANDBY_TOPIC_ARN", "arn:aws:sns:us-east-2:123456789012:trading-dr");
    env.put(
        "TDR_MONITOR_TARGETS",
        "us-east-1=https://primary.example.com,us-east-2=https://standby.example.com");
    env.put("TDR_HEALTH_ALARM_PRIMARY", "trading-primary-unhealthy");
    env.put("TDR_POLL_INTERVAL_MS", "10");
    return env;
  }

  @Test
  void fromEnvironment_buildsEveryAdapter() {
    AwsAdapters adapters =
        AwsAdapters.fromEnvironment(fullEnvironment(), stub::settings, Clock.systemUTC());

    assertThat(adapters.primary()).isEqualTo(RegionId.of("us-east-1"));
    assertThat(adapters.standby()).isEqualTo(RegionId.of("us-east-2"));
    assertThat(adapters.replication()).isPresent();
    assertThat(adapters.capacity()).isPresent();
    assertThat(adapters.probes())
        .extracting(HealthProbe::observer)
        .containsExactly("standby-side", "cloudwatch");
  }

  @Test
  void fromEnvironment_wiresTheDrainOfThePrimaryToCloudWatchInTheStandbyRegion() {
    stub.on(
        "DescribeAlarms",
        Response.xml(
            "<DescribeAlarmsResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><DescribeAlarmsResult>"
                + "<MetricAlarms><member><AlarmName>trading-drain-us-east-1</AlarmName><StateValue>ALARM</StateValue></member>"
                + "</MetricAlarms></DescribeAlarmsResult></DescribeAlarmsResponse>"));
    AwsAdapters adapters =
        AwsAdapters.fromEnvironment(fullEnvironment(), stub::settings, Clock.systemUTC());

    adapters.router().routeTo(RegionId.of("us-east-2"), RouteMode.EMERGENCY, Duration.ofSeconds(5));

    assertThat(stub.requests())
        .singleElement()
        .satisfies(
            r -> assertThat(r.headers().get("authorization")).contains("/us-east-2/monitoring/"));
  }

  @Test
  void fromEnvironment_controlStoreUsesTheControlRegion() {
    stub.on("GetItem", Response.json("{}"));
    AwsAdapters adapters =
        AwsAdapters.fromEnvironment(fullEnvironment(), stub::settings, Clock.systemUTC());

    adapters.controlStore().read();

    assertThat(stub.requests("GetItem").get(0).headers().get("authorization"))
        .contains("/us-west-2/dynamodb/");
  }

  @Test
  void fromEnvironment_refusesAPartialAuroraGroup_namingTheMissingVariable() {
    Map<String, String> env = fullEnvironment();
    env.remove("TDR_STANDBY_DB_CLUSTER_ARN");

    assertThatThrownBy(() -> AwsAdapters.fromEnvironment(env, stub::settings, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing: TDR_STANDBY_DB_CLUSTER_ARN");
  }

  @Test
  void fromEnvironment_refusesAnUnknownRoutingPolicy_listingTheAllowedValues() {
    Map<String, String> env = fullEnvironment();
    env.put("TDR_ROUTING_POLICY", "latency");

    assertThatThrownBy(() -> AwsAdapters.fromEnvironment(env, stub::settings, Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TDR_ROUTING_POLICY 'LATENCY' is invalid: use one of WEIGHTED, FAILOVER");
  }

  @Test
  void fromEnvironment_withoutAuroraOrAutoScaling_leavesThemOut() {
    Map<String, String> env = fullEnvironment();
    env.keySet()
        .removeIf(
            k ->
                k.contains("DB_CLUSTER")
                    || k.equals("TDR_GLOBAL_CLUSTER_ID")
                    || k.endsWith("_ASG"));

    AwsAdapters adapters = AwsAdapters.fromEnvironment(env, stub::settings, Clock.systemUTC());

    assertThat(adapters.replication()).isEmpty();
    assertThat(adapters.capacity()).isEmpty();
  }
}

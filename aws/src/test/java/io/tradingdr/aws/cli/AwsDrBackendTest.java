package io.tradingdr.aws.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.aws.testing.AwsStub;
import io.tradingdr.aws.testing.AwsStub.Response;
import io.tradingdr.core.port.Notification;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.spi.BackendSettings;
import io.tradingdr.core.spi.DrBackend;
import io.tradingdr.core.spi.DrEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AwsDrBackendTest {

  private AwsStub stub;

  @BeforeEach
  void setUp() throws Exception {
    stub = AwsStub.start();
  }

  @AfterEach
  void tearDown() {
    stub.close();
  }

  private static Map<String, String> fullConfig() {
    Map<String, String> p = new HashMap<>();
    p.put("target", "aws");
    p.put("aws.region", "us-east-2");
    p.put("aws.primaryRegion", "us-east-1");
    p.put("aws.standbyRegion", "us-east-2");
    p.put("aws.controlTable", "trading-control-test");
    p.put("aws.controlRegion", "us-west-2");
    p.put("aws.globalClusterId", "trading-global");
    p.put("aws.primaryDbClusterArn", "arn:aws:rds:us-east-1:123456789012:cluster:trading-primary");
    p.put("aws.standbyDbClusterArn", "arn:aws:rds:us-east-2:123456789012:cluster:trading-standby");
    p.put("aws.hostedZoneId", "Z0123456789ABC");
    p.put("aws.recordName", "api.trading-test.example.com");
    p.put("aws.routingPolicy", "FAILOVER");
    p.put("aws.primarySetId", "primary");
    p.put("aws.standbySetId", "standby");
    p.put("aws.primaryAsg", "trading-primary-asg");
    p.put("aws.standbyAsg", "trading-standby-asg");
    p.put("aws.primaryTopicArn", "arn:aws:sns:us-east-1:123456789012:trading-dr");
    p.put("aws.standbyTopicArn", "arn:aws:sns:us-east-2:123456789012:trading-dr");
    p.put(
        "aws.monitorTargets",
        "us-east-1=https://primary.example.com,us-east-2=https://standby.example.com");
    p.put("aws.healthAlarmPrimary", "trading-primary-unhealthy");
    p.put("aws.healthAlarmStandby", "trading-standby-unhealthy");
    p.put("aws.pollIntervalMs", "10");
    p.put("orchestrator.maxLagOnFailover", "5s");
    return p;
  }

  private DrEnvironment open(Map<String, String> properties) {
    return new AwsDrBackend(stub::settings, Clock.systemUTC())
        .open(new BackendSettings("aws", properties, Map.of()));
  }

  @Test
  void serviceLoader_findsTheBackendNamedAws() {
    assertThat(ServiceLoader.load(DrBackend.class).stream().map(ServiceLoader.Provider::get))
        .extracting(DrBackend::name)
        .contains("aws");
  }

  @Test
  void open_buildsPortsWhoseClientsTalkToTheStub_andAppliesOrchestratorSettings() {
    stub.on("GetItem", Response.json("{}"));
    stub.on(
        "Publish",
        Response.xml(
            "<PublishResponse xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\"><PublishResult>"
                + "<MessageId>m-1</MessageId></PublishResult><ResponseMetadata><RequestId>r"
                + "</RequestId></ResponseMetadata></PublishResponse>"));

    DrEnvironment env = open(fullConfig());
    env.ports().control().read();
    env.ports()
        .notifier()
        .notify(
            new Notification(
                Instant.parse("2026-01-05T09:00:00Z"),
                Notification.Severity.INFO,
                "drctl test",
                "body",
                Map.of()));

    assertThat(env.config().maxLagOnFailover()).isEqualTo(Duration.ofSeconds(5));
    assertThat(env.config().detectionObservers()).containsExactly("standby-side", "cloudwatch");
    assertThat(env.ports().topology().home().value()).isEqualTo("us-east-1");
    assertThat(env.ports().topology().away().value()).isEqualTo("us-east-2");
    assertThat(stub.requests("GetItem").getFirst().headers().get("authorization"))
        .contains("/us-west-2/dynamodb/");
    assertThat(stub.requests("Publish"))
        .extracting(r -> r.param("TopicArn"))
        .containsExactlyInAnyOrder(
            "arn:aws:sns:us-east-1:123456789012:trading-dr",
            "arn:aws:sns:us-east-2:123456789012:trading-dr");
  }

  @Test
  void open_refusesAMissingControlTable_namingTheSetting() {
    Map<String, String> config = fullConfig();
    config.remove("aws.controlTable");

    assertThatThrownBy(() -> open(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("target 'aws' needs the setting 'aws.controlTable' in the config file");
  }

  @Test
  void open_refusesAnInvalidRegion_namingTheSettingAndTheAllowedForm() {
    Map<String, String> config = fullConfig();
    config.put("aws.primaryRegion", "virginia");

    assertThatThrownBy(() -> open(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "target 'aws': aws.primaryRegion 'virginia' is invalid: use an AWS region code such as"
                + " us-east-1");
  }

  @Test
  void open_refusesAPartialAuroraGroup_namingTheMissingSetting() {
    Map<String, String> config = fullConfig();
    config.remove("aws.standbyDbClusterArn");

    assertThatThrownBy(() -> open(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("missing: aws.standbyDbClusterArn")
        .hasMessageNotContaining("TDR_");
  }

  @Test
  void open_withoutAurora_refuses_becauseNothingCouldBePromoted() {
    Map<String, String> config = fullConfig();
    config.remove("aws.globalClusterId");
    config.remove("aws.primaryDbClusterArn");
    config.remove("aws.standbyDbClusterArn");

    assertThatThrownBy(() -> open(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("needs the Aurora global database: set aws.globalClusterId");
  }

  @Test
  void open_refusesAnUnknownKey_listingTheAllowedOnes() {
    Map<String, String> config = fullConfig();
    config.put("aws.controlTabel", "typo");

    assertThatThrownBy(() -> open(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("target 'aws': unknown setting 'aws.controlTabel'; allowed: ")
        .hasMessageContaining("aws.controlTable");
  }

  @Test
  void open_refusesAnInvalidGuardSetting_namingIt() {
    Map<String, String> config = fullConfig();
    config.put("orchestrator.maxLagOnFailover", "fast");

    assertThatThrownBy(() -> open(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("maxLagOnFailover must be a duration");
  }

  @Test
  void open_refusesAnEndpointThatIsNotAUrl() {
    Map<String, String> config = fullConfig();
    config.put("aws.endpoint", "localhost:4566");

    assertThatThrownBy(() -> new AwsDrBackend().open(new BackendSettings("aws", config, Map.of())))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'aws.endpoint' must be an http(s) URL");
  }

  @Test
  void reconcile_isRefusedWithTheReason_becauseTheTargetDoesNotReachTheOrders() {
    DrEnvironment env = open(fullConfig());

    assertThatThrownBy(() -> env.reconciliation().markCancelled(null, null, "lost"))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("the aws target cannot read or write orders");
    assertThatThrownBy(() -> env.ports().rpoLedgers().find("failover-1"))
        .isInstanceOf(RefusedException.class);
  }
}

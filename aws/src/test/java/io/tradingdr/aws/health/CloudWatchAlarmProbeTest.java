package io.tradingdr.aws.health;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradingdr.aws.testing.AwsStub;
import io.tradingdr.aws.testing.AwsStub.Response;
import io.tradingdr.core.port.ProbeResult;
import io.tradingdr.core.region.RegionId;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

class CloudWatchAlarmProbeTest {

  static final RegionId EAST = RegionId.of("us-east-1");

  private AwsStub stub;
  private CloudWatchAlarmProbe probe;

  @BeforeEach
  void setUp() throws Exception {
    stub = AwsStub.start();
    probe =
        new CloudWatchAlarmProbe(
            "cloudwatch",
            Map.of(
                EAST,
                new CloudWatchAlarmProbe.Alarm(
                    "trading-primary-unhealthy",
                    stub.settings("us-east-2").build(CloudWatchClient.builder()))),
            Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    stub.close();
  }

  @Test
  void probe_isHealthy_whileTheAlarmIsOk() {
    stub.on("DescribeAlarms", alarm("MetricAlarms", "OK", "Threshold Crossed: no datapoints"));

    ProbeResult result = probe.probe(EAST);

    assertThat(result.healthy()).isTrue();
    assertThat(stub.requests("DescribeAlarms").get(0).params())
        .containsEntry("AlarmNames.member.1", "trading-primary-unhealthy")
        .containsEntry("AlarmTypes.member.1", "MetricAlarm")
        .containsEntry("AlarmTypes.member.2", "CompositeAlarm");
  }

  @Test
  void probe_isUnhealthy_whenACompositeAlarmFires_withItsReason() {
    stub.on("DescribeAlarms", alarm("CompositeAlarms", "ALARM", "alarm rule true"));

    ProbeResult result = probe.probe(EAST);

    assertThat(result.healthy()).isFalse();
    assertThat(result.detail()).isEqualTo("alarm trading-primary-unhealthy ALARM: alarm rule true");
  }

  @Test
  void probe_isUnhealthy_withoutThrowing_whenCloudWatchRefuses() {
    stub.on("DescribeAlarms", Response.xmlError(403, "AccessDenied", "no"));

    ProbeResult result = probe.probe(EAST);

    assertThat(result.healthy()).isFalse();
    assertThat(result.detail())
        .startsWith(
            "alarm state unknown: cloudwatch:DescribeAlarms(trading-primary-unhealthy) AccessDenied");
  }

  static Response alarm(String list, String state, String reason) {
    return Response.xml(
        "<DescribeAlarmsResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><DescribeAlarmsResult><"
            + list
            + "><member><AlarmName>trading-primary-unhealthy</AlarmName><StateValue>"
            + state
            + "</StateValue><StateReason>"
            + reason
            + "</StateReason></member></"
            + list
            + "></DescribeAlarmsResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeAlarmsResponse>");
  }
}

package io.tradingdr.aws.autoscaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.aws.testing.AwsStub;
import io.tradingdr.aws.testing.AwsStub.Response;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;

class AutoScalingCapacityTest {

  static final RegionId WEST = RegionId.of("us-east-2");

  private AwsStub stub;
  private AutoScalingCapacity capacity;

  @BeforeEach
  void setUp() throws Exception {
    stub = AwsStub.start();
    capacity =
        new AutoScalingCapacity(
            Map.of(
                WEST,
                new AutoScalingCapacity.Group(
                    "trading-standby-asg",
                    stub.settings("us-east-2").build(AutoScalingClient.builder()))),
            Clock.systemUTC(),
            Duration.ofMillis(10));
  }

  @AfterEach
  void tearDown() {
    stub.close();
  }

  @Test
  void scaleTo_withinBounds_setsDesiredCapacity_andWaitsForInService() {
    stub.on(
        "DescribeAutoScalingGroups",
        group(1, 4, 1, 1, 0),
        group(1, 4, 3, 1, 2),
        group(1, 4, 3, 3, 0));
    stub.on("SetDesiredCapacity", Response.xml(empty("SetDesiredCapacity")));

    capacity.scaleTo(WEST, 3, Duration.ofSeconds(5));

    AwsStub.Request set = stub.requests("SetDesiredCapacity").get(0);
    assertThat(set.params())
        .containsEntry("AutoScalingGroupName", "trading-standby-asg")
        .containsEntry("DesiredCapacity", "3")
        .containsEntry("HonorCooldown", "false");
    assertThat(stub.requests("UpdateAutoScalingGroup")).isEmpty();
    assertThat(stub.requests("DescribeAutoScalingGroups")).hasSize(3);
  }

  @Test
  void scaleTo_pastMaxSize_raisesMaxSizeOnly() {
    stub.on("DescribeAutoScalingGroups", group(1, 2, 1, 1, 0), group(1, 5, 5, 5, 0));
    stub.on("UpdateAutoScalingGroup", Response.xml(empty("UpdateAutoScalingGroup")));

    capacity.scaleTo(WEST, 5, Duration.ofSeconds(5));

    assertThat(stub.requests("UpdateAutoScalingGroup").get(0).params())
        .containsEntry("DesiredCapacity", "5")
        .containsEntry("MaxSize", "5")
        .containsEntry("MinSize", "1");
    assertThat(stub.requests("SetDesiredCapacity")).isEmpty();
  }

  @Test
  void scaleTo_isIdempotent_whenAlreadyThere() {
    stub.on("DescribeAutoScalingGroups", group(1, 4, 2, 2, 0));

    capacity.scaleTo(WEST, 2, Duration.ofSeconds(5));

    assertThat(stub.operations()).containsOnly("DescribeAutoScalingGroups");
  }

  @Test
  void scaleTo_stopsAtItsTimeout_whenInstancesNeverComeUp() {
    stub.on("DescribeAutoScalingGroups", group(1, 4, 1, 1, 0), group(1, 4, 3, 1, 2));
    stub.on("SetDesiredCapacity", Response.xml(empty("SetDesiredCapacity")));

    assertThatThrownBy(() -> capacity.scaleTo(WEST, 3, Duration.ofMillis(150)))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining(
            "scaling trading-standby-asg in us-east-2 to 3 in service not finished")
        .hasMessageContaining("1 of 3 in service");
  }

  @Test
  void scaleTo_retriesThrottling_thenSucceeds() {
    stub.on("DescribeAutoScalingGroups", group(1, 4, 1, 1, 0), group(1, 4, 2, 2, 0));
    stub.on(
        "SetDesiredCapacity",
        Response.xmlError(400, "Throttling", "Rate exceeded"),
        Response.xml(empty("SetDesiredCapacity")));

    capacity.scaleTo(WEST, 2, Duration.ofSeconds(5));

    assertThat(stub.requests("SetDesiredCapacity")).hasSize(2);
  }

  @Test
  void scaleTo_accessDenied_isARefusalWithItsReason() {
    stub.on("DescribeAutoScalingGroups", group(1, 4, 1, 1, 0));
    stub.on(
        "SetDesiredCapacity",
        Response.xmlError(
            403, "AccessDenied", "not authorized to perform autoscaling:SetDesiredCapacity"));

    assertThatThrownBy(() -> capacity.scaleTo(WEST, 2, Duration.ofSeconds(5)))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("AccessDenied: not authorized");
  }

  @Test
  void inService_countsOnlyHealthyInServiceInstances() {
    stub.on("DescribeAutoScalingGroups", group(1, 4, 4, 2, 2));

    assertThat(capacity.inService(WEST)).isEqualTo(2);
  }

  static Response group(int min, int max, int desired, int inService, int pending) {
    String instances =
        IntStream.range(0, inService + pending)
            .mapToObj(
                i ->
                    "<member><InstanceId>i-"
                        + i
                        + "</InstanceId><LifecycleState>"
                        + (i < inService ? "InService" : "Pending")
                        + "</LifecycleState><HealthStatus>Healthy</HealthStatus><AvailabilityZone>us-east-2a</AvailabilityZone>"
                        + "<ProtectedFromScaleIn>false</ProtectedFromScaleIn></member>")
            .collect(Collectors.joining());
    return Response.xml(
        "<DescribeAutoScalingGroupsResponse xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">"
            + "<DescribeAutoScalingGroupsResult><AutoScalingGroups><member>"
            + "<AutoScalingGroupName>trading-standby-asg</AutoScalingGroupName><MinSize>"
            + min
            + "</MinSize><MaxSize>"
            + max
            + "</MaxSize><DesiredCapacity>"
            + desired
            + "</DesiredCapacity><Instances>"
            + instances
            + "</Instances></member></AutoScalingGroups></DescribeAutoScalingGroupsResult>"
            + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeAutoScalingGroupsResponse>");
  }

  static String empty(String action) {
    return "<"
        + action
        + "Response xmlns=\"http://autoscaling.amazonaws.com/doc/2011-01-01/\">"
        + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></"
        + action
        + "Response>";
  }
}

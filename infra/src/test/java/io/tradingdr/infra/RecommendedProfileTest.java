package io.tradingdr.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradingdr.infra.config.Profile;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** The default profile: the architecture the README recommends. */
class RecommendedProfileTest {
  private final Synth synth = Synth.of(null);

  @Test
  void noProfile_synthesizesTheRecommendedArchitecture() {
    assertThat(synth.stacks.config().profile()).isEqualTo(Profile.RECOMMENDED);
  }

  @Test
  void orders_inAuroraPostgresGlobal_sessionsInAGlobalTable() {
    synth
        .primary()
        .hasResourceProperties(
            "AWS::RDS::DBCluster", Match.objectLike(Map.of("Engine", "aurora-postgresql")));
    synth.primary().resourceCountIs("AWS::RDS::GlobalCluster", 1);
    synth
        .standby()
        .hasResourceProperties(
            "AWS::RDS::DBCluster",
            Match.objectLike(Map.of("GlobalClusterIdentifier", "trading-orders-global-test")));
    synth.primary().resourceCountIs("AWS::DynamoDB::GlobalTable", 1);
  }

  @Test
  void standby_isHot_withTheSameCapacityAsThePrimary() {
    for (Template region : List.of(synth.primary(), synth.standby())) {
      region.hasResourceProperties(
          "AWS::AutoScaling::AutoScalingGroup",
          Match.objectLike(Map.of("MinSize", "3", "DesiredCapacity", "3", "MaxSize", "10")));
    }
  }

  @Test
  void instances_useTheLeaseFence_throughTheControlTable() {
    assertThat(Synth.json(synth.primary(), "AWS::EC2::LaunchTemplate"))
        .contains("TDR_CONTROL_TABLE=trading-control-test")
        .contains("TDR_CONTROL_REGION=us-west-2")
        .doesNotContain("TDR_WRITE_ROLE");
  }

  @Test
  void failoverRecords_orchestratorsInBothRegions_controlTable_alarmsAndDashboard() {
    synth
        .global()
        .hasResourceProperties(
            "AWS::Route53::RecordSet", Match.objectLike(Map.of("Failover", "PRIMARY")));
    synth
        .global()
        .resourcePropertiesCountIs(
            "AWS::Route53::HealthCheck",
            Match.objectLike(
                Map.of("HealthCheckConfig", Match.objectLike(Map.of("Type", "CALCULATED")))),
            2);
    for (Template region : List.of(synth.primary(), synth.standby())) {
      region.hasResourceProperties(
          "AWS::Lambda::Function",
          Match.objectLike(
              Map.of("Handler", "io.tradingdr.aws.lambda.OrchestratorHandler::handleRequest")));
      region.resourceCountIs("AWS::CloudWatch::CompositeAlarm", 2);
    }
    assertThat(synth.stacks.control()).isNotNull();
    synth.primary().resourceCountIs("AWS::CloudWatch::Dashboard", 1);
  }

  @Test
  void regions_areConfigurable_andRoute53AlarmsKeepATopicInUsEast1() {
    Synth moved = Synth.of(null, "primaryRegion", "us-east-2", "standbyRegion", "us-west-2");
    assertThat(moved.stacks.primary().getRegion()).isEqualTo("us-east-2");
    assertThat(moved.stacks.standby().getRegion()).isEqualTo("us-west-2");
    assertThat(moved.stacks.control().getRegion()).isEqualTo("us-east-1");
    assertThat(moved.stacks.global().getRegion()).isEqualTo("us-east-1");
    moved
        .global()
        .hasResourceProperties(
            "AWS::SNS::Topic",
            Match.objectLike(Map.of("TopicName", "trading-route53-alarms-test")));
  }
}

package io.tradingdr.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Profile serverless-alb (document 001): every number of the document. */
class ServerlessAlbProfileTest {
  private final Synth synth = Synth.of("serverless-alb");

  @Test
  void regions_areUsEast1AndUsWest2_withMultiAzPublicSubnetsOnly() {
    assertThat(synth.stacks.primary().getRegion()).isEqualTo("us-east-1");
    assertThat(synth.stacks.standby().getRegion()).isEqualTo("us-west-2");
    assertThat(synth.stacks.control()).isNull();
    for (Template region : List.of(synth.primary(), synth.standby())) {
      region.resourceCountIs("AWS::EC2::Subnet", 2);
      region.resourcePropertiesCountIs(
          "AWS::EC2::Subnet", Match.objectLike(Map.of("MapPublicIpOnLaunch", false)), 2);
      region.resourceCountIs("AWS::EC2::NatGateway", 0);
    }
  }

  @Test
  void names_follow_serviceRegionEnvironmentPurpose() {
    synth
        .primary()
        .hasResourceProperties(
            "AWS::EC2::VPC",
            Match.objectLike(
                Map.of(
                    "Tags",
                    Match.arrayWith(
                        List.of(
                            Map.of("Key", "Name", "Value", "dr-vpc-us-east-1-test-primary"))))));
    synth
        .standby()
        .hasResourceProperties(
            "AWS::ElasticLoadBalancingV2::LoadBalancer",
            Match.objectLike(Map.of("Name", "dr-alb-usw2-test-secondary")));
    synth
        .standby()
        .hasResourceProperties(
            "AWS::Lambda::Function",
            Match.objectLike(Map.of("FunctionName", "dr-function-us-west-2-test-secondary")));
  }

  @Test
  void lambda_behindTheAlb_reserved100_512Mb_java21_snapStartOnThePublishedAlias() {
    for (Template region : List.of(synth.primary(), synth.standby())) {
      region.hasResourceProperties(
          "AWS::Lambda::Function",
          Match.objectLike(
              Map.of(
                  "Handler",
                  "io.tradingdr.lambda.AlbHandler::handleRequest",
                  "Runtime",
                  "java21",
                  "MemorySize",
                  512,
                  "ReservedConcurrentExecutions",
                  100,
                  "SnapStart",
                  Map.of("ApplyOn", "PublishedVersions"))));
      region.hasResourceProperties("AWS::Lambda::Alias", Match.objectLike(Map.of("Name", "live")));
      region.hasResourceProperties(
          "AWS::ElasticLoadBalancingV2::TargetGroup",
          Match.objectLike(Map.of("TargetType", "lambda")));
    }
  }

  @Test
  void albSecurityGroup_allowsOnlyHttpAndHttps() {
    synth
        .primary()
        .hasResourceProperties(
            "AWS::EC2::SecurityGroup",
            Match.objectLike(
                Map.of(
                    "GroupDescription",
                    "ALB dr-alb-use1-test-primary: HTTP and HTTPS from clients",
                    "SecurityGroupIngress",
                    List.of(
                        Match.objectLike(Map.of("FromPort", 443, "ToPort", 443)),
                        Match.objectLike(Map.of("FromPort", 80, "ToPort", 80))))));
  }

  @Test
  void routing_failoverRecords_healthCheckEvery30sFailingAfter3_alarmNotifiesSns() {
    Template global = synth.global();
    global.hasResourceProperties(
        "AWS::Route53::RecordSet", Match.objectLike(Map.of("Failover", "PRIMARY")));
    global.hasResourceProperties(
        "AWS::Route53::RecordSet", Match.objectLike(Map.of("Failover", "SECONDARY")));
    global.hasResourceProperties(
        "AWS::Route53::HealthCheck",
        Match.objectLike(
            Map.of(
                "HealthCheckConfig",
                Match.objectLike(
                    Map.of(
                        "FullyQualifiedDomainName", "primary.trading-test.example.com",
                        "RequestInterval", 30,
                        "FailureThreshold", 3)))));
    global.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "MetricName",
                "HealthCheckStatus",
                "AlarmActions",
                List.of("arn:aws:sns:us-east-1:111111111111:dr-failover-us-east-1-test-primary"))));
  }

  @Test
  void data_transactionsGlobalTableWithPitr_andDocumentsReplicatedWithRtc_versioned() {
    synth
        .primary()
        .hasResourceProperties(
            "AWS::DynamoDB::GlobalTable",
            Match.objectLike(
                Map.of(
                    "TableName",
                    "dr-dynamodb-us-east-1-test-transactions",
                    "Replicas",
                    Match.arrayWith(
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "Region",
                                    "us-west-2",
                                    "PointInTimeRecoverySpecification",
                                    Map.of("PointInTimeRecoveryEnabled", true))))))));
    synth
        .primary()
        .hasResourceProperties(
            "AWS::S3::Bucket",
            Match.objectLike(
                Map.of(
                    "BucketName", "dr-s3-us-east-1-test-documents-111111111111",
                    "VersioningConfiguration", Map.of("Status", "Enabled"),
                    "ReplicationConfiguration", Match.anyValue())));
    assertThat(Synth.json(synth.primary(), "AWS::S3::Bucket"))
        .contains("ReplicationTime={Status=Enabled, Time={Minutes=15}}")
        .contains("dr-s3-us-west-2-test-documents-111111111111");
  }

  @Test
  void endpoints_areStringParameters_perRegion() {
    synth
        .standby()
        .hasResourceProperties(
            "AWS::SSM::Parameter",
            Match.objectLike(
                Map.of(
                    "Name", "/dr-endpoints-us-west-2-test-secondary/url",
                    "Type", "String",
                    "Value", "https://standby.trading-test.example.com")));
    assertThat(Synth.json(synth.primary(), "AWS::SSM::Parameter")).doesNotContain("SecureString");
  }

  @Test
  void snsTopics_inBothRegions() {
    synth
        .primary()
        .hasResourceProperties(
            "AWS::SNS::Topic",
            Match.objectLike(Map.of("TopicName", "dr-failover-us-east-1-test-primary")));
    synth
        .base()
        .hasResourceProperties(
            "AWS::SNS::Topic",
            Match.objectLike(Map.of("TopicName", "dr-failover-us-west-2-test-secondary")));
  }
}

package io.tradingdr.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Profile active-passive (document 004): every number of the document, plus the orchestrator. */
class ActivePassiveProfileTest {
  private final Synth synth = Synth.of("active-passive");

  @Test
  void network_hasThreeAzs_natPerAz_andCrossRegionPeeringWithRoutes() {
    for (Template region : List.of(synth.primary(), synth.standby())) {
      region.resourceCountIs("AWS::EC2::Subnet", 6);
      region.resourceCountIs("AWS::EC2::NatGateway", 3);
    }
    synth
        .standby()
        .hasResourceProperties(
            "AWS::EC2::VPCPeeringConnection", Match.objectLike(Map.of("PeerRegion", "us-east-1")));
    synth
        .standby()
        .hasResourceProperties(
            "AWS::EC2::Route",
            Match.objectLike(
                Map.of(
                    "DestinationCidrBlock",
                    "10.0.0.0/16",
                    "VpcPeeringConnectionId",
                    Match.anyValue())));
    Template routes = synth.template(synth.stacks.peeringRoutes());
    routes.resourcePropertiesCountIs(
        "AWS::EC2::Route", Match.objectLike(Map.of("DestinationCidrBlock", "10.1.0.0/16")), 6);
    assertThat(synth.stacks.peeringRoutes().getRegion()).isEqualTo("us-east-1");
  }

  @Test
  void aurora_isAGlobalMysql80Cluster_twoR6gLarge_7DayBackups_kms_logsExported() {
    Template primary = synth.primary();
    primary.hasResourceProperties(
        "AWS::RDS::DBCluster",
        Match.objectLike(
            Map.of(
                "Engine",
                "aurora-mysql",
                "EngineVersion",
                Match.stringLikeRegexp("^8\\.0\\.mysql_aurora\\.3\\..*"),
                "BackupRetentionPeriod",
                7,
                "StorageEncrypted",
                true,
                "KmsKeyId",
                Match.anyValue(),
                "EnableCloudwatchLogsExports",
                List.of("audit", "error", "general", "slowquery"),
                "DBClusterIdentifier",
                "trading-orders-test-primary")));
    primary.resourcePropertiesCountIs(
        "AWS::RDS::DBInstance", Match.objectLike(Map.of("DBInstanceClass", "db.r6g.large")), 2);
    primary.hasResourceProperties(
        "AWS::RDS::GlobalCluster",
        Match.objectLike(Map.of("GlobalClusterIdentifier", "trading-orders-global-test")));
    synth
        .standby()
        .hasResourceProperties(
            "AWS::RDS::DBCluster",
            Match.objectLike(
                Map.of(
                    "GlobalClusterIdentifier", "trading-orders-global-test",
                    "MasterUsername", Match.absent(),
                    "MasterUserPassword", Match.absent(),
                    "StorageEncrypted", true,
                    "KmsKeyId", Match.anyValue())));
    primary.hasResourceProperties(
        "AWS::SecretsManager::RotationSchedule",
        Match.objectLike(
            Map.of(
                "RotationRules", Match.objectLike(Map.of("ScheduleExpression", "rate(30 days)")))));
  }

  @Test
  void compute_isT3Large_3To10_inBothRegions_imdsv2_albChecksEvery10s() {
    for (Template region : List.of(synth.primary(), synth.standby())) {
      region.hasResourceProperties(
          "AWS::AutoScaling::AutoScalingGroup",
          Match.objectLike(Map.of("MinSize", "3", "MaxSize", "10")));
      region.hasResourceProperties(
          "AWS::EC2::LaunchTemplate",
          Match.objectLike(
              Map.of(
                  "LaunchTemplateData",
                  Match.objectLike(
                      Map.of(
                          "InstanceType",
                          "t3.large",
                          "MetadataOptions",
                          Match.objectLike(Map.of("HttpTokens", "required")))))));
      region.hasResourceProperties(
          "AWS::ElasticLoadBalancingV2::TargetGroup",
          Match.objectLike(Map.of("HealthCheckIntervalSeconds", 10, "HealthCheckPath", "/health")));
    }
  }

  @Test
  void
      data_sessionsWithPitr_andLogAndAuditBucketsReplicatedWithRtc_versioned_archivedAfter90Days() {
    synth
        .primary()
        .hasResourceProperties(
            "AWS::DynamoDB::GlobalTable",
            Match.objectLike(
                Map.of(
                    "Replicas",
                    Match.arrayWith(
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "Region",
                                    "us-east-2",
                                    "PointInTimeRecoverySpecification",
                                    Map.of("PointInTimeRecoveryEnabled", true))))))));
    for (String purpose : List.of("app-logs", "audit")) {
      String source = "trading-" + purpose + "-test-111111111111-us-east-1";
      String replica = "trading-" + purpose + "-test-111111111111-us-east-2";
      Object rtc = Map.of("Status", "Enabled", "Time", Map.of("Minutes", 15));
      Object rule =
          Match.objectLike(
              Map.of(
                  "Destination",
                  Match.objectLike(
                      Map.of(
                          "ReplicationTime",
                          rtc,
                          "Metrics",
                          Map.of("Status", "Enabled", "EventThreshold", Map.of("Minutes", 15))))));
      Object archive =
          Match.objectLike(
              Map.of(
                  "Transitions",
                  List.of(Map.of("StorageClass", "GLACIER", "TransitionInDays", 90))));
      synth
          .primary()
          .hasResourceProperties(
              "AWS::S3::Bucket",
              Match.objectLike(
                  Map.of(
                      "BucketName", source,
                      "VersioningConfiguration", Map.of("Status", "Enabled"),
                      "ReplicationConfiguration", Match.objectLike(Map.of("Rules", List.of(rule))),
                      "LifecycleConfiguration",
                          Match.objectLike(Map.of("Rules", Match.arrayWith(List.of(archive)))))));
      assertThat(Synth.json(synth.primary(), "AWS::S3::Bucket")).contains(":s3:::" + replica);
      synth
          .base()
          .hasResourceProperties(
              "AWS::S3::Bucket",
              Match.objectLike(
                  Map.of(
                      "BucketName",
                      replica,
                      "VersioningConfiguration",
                      Map.of("Status", "Enabled"))));
    }
  }

  @Test
  void routing_failoverRecords_bothAlbsChecked10sBy3_ttl60_primaryCombinesTheSwitchAlarm() {
    Template global = synth.global();
    global.hasResourceProperties(
        "AWS::Route53::RecordSet",
        Match.objectLike(Map.of("Failover", "PRIMARY", "TTL", "60", "Type", "CNAME")));
    global.hasResourceProperties(
        "AWS::Route53::RecordSet", Match.objectLike(Map.of("Failover", "SECONDARY", "TTL", "60")));
    for (String host : List.of("primary", "standby")) {
      global.hasResourceProperties(
          "AWS::Route53::HealthCheck",
          Match.objectLike(
              Map.of(
                  "HealthCheckConfig",
                  Match.objectLike(
                      Map.of(
                          "FullyQualifiedDomainName", host + ".trading-test.example.com",
                          "RequestInterval", 10,
                          "FailureThreshold", 3)))));
    }
    global.hasResourceProperties(
        "AWS::Route53::HealthCheck",
        Match.objectLike(
            Map.of(
                "HealthCheckConfig",
                Match.objectLike(
                    Map.of(
                        "Type",
                        "CLOUDWATCH_METRIC",
                        "AlarmIdentifier",
                        Map.of("Name", "trading-drain-primary-test", "Region", "us-east-2"))))));
    global.resourcePropertiesCountIs(
        "AWS::Route53::HealthCheck",
        Match.objectLike(
            Map.of("HealthCheckConfig", Match.objectLike(Map.of("Type", "CALCULATED")))),
        2);
  }

  @Test
  void failoverLambdas_orchestratorAndHealthMonitor_timeout300_inBothRegions() {
    for (Template region : List.of(synth.primary(), synth.standby())) {
      region.hasResourceProperties(
          "AWS::Lambda::Function",
          Match.objectLike(
              Map.of(
                  "Handler",
                  "io.tradingdr.aws.lambda.OrchestratorHandler::handleRequest",
                  "Runtime",
                  "java21",
                  "Timeout",
                  300,
                  "ReservedConcurrentExecutions",
                  1)));
      region.hasResourceProperties(
          "AWS::Lambda::Function",
          Match.objectLike(
              Map.of("Handler", "io.tradingdr.aws.lambda.HealthMonitorHandler::handleRequest")));
    }
    synth
        .standby()
        .hasResourceProperties(
            "AWS::Lambda::Function",
            Match.objectLike(
                Map.of(
                    "FunctionName",
                    "trading-orchestrator-test-standby",
                    "Environment",
                    Match.objectLike(
                        Map.of(
                            "Variables",
                            Match.objectLike(
                                Map.of(
                                    "TDR_CONTROL_TABLE", "trading-control-test",
                                    "TDR_CONTROL_REGION", "us-west-2",
                                    "TDR_GLOBAL_CLUSTER_ID", "trading-orders-global-test",
                                    "TDR_RECORD_NAME", "app.trading-test.example.com",
                                    "TDR_RECORD_TYPE", "CNAME",
                                    "TDR_ROUTING_POLICY", "FAILOVER",
                                    "TDR_LOCAL_REGION", "us-east-2")))))));
    String variables = Synth.json(synth.standby(), "AWS::Lambda::Function");
    assertThat(variables)
        .contains(
            "TDR_PRIMARY_DB_CLUSTER_ARN=arn:aws:rds:us-east-1:111111111111:cluster:"
                + "trading-orders-test-primary")
        .contains("TDR_DRAIN_ALARM_PRIMARY=trading-drain-primary-test")
        .contains("TDR_DRAIN_NAMESPACE=TradingDR/Routing")
        .contains("TDR_PRIMARY_SET_ID=primary")
        .contains(
            "TDR_MONITOR_TARGETS=us-east-1=https://primary.trading-test.example.com,"
                + "us-east-2=https://standby.trading-test.example.com")
        .contains("TDR_TRIGGER_ALARMS=trading-peer-down-test-standby,trading-impaired-test-primary")
        .contains("TDR_HEALTH_ALARM_PRIMARY=trading-unhealthy-primary-test-standby")
        .contains("TDR_MONITOR_OBSERVER=monitor-us-east-2");
  }

  @Test
  void orchestratorPolicy_namesTheExactClusterRecordsGroupsTopicsAndTable() {
    String policies = Synth.json(synth.standby(), "AWS::IAM::ManagedPolicy");
    assertThat(policies)
        .contains("arn:aws:rds::111111111111:global-cluster:trading-orders-global-test")
        .contains("arn:aws:rds:us-east-2:111111111111:cluster:trading-orders-test-standby")
        .contains(
            "route53:ChangeResourceRecordSetsNormalizedRecordNames=[app.trading-test.example.com]")
        .contains("autoScalingGroupName/trading-asg-test-primary")
        .contains("arn:aws:sns:us-east-1:111111111111:trading-failover-test-primary")
        .contains("arn:aws:dynamodb:us-west-2:111111111111:table/trading-control-test")
        .contains("arn:aws:cloudwatch:us-east-2:111111111111:alarm:trading-drain-primary-test")
        .contains("cloudwatch:namespace=[TradingDR/Routing, TradingDR/Orchestrator]")
        .doesNotContain("Action=*");
  }

  @Test
  void iam_deniesUnusedRegionsExplicitly() {
    synth
        .standby()
        .hasResourceProperties(
            "AWS::IAM::ManagedPolicy",
            Match.objectLike(
                Map.of(
                    "PolicyDocument",
                    Match.objectLike(
                        Map.of(
                            "Statement",
                            Match.arrayWith(
                                List.of(
                                    Match.objectLike(
                                        Map.of(
                                            "Effect",
                                            "Deny",
                                            "Condition",
                                            Map.of(
                                                "StringNotEquals",
                                                Map.of(
                                                    "aws:RequestedRegion",
                                                    List.of(
                                                        "us-east-1",
                                                        "us-east-2",
                                                        "us-west-2"))))))))))));
  }

  @Test
  void
      alarms_replicationLagAbove1s_unhealthyTargets_lambdaErrorsAbove1Percent_connections_allNotifySns() {
    Template standby = synth.standby();
    standby.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "MetricName",
                "AuroraGlobalDBReplicationLag",
                "Threshold",
                1000,
                "ComparisonOperator",
                "GreaterThanThreshold",
                "AlarmActions",
                Match.anyValue())));
    standby.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(Map.of("MetricName", "UnHealthyHostCount", "Threshold", 0)));
    standby.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(Map.of("MetricName", "DatabaseConnections", "Threshold", 800)));
    standby.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "Threshold",
                1,
                "Metrics",
                Match.arrayWith(
                    List.of(
                        Match.objectLike(
                            Map.of("Expression", "100 * errors / MAX([invocations, 1])")))))));
    for (Template region : List.of(synth.primary(), standby, synth.global())) {
      for (Object alarm : region.findResources("AWS::CloudWatch::Alarm").values()) {
        assertThat(alarm.toString()).contains("AlarmActions");
      }
    }
    String impaired =
        synth.primary().findResources("AWS::CloudWatch::CompositeAlarm").values().stream()
            .map(Object::toString)
            .filter(a -> a.contains("trading-impaired-test-primary"))
            .findFirst()
            .orElseThrow();
    assertThat(impaired)
        .contains("AlarmsUnhealthyTargets")
        .contains("AlarmsWriterUnavailable")
        .contains("AlarmsDbConnections")
        .as("orchestrator and health monitor errors notify but never mark the region impaired")
        .doesNotContain("AlarmsLambdaErrors");
    synth.primary().resourceCountIs("AWS::CloudWatch::Dashboard", 1);
    assertThat(Synth.json(synth.primary(), "AWS::CloudWatch::Dashboard"))
        .contains("us-east-1")
        .contains("us-east-2");
  }

  @Test
  void controlTable_livesInTheThirdRegion_pkSk_onDemand_pitr_kms_notReplicated() {
    assertThat(synth.stacks.control().getRegion()).isEqualTo("us-west-2");
    synth
        .control()
        .hasResourceProperties(
            "AWS::DynamoDB::GlobalTable",
            Match.objectLike(
                Map.of(
                    "TableName", "trading-control-test",
                    "BillingMode", "PAY_PER_REQUEST",
                    "KeySchema",
                        List.of(
                            Map.of("AttributeName", "pk", "KeyType", "HASH"),
                            Map.of("AttributeName", "sk", "KeyType", "RANGE")),
                    "SSESpecification", Match.objectLike(Map.of("SSEType", "KMS")),
                    "Replicas",
                        List.of(
                            Match.objectLike(
                                Map.of(
                                    "Region",
                                    "us-west-2",
                                    "PointInTimeRecoverySpecification",
                                    Map.of("PointInTimeRecoveryEnabled", true)))))));
  }

  @Test
  void keys_rotate_andEveryBucketBlocksPublicAccessAndRequiresTls() {
    for (Template t : List.of(synth.primary(), synth.base(), synth.control())) {
      for (Object key : t.findResources("AWS::KMS::Key").values()) {
        assertThat(key.toString()).contains("EnableKeyRotation=true");
      }
    }
    for (Template t : List.of(synth.primary(), synth.base())) {
      for (Object bucket : t.findResources("AWS::S3::Bucket").values()) {
        assertThat(bucket.toString()).contains("BlockPublicAcls=true");
      }
      assertThat(Synth.json(t, "AWS::S3::BucketPolicy")).contains("aws:SecureTransport=false");
    }
  }
}

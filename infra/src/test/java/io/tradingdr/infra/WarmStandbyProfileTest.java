package io.tradingdr.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Profile warm-standby (documents 000 + 002): every number of the documents. */
class WarmStandbyProfileTest {
  private final Synth synth = Synth.of("warm-standby");

  @Test
  void stacks_useThePrimaryAndStandbyRegionsOfTheDocuments() {
    assertThat(synth.stacks.primary().getRegion()).isEqualTo("us-east-1");
    assertThat(synth.stacks.standby().getRegion()).isEqualTo("us-east-2");
    assertThat(synth.stacks.standbyBase().getRegion()).isEqualTo("us-east-2");
    assertThat(synth.stacks.global().getRegion()).isEqualTo("us-east-1");
    assertThat(synth.stacks.control()).isNull();
  }

  @Test
  void vpcs_haveTheDocumentedCidrs_twoAzs_andNoNat() {
    assertNetwork(synth.primary(), "10.0");
    assertNetwork(synth.standby(), "10.1");
  }

  private static void assertNetwork(Template template, String prefix) {
    template.hasResourceProperties(
        "AWS::EC2::VPC", Match.objectLike(Map.of("CidrBlock", prefix + ".0.0/16")));
    template.resourceCountIs("AWS::EC2::Subnet", 4);
    for (String cidr :
        List.of(prefix + ".1.0/24", prefix + ".2.0/24", prefix + ".11.0/24", prefix + ".12.0/24")) {
      template.hasResourceProperties(
          "AWS::EC2::Subnet", Match.objectLike(Map.of("CidrBlock", cidr)));
    }
    template.resourceCountIs("AWS::EC2::NatGateway", 0);
    template.resourceCountIs("AWS::EC2::FlowLog", 1);
    String endpoints = Synth.json(template, "AWS::EC2::VPCEndpoint");
    assertThat(endpoints).contains(".s3").contains(".dynamodb");
  }

  @Test
  void autoScaling_runsT3Medium_twoInThePrimary_oneInTheStandby_scalingOnCpu() {
    assertFleet(synth.primary(), "2", "trading-asg-test-primary");
    assertFleet(synth.standby(), "1", "trading-asg-test-standby");
  }

  private static void assertFleet(Template template, String desired, String name) {
    template.hasResourceProperties(
        "AWS::AutoScaling::AutoScalingGroup",
        Match.objectLike(
            Map.of(
                "AutoScalingGroupName", name,
                "DesiredCapacity", desired,
                "MinSize", desired,
                "HealthCheckType", "ELB")));
    template.hasResourceProperties(
        "AWS::EC2::LaunchTemplate",
        Match.objectLike(
            Map.of(
                "LaunchTemplateData",
                Match.objectLike(
                    Map.of(
                        "InstanceType",
                        "t3.medium",
                        "MetadataOptions",
                        Match.objectLike(Map.of("HttpTokens", "required")))))));
    template.hasResourceProperties(
        "AWS::AutoScaling::ScalingPolicy",
        Match.objectLike(
            Map.of(
                "PolicyType",
                "TargetTrackingScaling",
                "TargetTrackingConfiguration",
                Match.objectLike(
                    Map.of(
                        "PredefinedMetricSpecification",
                        Map.of("PredefinedMetricType", "ASGAverageCPUUtilization"))))));
  }

  @Test
  void instances_runTheServiceJar_underSystemd_withTheTdrVariables() {
    String userData = Synth.json(synth.standby(), "AWS::EC2::LaunchTemplate");
    assertThat(userData)
        .contains("dnf install -y java-21-amazon-corretto-headless")
        .contains("/opt/trading/trading-service.jar")
        .contains("ExecStart=/usr/bin/java -jar /opt/trading/trading-service.jar")
        .contains("EnvironmentFile=/etc/trading-dr/service.env")
        .contains("TDR_REGION=us-east-2")
        .contains("TDR_SESSIONS_TABLE=trading-sessions-test")
        .contains("TDR_WRITE_ROLE=STANDBY")
        .contains("systemctl enable --now trading-service");
  }

  @Test
  void alb_terminatesTls_redirectsHttp_andChecksHealth() {
    Template primary = synth.primary();
    primary.hasResourceProperties(
        "AWS::ElasticLoadBalancingV2::Listener",
        Match.objectLike(Map.of("Port", 443, "Protocol", "HTTPS")));
    primary.hasResourceProperties(
        "AWS::ElasticLoadBalancingV2::Listener",
        Match.objectLike(
            Map.of(
                "Port",
                80,
                "DefaultActions",
                List.of(
                    Match.objectLike(
                        Map.of(
                            "Type",
                            "redirect",
                            "RedirectConfig",
                            Match.objectLike(
                                Map.of(
                                    "Protocol",
                                    "HTTPS",
                                    "Port",
                                    "443",
                                    "StatusCode",
                                    "HTTP_301"))))))));
    primary.hasResourceProperties(
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        Match.objectLike(
            Map.of(
                "HealthCheckPath", "/health",
                "HealthCheckIntervalSeconds", 10,
                "Port", 8080)));
    primary.hasResourceProperties(
        "AWS::CertificateManager::Certificate",
        Match.objectLike(
            Map.of(
                "DomainName", "app.trading-test.example.com",
                "ValidationMethod", "DNS")));
    assertThat(Synth.json(primary, "AWS::ElasticLoadBalancingV2::LoadBalancer"))
        .contains("access_logs.s3.enabled")
        .contains("routing.http.drop_invalid_header_fields.enabled");
  }

  @Test
  void routing_isWeighted100To0_withA10SecondBy3HealthCheck_andAnAlarmOf3Periods() {
    Template global = synth.global();
    global.hasResourceProperties(
        "AWS::Route53::RecordSet",
        Match.objectLike(
            Map.of(
                "Name", "app.trading-test.example.com",
                "Type", "CNAME",
                "SetIdentifier", "primary",
                "Weight", 100,
                "ResourceRecords", List.of("primary.trading-test.example.com"))));
    global.hasResourceProperties(
        "AWS::Route53::RecordSet",
        Match.objectLike(Map.of("SetIdentifier", "standby", "Weight", 0)));
    global.hasResourceProperties(
        "AWS::Route53::HealthCheck",
        Match.objectLike(
            Map.of(
                "HealthCheckConfig",
                Match.objectLike(
                    Map.of(
                        "Type", "HTTPS",
                        "FullyQualifiedDomainName", "primary.trading-test.example.com",
                        "ResourcePath", "/health/ready",
                        "RequestInterval", 10,
                        "FailureThreshold", 3)))));
    global.resourceCountIs("AWS::Route53::HealthCheck", 1);
    global.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(
            Map.of(
                "MetricName",
                "HealthCheckStatus",
                "Namespace",
                "AWS/Route53",
                "EvaluationPeriods",
                3,
                "AlarmActions",
                List.of("arn:aws:sns:us-east-1:111111111111:trading-failover-test-primary"))));
  }

  @Test
  void sessions_areAGlobalTable_keyedBySessionId_onDemand_encrypted_replicatedToTheStandby() {
    synth
        .primary()
        .hasResourceProperties(
            "AWS::DynamoDB::GlobalTable",
            Match.objectLike(
                Map.of(
                    "TableName", "trading-sessions-test",
                    "BillingMode", "PAY_PER_REQUEST",
                    "KeySchema", List.of(Map.of("AttributeName", "sessionId", "KeyType", "HASH")),
                    "AttributeDefinitions",
                        List.of(Map.of("AttributeName", "sessionId", "AttributeType", "S")),
                    "SSESpecification",
                        Match.objectLike(Map.of("SSEEnabled", true, "SSEType", "KMS")),
                    "Replicas",
                        Match.arrayWith(
                            List.of(Match.objectLike(Map.of("Region", "us-east-2")))))));
  }

  @Test
  void eachRegion_hasAnEncryptedSnsTopic() {
    synth
        .primary()
        .hasResourceProperties(
            "AWS::SNS::Topic",
            Match.objectLike(
                Map.of(
                    "TopicName",
                    "trading-failover-test-primary",
                    "KmsMasterKeyId",
                    Match.anyValue())));
    synth
        .base()
        .hasResourceProperties(
            "AWS::SNS::Topic",
            Match.objectLike(
                Map.of(
                    "TopicName",
                    "trading-failover-test-standby",
                    "KmsMasterKeyId",
                    Match.anyValue())));
  }

  @Test
  void outputs_keepTheDocumentsNames() {
    for (String name :
        List.of(
            "primaryVpcId",
            "primaryAlbDns",
            "primaryAsgName",
            "primaryTargetGroupArn",
            "dynamoTableName",
            "hostedZoneId",
            "hostedZoneNameServers",
            "primarySnsTopicArn")) {
      synth.primary().hasOutput(name, Match.anyValue());
    }
    for (String name : List.of("standbyVpcId", "standbyAlbDns", "standbyAsgName")) {
      synth.standby().hasOutput(name, Match.anyValue());
    }
    synth.base().hasOutput("standbySnsTopicArn", Match.anyValue());
    synth.global().hasOutput("primaryHealthCheckId", Match.anyValue());
    synth
        .global()
        .hasOutput(
            "applicationUrl",
            Match.objectLike(Map.of("Value", "https://app.trading-test.example.com")));
  }

  @Test
  void failoverSwitch_whenEnabled_addsTheCalculatedCheck_theOrchestratorAndTheControlTable() {
    Synth on = Synth.of("warm-standby", "failoverSwitch", "true");
    on.global()
        .hasResourceProperties(
            "AWS::Route53::HealthCheck",
            Match.objectLike(
                Map.of(
                    "HealthCheckConfig",
                    Match.objectLike(
                        Map.of(
                            "Type",
                            "CLOUDWATCH_METRIC",
                            "AlarmIdentifier",
                            Map.of(
                                "Name", "trading-drain-primary-test",
                                "Region", "us-east-2"))))));
    on.global()
        .hasResourceProperties(
            "AWS::Route53::HealthCheck",
            Match.objectLike(
                Map.of(
                    "HealthCheckConfig",
                    Match.objectLike(Map.of("Type", "CALCULATED", "HealthThreshold", 2)))));
    on.base()
        .hasResourceProperties(
            "AWS::CloudWatch::Alarm",
            Match.objectLike(
                Map.of(
                    "AlarmName", "trading-drain-primary-test",
                    "Namespace", "TradingDR/Routing",
                    "MetricName", "RegionDrained",
                    "Period", 60,
                    "TreatMissingData", "ignore")));
    assertThat(on.stacks.control()).isNotNull();
    on.standby()
        .hasResourceProperties(
            "AWS::Lambda::Function",
            Match.objectLike(
                Map.of(
                    "Handler",
                    "io.tradingdr.aws.lambda.OrchestratorHandler::handleRequest",
                    "Timeout",
                    300)));
  }
}

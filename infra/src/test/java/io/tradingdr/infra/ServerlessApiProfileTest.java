package io.tradingdr.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/** Profile serverless-api (document 003): every number of the document. */
class ServerlessApiProfileTest {
  private final Synth synth = Synth.of("serverless-api");

  @Test
  void regions_areUsEast1AndUsEast2() {
    assertThat(synth.stacks.primary().getRegion()).isEqualTo("us-east-1");
    assertThat(synth.stacks.standby().getRegion()).isEqualTo("us-east-2");
  }

  @Test
  void routing_checksThePrimaryApiEvery30s_withPrimaryAndSecondaryRecords() {
    Template global = synth.global();
    global.hasResourceProperties(
        "AWS::Route53::HealthCheck",
        Match.objectLike(
            Map.of(
                "HealthCheckConfig",
                Match.objectLike(
                    Map.of(
                        "Type", "HTTPS",
                        "FullyQualifiedDomainName", "primary.trading-test.example.com",
                        "RequestInterval", 30)))));
    global.hasResourceProperties(
        "AWS::Route53::RecordSet", Match.objectLike(Map.of("Failover", "PRIMARY")));
    global.hasResourceProperties(
        "AWS::Route53::RecordSet", Match.objectLike(Map.of("Failover", "SECONDARY")));
  }

  @Test
  void aurora_isGlobalPostgres154_kms_performanceInsights_secretsManager_restrictedGroups() {
    Template primary = synth.primary();
    primary.hasResourceProperties(
        "AWS::RDS::DBCluster",
        Match.objectLike(
            Map.of(
                "Engine",
                "aurora-postgresql",
                "EngineVersion",
                "15.4",
                "StorageEncrypted",
                true,
                "KmsKeyId",
                Match.anyValue(),
                "MasterUserPassword",
                Match.anyValue())));
    primary.hasResourceProperties(
        "AWS::RDS::DBInstance",
        Match.objectLike(
            Map.of(
                "EnablePerformanceInsights", true,
                "PerformanceInsightsKMSKeyId", Match.anyValue(),
                "PubliclyAccessible", false)));
    primary.hasResourceProperties(
        "AWS::SecretsManager::Secret",
        Match.objectLike(
            Map.of(
                "Name",
                "trading-db-credentials-test",
                "ReplicaRegions",
                List.of(Match.objectLike(Map.of("Region", "us-east-2"))))));
    synth
        .standby()
        .hasResourceProperties(
            "AWS::RDS::DBCluster",
            Match.objectLike(Map.of("GlobalClusterIdentifier", "trading-orders-global-test")));
    primary.hasResourceProperties(
        "AWS::EC2::SecurityGroup",
        Match.objectLike(
            Map.of(
                "GroupDescription",
                "Aurora trading-orders-test-primary: database port from the VPCs",
                "SecurityGroupIngress",
                List.of(
                    Match.objectLike(
                        Map.of("CidrIp", "10.0.0.0/16", "FromPort", 5433, "ToPort", 5433))))));
  }

  @Test
  void lambdas_processOrdersFromSqs_inBothRegions_withReservedConcurrency() {
    for (Template region : List.of(synth.primary(), synth.standby())) {
      region.hasResourceProperties(
          "AWS::Lambda::Function",
          Match.objectLike(
              Map.of(
                  "Handler",
                  "io.tradingdr.lambda.SqsOrderHandler::handleRequest",
                  "ReservedConcurrentExecutions",
                  100,
                  "VpcConfig",
                  Match.anyValue())));
      region.hasResourceProperties(
          "AWS::Lambda::EventSourceMapping", Match.objectLike(Map.of("BatchSize", 10)));
      region.hasResourceProperties(
          "AWS::Lambda::Function",
          Match.objectLike(
              Map.of("Handler", "io.tradingdr.lambda.ApiGatewayHandler::handleRequest")));
    }
  }

  @Test
  void sessions_payPerRequest_pitr_streams() {
    synth
        .primary()
        .hasResourceProperties(
            "AWS::DynamoDB::GlobalTable",
            Match.objectLike(
                Map.of(
                    "BillingMode",
                    "PAY_PER_REQUEST",
                    "StreamSpecification",
                    Map.of("StreamViewType", "NEW_AND_OLD_IMAGES"))));
  }

  @Test
  void documents_replicateWithRtc_versionedAndEncryptedOnBothSides() {
    String primary = Synth.json(synth.primary(), "AWS::S3::Bucket");
    assertThat(primary)
        .contains("trading-documents-test-111111111111-us-east-1")
        .contains("ReplicationTime={Status=Enabled, Time={Minutes=15}}")
        .contains("SSEAlgorithm=aws:kms");
    synth
        .base()
        .hasResourceProperties(
            "AWS::S3::Bucket",
            Match.objectLike(
                Map.of(
                    "BucketName",
                    "trading-documents-test-111111111111-us-east-2",
                    "VersioningConfiguration",
                    Map.of("Status", "Enabled"))));
  }

  @Test
  void api_isRegionalRest_withProxyIntegrationsForHealthAndOrders() {
    Template primary = synth.primary();
    primary.hasResourceProperties(
        "AWS::ApiGateway::RestApi",
        Match.objectLike(Map.of("EndpointConfiguration", Map.of("Types", List.of("REGIONAL")))));
    for (String part : List.of("health", "ready", "orders", "{id}")) {
      primary.hasResourceProperties(
          "AWS::ApiGateway::Resource", Match.objectLike(Map.of("PathPart", part)));
    }
    primary.hasResourceProperties(
        "AWS::ApiGateway::Method",
        Match.objectLike(
            Map.of(
                "HttpMethod", "POST",
                "AuthorizationType", "AWS_IAM",
                "Integration", Match.objectLike(Map.of("Type", "AWS_PROXY")))));
  }

  @Test
  void
      compositeAlarm_combinesWriterAvailabilityLambdaErrorsAndApi5xx_notifiesSns_triggersOrchestrator() {
    Template primary = synth.primary();
    primary.hasResourceProperties(
        "AWS::CloudWatch::CompositeAlarm",
        Match.objectLike(
            Map.of(
                "AlarmName", "trading-impaired-test-primary", "AlarmActions", Match.anyValue())));
    String rule = Synth.json(primary, "AWS::CloudWatch::CompositeAlarm");
    assertThat(rule)
        .contains("AlarmsWriterUnavailable")
        .contains("AlarmsLambdaErrors")
        .contains("AlarmsApi5xx");
    primary.hasResourceProperties(
        "AWS::CloudWatch::Alarm",
        Match.objectLike(Map.of("AlarmName", "trading-alarm-test-primary-writer-unavailable")));
    synth
        .standby()
        .hasResourceProperties(
            "AWS::Events::Rule",
            Match.objectLike(
                Map.of(
                    "EventPattern",
                    Match.objectLike(
                        Map.of(
                            "detail",
                            Match.objectLike(
                                Map.of(
                                    "alarmName",
                                    List.of(
                                        "trading-peer-down-test-standby",
                                        "trading-impaired-test-primary"))))))));
    primary.hasResourceProperties(
        "AWS::Events::Rule",
        Match.objectLike(
            Map.of(
                "Name",
                "trading-impaired-test-primary-to-peer",
                "Targets",
                List.of(
                    Match.objectLike(
                        Map.of(
                            "Arn", "arn:aws:events:us-east-2:111111111111:event-bus/default"))))));
    synth.standby().hasOutput("standbyFailoverFunctionArn", Match.anyValue());
  }

  @Test
  void snsTopicPolicy_letsCloudWatchEventBridgeAndLambdaPublish() {
    assertThat(Synth.json(synth.primary(), "AWS::SNS::TopicPolicy"))
        .contains("cloudwatch.amazonaws.com")
        .contains("events.amazonaws.com")
        .contains("lambda.amazonaws.com");
  }

  @Test
  void canaries_every5Minutes_onHealthAndOrders_artifactsInS3_activeTracing() {
    for (Template region : List.of(synth.primary(), synth.standby())) {
      region.resourcePropertiesCountIs(
          "AWS::Synthetics::Canary",
          Match.objectLike(
              Map.of(
                  "Schedule", Match.objectLike(Map.of("Expression", "rate(5 minutes)")),
                  "RunConfig", Match.objectLike(Map.of("ActiveTracing", true)),
                  "ArtifactS3Location", Match.anyValue())),
          2);
    }
    String code = Synth.json(synth.primary(), "AWS::Synthetics::Canary");
    assertThat(code).contains("/health").contains("/orders");
  }

  @Test
  void outputs_listBothApis_clusterEndpoints_table_buckets_topics_andTheFailoverFunction() {
    for (String name :
        List.of(
            "primaryApiEndpoint",
            "primaryDbClusterEndpoint",
            "dynamoTableName",
            "bucketDocuments",
            "primarySnsTopicArn",
            "primaryFailoverFunctionArn")) {
      synth.primary().hasOutput(name, Match.anyValue());
    }
    for (String name :
        List.of("standbyApiEndpoint", "standbyDbClusterEndpoint", "standbyFailoverFunctionArn")) {
      synth.standby().hasOutput(name, Match.anyValue());
    }
    synth.base().hasOutput("standbySnsTopicArn", Match.anyValue());
    assertThat(synth.primary().findOutputs("*").keySet())
        .contains("primaryApiEndpoint")
        .noneMatch(name -> name.startsWith("ComputeApiEndpoint"));
  }

  @Test
  void production_keepsDeletionProtection_andDestroyableRemovesIt() {
    synth
        .primary()
        .hasResource(
            "AWS::RDS::DBCluster",
            Match.objectLike(
                Map.of(
                    "DeletionPolicy",
                    "Snapshot",
                    "Properties",
                    Match.objectLike(Map.of("DeletionProtection", true)))));
    Synth destroyable = Synth.of("serverless-api", "destroyable", "true");
    destroyable
        .primary()
        .hasResource(
            "AWS::RDS::DBCluster",
            Match.objectLike(
                Map.of(
                    "DeletionPolicy",
                    "Delete",
                    "Properties",
                    Match.objectLike(Map.of("DeletionProtection", false)))));
    destroyable
        .primary()
        .hasResource(
            "AWS::DynamoDB::GlobalTable", Match.objectLike(Map.of("DeletionPolicy", "Delete")));
  }
}

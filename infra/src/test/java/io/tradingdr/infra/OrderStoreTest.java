package io.tradingdr.infra;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.infra.config.ProfileSpec.DataSpec;
import io.tradingdr.infra.config.ProfileSpec.DatabaseKind;
import io.tradingdr.infra.config.ProfileSpec.OrderStore;
import io.tradingdr.infra.config.ProfileSpec.OrdersSpec;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import software.amazon.awscdk.assertions.Match;
import software.amazon.awscdk.assertions.Template;

/**
 * The order store each profile's service gets (TDR_ORDER_STORE), the DynamoDB orders tables of the
 * profiles without a relational database, their IAM, and the orchestrator's DynamoDB wiring.
 */
class OrderStoreTest {
  private static final List<String> SERVICE_HANDLERS =
      List.of(
          "io.tradingdr.lambda.AlbHandler::handleRequest",
          "io.tradingdr.lambda.ApiGatewayHandler::handleRequest",
          "io.tradingdr.lambda.SqsOrderHandler::handleRequest");

  static Stream<Arguments> stores() {
    return Stream.of(
        Arguments.of("warm-standby", "dynamodb", "trading-orders-test"),
        Arguments.of("active-passive", "mysql", null),
        Arguments.of("serverless-alb", "dynamodb", "dr-dynamodb-us-east-1-test-transactions"),
        Arguments.of("serverless-api", "postgresql", null),
        Arguments.of(null, "postgresql", null));
  }

  @ParameterizedTest(name = "{0}: {1}")
  @MethodSource("stores")
  void service_inBothRegions_getsTheOrderStoreItsDocumentImplies(
      String profile, String store, String ordersTable) {
    Synth synth = Synth.of(profile);
    for (Template region : List.of(synth.primary(), synth.standby())) {
      String env = serviceEnvironment(region);
      assertThat(env).contains("TDR_ORDER_STORE=" + store);
      if (ordersTable != null) {
        assertThat(env).contains("TDR_ORDERS_TABLE=" + ordersTable).doesNotContain("TDR_DB_URL");
      } else {
        assertThat(env)
            .contains("TDR_DB_URL=")
            // A Lambda variable is an Fn::Join around the cluster endpoint.
            .containsPattern("TDR_DB_URL=(\\{Fn::Join=\\[, \\[)?jdbc:" + store + "://")
            .doesNotContain("TDR_ORDERS_TABLE");
      }
    }
  }

  /** The service's variables: the instances' env file, or the trading functions' environment. */
  private static String serviceEnvironment(Template region) {
    String userData = Synth.json(region, "AWS::EC2::LaunchTemplate");
    if (userData.contains("TDR_ORDER_STORE")) {
      return userData;
    }
    StringBuilder env = new StringBuilder();
    region
        .findResources("AWS::Lambda::Function")
        .values()
        .forEach(
            function -> {
              String text = function.toString();
              if (SERVICE_HANDLERS.stream().anyMatch(text::contains)) {
                env.append(text);
              }
            });
    assertThat(env).as("service functions").isNotEmpty();
    return env.toString();
  }

  @Test
  void activePassive_connectsToTheAuroraMysqlWriter_throughItsDefaultDatabase() {
    Synth synth = Synth.of("active-passive");
    synth
        .primary()
        .hasResourceProperties(
            "AWS::RDS::DBCluster",
            Match.objectLike(
                Map.of(
                    "Engine",
                    "aurora-mysql",
                    "DBClusterIdentifier",
                    "trading-orders-test-primary",
                    "DatabaseName",
                    "trading",
                    "Port",
                    3307)));
    // The URL names the cluster (writer) endpoint, the port and the database; the user data
    // joins the endpoint's Fn::GetAtt between the two literal parts.
    assertThat(Synth.json(synth.primary(), "AWS::EC2::LaunchTemplate"))
        .contains("TDR_ORDER_STORE=mysql")
        .contains("TDR_DB_URL=jdbc:mysql://")
        .contains("Endpoint.Address")
        .contains(":3307/trading")
        .contains("TDR_DB_USER=trading_admin");
  }

  @Test
  void warmStandby_ordersTable_isAGlobalTableWithTheStoresSchema() {
    assertOrdersTable(Synth.of("warm-standby").primary(), "trading-orders-test", "us-east-2");
  }

  @Test
  void serverlessAlb_transactionsTable_isTheOrdersStore_keyedByPk_withPitr() {
    assertOrdersTable(
        Synth.of("serverless-alb").primary(),
        "dr-dynamodb-us-east-1-test-transactions",
        "us-west-2");
  }

  private static void assertOrdersTable(Template primary, String name, String standbyRegion) {
    primary.hasResourceProperties(
        "AWS::DynamoDB::GlobalTable",
        Match.objectLike(
            Map.of(
                "TableName",
                name,
                "BillingMode",
                "PAY_PER_REQUEST",
                "KeySchema",
                List.of(Map.of("AttributeName", "pk", "KeyType", "HASH")),
                "AttributeDefinitions",
                Match.arrayEquals(
                    List.of(
                        Map.of("AttributeName", "pk", "AttributeType", "S"),
                        Map.of("AttributeName", "accountId", "AttributeType", "S"),
                        Map.of("AttributeName", "createdKey", "AttributeType", "S"))),
                "GlobalSecondaryIndexes",
                List.of(
                    Map.of(
                        "IndexName",
                        "byAccount",
                        "KeySchema",
                        List.of(
                            Map.of("AttributeName", "accountId", "KeyType", "HASH"),
                            Map.of("AttributeName", "createdKey", "KeyType", "RANGE")),
                        "Projection",
                        Map.of("ProjectionType", "ALL"))),
                "SSESpecification",
                Match.objectLike(Map.of("SSEEnabled", true, "SSEType", "KMS")),
                "Replicas",
                List.of(
                    Match.objectLike(
                        Map.of(
                            "Region",
                            standbyRegion,
                            "PointInTimeRecoverySpecification",
                            Map.of("PointInTimeRecoveryEnabled", true),
                            "DeletionProtectionEnabled",
                            true,
                            "SSESpecification",
                            Match.objectLike(Map.of("KMSMasterKeyId", Match.anyValue())))),
                    Match.objectLike(
                        Map.of(
                            "Region",
                            "us-east-1",
                            "PointInTimeRecoverySpecification",
                            Map.of("PointInTimeRecoveryEnabled", true),
                            "DeletionProtectionEnabled",
                            true,
                            "SSESpecification",
                            Match.objectLike(Map.of("KMSMasterKeyId", Match.anyValue()))))))));
  }

  @Test
  void serverlessAlb_addsAGlobalSessionsTable_andItsOutputStillNamesTheTransactionsTable() {
    Synth synth = Synth.of("serverless-alb");
    synth
        .primary()
        .hasResourceProperties(
            "AWS::DynamoDB::GlobalTable",
            Match.objectLike(
                Map.of(
                    "TableName",
                    "dr-dynamodb-us-east-1-test-sessions",
                    "KeySchema",
                    List.of(Map.of("AttributeName", "sessionId", "KeyType", "HASH")),
                    "Replicas",
                    Match.arrayWith(List.of(Match.objectLike(Map.of("Region", "us-west-2")))))));
    synth
        .primary()
        .hasOutput(
            "dynamoTableName",
            Match.objectLike(Map.of("Value", "dr-dynamodb-us-east-1-test-transactions")));
    assertThat(serviceEnvironment(synth.standby()))
        .contains("TDR_SESSIONS_TABLE=dr-dynamodb-us-east-1-test-sessions");
  }

  @Test
  void warmStandby_outputStillNamesTheSessionsTable_andTheOrdersTableHasItsOwn() {
    Synth synth = Synth.of("warm-standby");
    synth
        .primary()
        .hasOutput("dynamoTableName", Match.objectLike(Map.of("Value", "trading-sessions-test")));
    synth
        .primary()
        .hasOutput("ordersTableName", Match.objectLike(Map.of("Value", "trading-orders-test")));
  }

  @Test
  void relationalProfiles_haveNoOrdersTable() {
    for (String profile : new String[] {"active-passive", "serverless-api"}) {
      Synth.of(profile)
          .primary()
          .resourcePropertiesCountIs(
              "AWS::DynamoDB::GlobalTable",
              Match.objectLike(Map.of("TableName", Match.stringLikeRegexp(".*orders.*"))),
              0);
    }
  }

  @Test
  void destroyable_removesTheOrdersTablesDeletionProtection() {
    Synth.of("warm-standby", "destroyable", "true")
        .primary()
        .hasResource(
            "AWS::DynamoDB::GlobalTable",
            Match.objectLike(
                Map.of(
                    "DeletionPolicy",
                    "Delete",
                    "Properties",
                    Match.objectLike(
                        Map.of(
                            "TableName",
                            "trading-orders-test",
                            "Replicas",
                            Match.arrayWith(
                                List.of(
                                    Match.objectLike(
                                        Map.of("DeletionProtectionEnabled", false)))))))));
  }

  static Stream<Arguments> dynamoDbProfiles() {
    return Stream.of(
        Arguments.of("warm-standby", "trading-orders-test", "us-east-1", "us-east-2"),
        Arguments.of(
            "serverless-alb", "dr-dynamodb-us-east-1-test-transactions", "us-east-1", "us-west-2"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("dynamoDbProfiles")
  void servicePolicy_namesItsOwnReplicaAndIndex_withOnlyTheStoresActions(
      String profile, String table, String primaryRegion, String standbyRegion) {
    Synth synth = Synth.of(profile);
    for (var region :
        List.of(
            Map.entry(synth.primary(), primaryRegion), Map.entry(synth.standby(), standbyRegion))) {
      String tableArn = "arn:aws:dynamodb:" + region.getValue() + ":111111111111:table/" + table;
      region
          .getKey()
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
                                              "Allow",
                                              "Action",
                                              List.of(
                                                  "dynamodb:GetItem",
                                                  "dynamodb:PutItem",
                                                  "dynamodb:UpdateItem",
                                                  "dynamodb:ConditionCheckItem",
                                                  "dynamodb:DescribeTable"),
                                              "Resource",
                                              tableArn)),
                                      Match.objectLike(
                                          Map.of(
                                              "Effect",
                                              "Allow",
                                              "Action",
                                              "dynamodb:Query",
                                              "Resource",
                                              tableArn + "/index/byAccount")))))))));
      String policies = Synth.json(region.getKey(), "AWS::IAM::ManagedPolicy");
      assertThat(policies)
          .doesNotContain("dynamodb:*")
          .doesNotContain("Action=*")
          .doesNotContain(table + "/index/*")
          .doesNotContain("dynamodb:Scan")
          .doesNotContain("dynamodb:BatchWriteItem");
    }
  }

  @Test
  void warmStandbyOrchestrator_selectsTheDynamoDbReplication_withoutAnyAuroraVariable() {
    Synth synth = Synth.of("warm-standby", "failoverSwitch", "true");
    for (var region :
        List.of(
            Map.entry(synth.primary(), "trading-orchestrator-test-primary"),
            Map.entry(synth.standby(), "trading-orchestrator-test-standby"))) {
      region
          .getKey()
          .hasResourceProperties(
              "AWS::Lambda::Function",
              Match.objectLike(
                  Map.of(
                      "FunctionName",
                      region.getValue(),
                      "Environment",
                      Map.of(
                          "Variables",
                          Match.objectLike(
                              Map.of(
                                  "TDR_ORDERS_TABLE",
                                  "trading-orders-test",
                                  "TDR_GLOBAL_CLUSTER_ID",
                                  Match.absent(),
                                  "TDR_PRIMARY_DB_CLUSTER_ARN",
                                  Match.absent(),
                                  "TDR_STANDBY_DB_CLUSTER_ARN",
                                  Match.absent(),
                                  "TDR_WRITE_LEASE_TTL",
                                  "10s",
                                  "TDR_WRITE_LEASE_SAFETY_MARGIN",
                                  "2s",
                                  "TDR_PRIMARY_ASG",
                                  "trading-asg-test-primary"))))));
    }
  }

  @Test
  void warmStandbyOrchestratorPolicy_readsAndWritesWatermarksInBothReplicas_andNoRds() {
    Template standby = Synth.of("warm-standby", "failoverSwitch", "true").standby();
    standby.hasResourceProperties(
        "AWS::IAM::ManagedPolicy",
        Match.objectLike(
            Map.of(
                "ManagedPolicyName",
                "trading-orchestrator-test-standby",
                "PolicyDocument",
                Match.objectLike(
                    Map.of(
                        "Statement",
                        Match.arrayWith(
                            List.of(
                                Match.objectLike(
                                    Map.of(
                                        "Effect",
                                        "Allow",
                                        "Action",
                                        List.of(
                                            "dynamodb:DescribeTable",
                                            "dynamodb:GetItem",
                                            "dynamodb:PutItem"),
                                        "Resource",
                                        List.of(
                                            "arn:aws:dynamodb:us-east-1:111111111111:table/"
                                                + "trading-orders-test",
                                            "arn:aws:dynamodb:us-east-2:111111111111:table/"
                                                + "trading-orders-test"))),
                                Match.objectLike(
                                    Map.of(
                                        "Effect",
                                        "Allow",
                                        "Action",
                                        "cloudwatch:GetMetricData",
                                        "Resource",
                                        "*")))))))));
    assertThat(Synth.json(standby, "AWS::IAM::ManagedPolicy"))
        .doesNotContain("rds:")
        .doesNotContain("dynamodb:*")
        .doesNotContain("Action=*");
  }

  @Test
  void leaseFencedServices_useTheOrchestratorsWriteLeaseNumbers() {
    assertThat(Synth.json(Synth.of("active-passive").primary(), "AWS::EC2::LaunchTemplate"))
        .contains("TDR_WRITE_LEASE_TTL=10s")
        .contains("TDR_WRITE_LEASE_SAFETY_MARGIN=2s");
  }

  @Test
  void ordersSpec_refusesATable_forARelationalStore_andARelationalStoreWithoutOne() {
    assertThatThrownBy(() -> new OrdersSpec(OrderStore.MYSQL, "orders", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("a table only with dynamodb");
    assertThatThrownBy(() -> new OrdersSpec(OrderStore.DYNAMODB, "", false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("order store dynamodb");
  }

  @Test
  void dataSpec_refusesAnOrderStore_thatDoesNotMatchTheDatabase() {
    assertThatThrownBy(
            () ->
                new DataSpec(
                    "sessions",
                    "sessionId",
                    true,
                    false,
                    OrdersSpec.inDatabase(OrderStore.POSTGRESQL),
                    DatabaseKind.AURORA_MYSQL,
                    "db.r6g.large",
                    1,
                    1,
                    7,
                    false,
                    List.of(),
                    false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("order store postgresql needs database AURORA_POSTGRESQL, not AURORA_MYSQL");
  }
}

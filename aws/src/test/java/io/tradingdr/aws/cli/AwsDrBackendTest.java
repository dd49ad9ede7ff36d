package io.tradingdr.aws.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.aws.testing.AwsStub;
import io.tradingdr.aws.testing.AwsStub.Response;
import io.tradingdr.core.port.Notification;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.spi.BackendSettings;
import io.tradingdr.core.spi.DrBackend;
import io.tradingdr.core.spi.DrEnvironment;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
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
        .hasMessageContaining("needs the order database: set aws.globalClusterId")
        .hasMessageContaining("or aws.ordersTable");
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
  void keyOf_groupsTheRpoLedgerSettingsUnderAwsReconcile() {
    assertThat(AwsDrBackend.keyOf("TDR_RECONCILE_SUBNET_GROUP"))
        .isEqualTo("aws.reconcile.subnetGroup");
    assertThat(AwsDrBackend.keyOf("TDR_ORDERS_TABLE")).isEqualTo("aws.ordersTable");
    assertThat(AwsDrBackend.KEYS)
        .containsKeys(
            "aws.reconcile.secretArns",
            "aws.reconcile.database",
            "aws.reconcile.snapshotIdentifier",
            "aws.reconcile.securityGroups",
            "aws.reconcile.instanceClass",
            "aws.reconcile.restoreTimeoutMin");
  }

  @Test
  void reconcile_onAurora_restoresTheFailoverSnapshotWithTheConfiguredNetworkAndClass() {
    Map<String, String> config = fullConfig();
    config.put("aws.reconcile.subnetGroup", "rpo-subnets");
    config.put("aws.reconcile.securityGroups", "sg-1, sg-2");
    config.put("aws.reconcile.instanceClass", "db.t4g.medium");
    String snapshot = "rds:unplanned-global-failover-trading-primary-2026-11-22-06-00";
    stub.on(
        "DescribeDBClusters",
        Response.xml(
            rds(
                "DescribeDBClusters",
                "<DBClusters><DBCluster><DBClusterIdentifier>trading-primary</DBClusterIdentifier>"
                    + "<Status>available</Status><Engine>aurora-mysql</Engine>"
                    + "<DBSubnetGroup>db-subnets</DBSubnetGroup></DBCluster></DBClusters>")));
    stub.on(
        "DescribeDBClusterSnapshots",
        Response.xml(
            rds(
                "DescribeDBClusterSnapshots",
                "<DBClusterSnapshots><DBClusterSnapshot><DBClusterSnapshotIdentifier>"
                    + snapshot
                    + "</DBClusterSnapshotIdentifier><SnapshotCreateTime>2026-11-22T06:20:00Z"
                    + "</SnapshotCreateTime><Engine>aurora-mysql</Engine><EngineVersion>"
                    + "8.0.mysql_aurora.3.08.0</EngineVersion><Status>available</Status>"
                    + "</DBClusterSnapshot></DBClusterSnapshots>")));
    stub.on("RestoreDBClusterFromSnapshot", Response.xml(rds("RestoreDBClusterFromSnapshot", "")));
    stub.on("CreateDBInstance", Response.xmlError(403, "AccessDenied", "not allowed"));
    stub.on("DeleteDBInstance", Response.xml(rds("DeleteDBInstance", "")));
    stub.on("DeleteDBCluster", Response.xml(rds("DeleteDBCluster", "")));

    DrEnvironment env = open(config);

    assertThatThrownBy(
            () ->
                env.ports()
                    .orderLedger()
                    .committedSince(
                        io.tradingdr.core.region.RegionId.of("us-east-1"),
                        Instant.parse("2026-11-22T06:00:00Z")))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("AccessDenied");
    AwsStub.Request restore = stub.requests("RestoreDBClusterFromSnapshot").getFirst();
    assertThat(restore.param("DBSubnetGroupName")).isEqualTo("rpo-subnets");
    assertThat(restore.param("VpcSecurityGroupIds.VpcSecurityGroupId.1")).isEqualTo("sg-1");
    assertThat(restore.param("VpcSecurityGroupIds.VpcSecurityGroupId.2")).isEqualTo("sg-2");
    assertThat(restore.param("Engine")).isEqualTo("aurora-mysql");
    assertThat(stub.requests("CreateDBInstance").getFirst().param("DBInstanceClass"))
        .isEqualTo("db.t4g.medium");
    assertThat(stub.operations()).endsWith("DeleteDBInstance", "DeleteDBCluster");
  }

  @Test
  void rpoLedgers_areKeptInTheControlTable() {
    stub.on("GetItem", Response.json("{}"));
    DrEnvironment env = open(fullConfig());

    assertThat(env.ports().rpoLedgers().find("failover-1")).isEmpty();

    AwsStub.Request get = stub.requests("GetItem").getFirst();
    assertThat(get.body())
        .contains("trading-control-test", "rpo#failover-1", "\"ConsistentRead\":true");
    assertThat(get.headers().get("authorization")).contains("/us-west-2/dynamodb/");
  }

  @Test
  void open_withAnOrdersTableAndNoAurora_usesTheDynamoDbGlobalTable() {
    Map<String, String> config = fullConfig();
    config.remove("aws.globalClusterId");
    config.remove("aws.primaryDbClusterArn");
    config.remove("aws.standbyDbClusterArn");
    config.put("aws.ordersTable", "trading-orders");
    stub.on("BatchGetItem", Response.json("{\"Responses\":{\"trading-orders\":[]}}"));

    DrEnvironment env = open(config);

    assertThat(env.ports().replication())
        .isInstanceOf(io.tradingdr.aws.dynamodb.DynamoDbGlobalTableReplication.class);
    assertThat(
            env.ports()
                .orderLedger()
                .present(
                    io.tradingdr.core.region.RegionId.of("us-east-2"),
                    java.util.List.of(
                        new io.tradingdr.core.rpo.CommittedOrder(
                            "o-1", "c-1", "acct-1", Instant.EPOCH, 1, "{}"))))
        .isEmpty();
    AwsStub.Request batch = stub.requests("BatchGetItem").getFirst();
    assertThat(batch.body()).contains("trading-orders", "order#o-1", "client#acct-1#c-1");
    assertThat(batch.headers().get("authorization")).contains("/us-east-2/dynamodb/");
  }

  @Test
  void open_refusesAnOrdersTableTogetherWithAurora() {
    Map<String, String> config = fullConfig();
    config.put("aws.ordersTable", "trading-orders");

    assertThatThrownBy(() -> open(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("set aws.ordersTable")
        .hasMessageContaining("not both");
  }

  @Test
  void open_refusesReconcileSettingsWithoutAurora_namingThem() {
    Map<String, String> config = fullConfig();
    config.remove("aws.globalClusterId");
    config.remove("aws.primaryDbClusterArn");
    config.remove("aws.standbyDbClusterArn");
    config.put("aws.ordersTable", "trading-orders");
    config.put("aws.reconcile.instanceClass", "db.t4g.medium");

    assertThatThrownBy(() -> open(config))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("aws.reconcile.instanceClass configure the RPO ledger of an Aurora");
  }

  @Test
  void reconcileReplay_goesThroughTheWritersServiceApi_atTheMonitorTargetUrl() throws Exception {
    List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
    com.sun.net.httpserver.HttpServer service =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    service.createContext(
        "/",
        exchange -> {
          String path = exchange.getRequestURI().getPath();
          requests.add(
              exchange.getRequestMethod()
                  + " "
                  + path
                  + " session="
                  + exchange.getRequestHeaders().getFirst("X-Session-Id"));
          byte[] body =
              (path.equals("/sessions")
                      ? "{\"sessionId\":\"s-1\"}"
                      : "{\"orderId\":\"o-replayed\"}")
                  .getBytes(java.nio.charset.StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(201, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    service.start();
    try {
      Map<String, String> config = fullConfig();
      config.put(
          "aws.monitorTargets",
          "us-east-1=https://primary.example.com,us-east-2=http://127.0.0.1:"
              + service.getAddress().getPort());
      DrEnvironment env = open(config);
      io.tradingdr.core.rpo.CommittedOrder lost =
          new io.tradingdr.core.rpo.CommittedOrder(
              "o-lost",
              "c-1",
              "acct-1",
              Instant.parse("2026-11-22T06:00:00Z"),
              3,
              "{\"clientOrderId\":\"c-1\",\"accountId\":\"acct-1\"}");

      var outcome = env.reconciliation().replay(RegionId.of("us-east-2"), lost);

      assertThat(outcome.orderId()).isEqualTo("o-replayed");
      assertThat(outcome.created()).isTrue();
      assertThat(requests)
          .containsExactly("POST /sessions session=null", "POST /orders session=s-1");
    } finally {
      service.stop(0);
    }
  }

  private static String rds(String action, String result) {
    return "<"
        + action
        + "Response xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><"
        + action
        + "Result>"
        + result
        + "</"
        + action
        + "Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></"
        + action
        + "Response>";
  }
}

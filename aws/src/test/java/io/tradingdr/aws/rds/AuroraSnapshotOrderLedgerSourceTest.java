package io.tradingdr.aws.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.aws.testing.AwsStub;
import io.tradingdr.aws.testing.AwsStub.Response;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.procs.FreePorts;
import io.tradingdr.procs.PostgresNode;
import io.tradingdr.procs.RunDirectory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The RDS and Secrets Manager calls go to {@link AwsStub}; the endpoints it reports are a real
 * local PostgreSQL holding the service's orders table, so the JDBC reads run for real.
 */
class AuroraSnapshotOrderLedgerSourceTest {

  static final RegionId EAST = RegionId.of("us-east-1");
  static final RegionId WEST = RegionId.of("us-east-2");
  static final String PRIMARY_ARN = "arn:aws:rds:us-east-1:123456789012:cluster:trading-primary";
  static final String STANDBY_ARN = "arn:aws:rds:us-east-2:123456789012:cluster:trading-standby";
  static final String SECRET_ARN =
      "arn:aws:secretsmanager:us-east-1:123456789012:secret:trading-db-AbCdEf";
  static final String SNAPSHOT = "rds:unplanned-global-failover-trading-primary-2026-11-22-06-00";
  static final Instant SINCE = Instant.parse("2026-11-22T05:59:00Z");

  static final String A = "11111111-1111-1111-1111-111111111111";
  static final String B = "22222222-2222-2222-2222-222222222222";
  static final String C = "33333333-3333-3333-3333-333333333333";

  private static PostgresNode postgres;

  private AwsStub stub;
  private AuroraSnapshotOrderLedgerSource source;

  @BeforeAll
  static void startPostgres() throws Exception {
    RunDirectory run = RunDirectory.temporary("aws-rpo-test-").deleteOnExit();
    postgres =
        PostgresNode.builder()
            .dataDir(run.resolve("pg"))
            .runDirectory(run)
            .clusterName("aws_rpo_test")
            .setting("fsync", "off")
            .build()
            .initdb()
            .start();
    for (String db : List.of("old_primary", "new_primary")) {
      postgres.createDatabase(db);
      try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(db), "postgres", "");
          Statement st = c.createStatement()) {
        st.execute(
            """
            create table orders (
              seq bigint generated always as identity unique,
              order_id uuid primary key,
              client_order_id varchar(64) not null,
              account_id varchar(64) not null,
              symbol varchar(12) not null,
              side varchar(4) not null,
              order_type varchar(6) not null,
              quantity bigint not null,
              limit_price numeric(18, 4),
              status varchar(16) not null,
              region varchar(32) not null,
              epoch bigint not null,
              request_hash char(64) not null,
              created_at timestamptz not null default now(),
              updated_at timestamptz not null default now(),
              cancel_region varchar(32),
              cancel_epoch bigint,
              constraint orders_client_order_id_uq unique (account_id, client_order_id))
            """);
      }
    }
    // The old primary committed A (before the window), B and C; the new one got B under its id.
    insert("old_primary", A, "acct-1", "c-a", "2026-11-22T05:58:00Z", "LIMIT", "101.2500");
    insert("old_primary", B, "acct-1", "c-b", "2026-11-22T05:59:30Z", "MARKET", null);
    insert("old_primary", C, "acct-2", "c-c", "2026-11-22T05:59:45Z", "LIMIT", "7.5000");
    insert(
        "new_primary",
        "44444444-4444-4444-4444-444444444444",
        "acct-1",
        "c-b",
        "2026-11-22T06:01:00Z",
        "MARKET",
        null);
  }

  private static void insert(
      String db,
      String id,
      String account,
      String clientOrderId,
      String createdAt,
      String type,
      String limitPrice)
      throws Exception {
    try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(db), "postgres", "");
        var st =
            c.prepareStatement(
                "insert into orders (order_id, client_order_id, account_id, symbol, side,"
                    + " order_type, quantity, limit_price, status, region, epoch, request_hash,"
                    + " created_at, updated_at) values (CAST(? AS uuid), ?, ?, 'AAPL', 'BUY', ?,"
                    + " 10, CAST(? AS numeric), 'NEW', 'us-east-1', 3, repeat('0', 64),"
                    + " CAST(? AS timestamptz), CAST(? AS timestamptz))")) {
      st.setString(1, id);
      st.setString(2, clientOrderId);
      st.setString(3, account);
      st.setString(4, type);
      st.setString(5, limitPrice);
      st.setString(6, createdAt);
      st.setString(7, createdAt);
      st.executeUpdate();
    }
  }

  @AfterAll
  static void stopPostgres() {
    if (postgres != null) {
      postgres.close();
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    stub = AwsStub.start();
    source = source(Optional.empty());
    stub.on("GetSecretValue", secret("old_primary"));
  }

  private AuroraSnapshotOrderLedgerSource source(Optional<String> instanceClass) {
    return AuroraSnapshotOrderLedgerSource.builder()
        .member(EAST, PRIMARY_ARN, stub.settings("us-east-1").build(RdsClient.builder()))
        .member(WEST, STANDBY_ARN, stub.settings("us-east-2").build(RdsClient.builder()))
        .secrets(region -> stub.settings(region).build(SecretsManagerClient.builder()))
        .secretArns(List.of(SECRET_ARN))
        .instanceClass(instanceClass)
        .pollInterval(Duration.ofMillis(10))
        .restoreTimeout(Duration.ofSeconds(2))
        .jdbcTimeout(Duration.ofSeconds(5))
        .tls(false)
        .build();
  }

  @AfterEach
  void tearDown() {
    stub.close();
  }

  @Test
  void
      committedSince_restoresTheFailoverSnapshotIntoATemporaryCluster_readsItsOrders_andDeletesIt() {
    String temp = AuroraSnapshotOrderLedgerSource.temporaryIdentifier(SNAPSHOT);
    stub.on(
        "DescribeDBClusters",
        clusters(oldPrimaryRebuilt()),
        clusters(restored(temp, "creating", null)),
        clusters(restored(temp, "available", "127.0.0.1")));
    stub.on("DescribeDBClusterSnapshots", snapshots(snapshot(SNAPSHOT, "2026-11-22T06:20:00Z")));
    stub.on(
        "DescribeDBInstances",
        instances(instance("trading-primary-1", "db.r6g.large", "available")),
        instances(instance(temp + "-1", "db.r6g.large", "creating")),
        instances(instance(temp + "-1", "db.r6g.large", "available")));
    stub.on("RestoreDBClusterFromSnapshot", Response.xml(ok("RestoreDBClusterFromSnapshot")));
    stub.on("CreateDBInstance", Response.xml(ok("CreateDBInstance")));
    stub.on("DeleteDBInstance", Response.xml(ok("DeleteDBInstance")));
    stub.on("DeleteDBCluster", Response.xml(ok("DeleteDBCluster")));

    List<CommittedOrder> orders = source.committedSince(EAST, SINCE);

    assertThat(orders).extracting(CommittedOrder::orderId).containsExactly(B, C);
    assertThat(orders.get(0).account()).isEqualTo("acct-1");
    assertThat(orders.get(0).clientOrderId()).isEqualTo("c-b");
    assertThat(orders.get(0).epoch()).isEqualTo(3);
    assertThat(orders.get(0).committedAt()).isEqualTo(Instant.parse("2026-11-22T05:59:30Z"));
    assertThat(orders.get(0).body())
        .isEqualTo(
            "{\"clientOrderId\":\"c-b\",\"accountId\":\"acct-1\",\"symbol\":\"AAPL\","
                + "\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":10}");
    assertThat(orders.get(1).body()).contains("\"type\":\"LIMIT\"", "\"limitPrice\":7.5000");

    assertThat(stub.operations())
        .containsSubsequence(
            "DescribeDBClusters",
            "DescribeDBClusterSnapshots",
            "DescribeDBInstances",
            "RestoreDBClusterFromSnapshot",
            "CreateDBInstance",
            "DescribeDBClusters",
            "GetSecretValue",
            "DeleteDBInstance",
            "DeleteDBCluster");
    assertThat(stub.requests("DescribeDBClusters").get(0).param("DBClusterIdentifier"))
        .isEqualTo("trading-primary");
    assertThat(stub.requests("DescribeDBClusterSnapshots").get(0).param("DBClusterIdentifier"))
        .isEqualTo("trading-primary");
    AwsStub.Request restore = stub.requests("RestoreDBClusterFromSnapshot").get(0);
    assertThat(restore.param("DBClusterIdentifier")).isEqualTo(temp);
    assertThat(restore.param("SnapshotIdentifier"))
        .isEqualTo("arn:aws:rds:us-east-1:123456789012:cluster-snapshot:" + SNAPSHOT);
    assertThat(restore.param("Engine")).isEqualTo("aurora-postgresql");
    assertThat(restore.param("EngineVersion")).isEqualTo("16.4");
    assertThat(restore.param("DBSubnetGroupName")).isEqualTo("trading-db-subnets");
    assertThat(restore.param("VpcSecurityGroupIds.VpcSecurityGroupId.1")).isEqualTo("sg-0db");
    assertThat(restore.param("DeletionProtection")).isEqualTo("false");
    assertThat(restore.headers().get("authorization")).contains("/us-east-1/rds/");
    AwsStub.Request create = stub.requests("CreateDBInstance").get(0);
    assertThat(create.param("DBInstanceIdentifier")).isEqualTo(temp + "-1");
    assertThat(create.param("DBClusterIdentifier")).isEqualTo(temp);
    assertThat(create.param("DBInstanceClass")).isEqualTo("db.r6g.large");
    assertThat(create.param("PubliclyAccessible")).isEqualTo("false");
    assertThat(stub.requests("GetSecretValue").get(0).body()).contains(SECRET_ARN);
    assertThat(stub.requests("DeleteDBInstance").get(0).param("DBInstanceIdentifier"))
        .isEqualTo(temp + "-1");
    AwsStub.Request delete = stub.requests("DeleteDBCluster").get(0);
    assertThat(delete.param("DBClusterIdentifier")).isEqualTo(temp);
    assertThat(delete.param("SkipFinalSnapshot")).isEqualTo("true");
  }

  @Test
  void committedSince_deletesTheTemporaryCluster_whenCreatingItsInstanceIsRefused() {
    String temp = AuroraSnapshotOrderLedgerSource.temporaryIdentifier(SNAPSHOT);
    stub.on("DescribeDBClusters", clusters(oldPrimaryRebuilt()));
    stub.on("DescribeDBClusterSnapshots", snapshots(snapshot(SNAPSHOT, "2026-11-22T06:20:00Z")));
    stub.on("RestoreDBClusterFromSnapshot", Response.xml(ok("RestoreDBClusterFromSnapshot")));
    stub.on(
        "CreateDBInstance",
        Response.xmlError(400, "InsufficientDBInstanceCapacity", "no db.r6g.large capacity"));
    stub.on("DeleteDBInstance", Response.xmlError(404, "DBInstanceNotFound", "not found"));
    stub.on("DeleteDBCluster", Response.xml(ok("DeleteDBCluster")));
    source = source(Optional.of("db.r6g.large"));

    assertThatThrownBy(() -> source.committedSince(EAST, SINCE))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("rds:CreateDBInstance")
        .hasMessageContaining("InsufficientDBInstanceCapacity");

    assertThat(stub.operations()).endsWith("DeleteDBInstance", "DeleteDBCluster");
    assertThat(stub.requests("DeleteDBCluster").get(0).param("DBClusterIdentifier"))
        .isEqualTo(temp);
    assertThat(stub.requests("DescribeDBInstances")).isEmpty();
  }

  @Test
  void committedSince_deletesTheTemporaryCluster_whenTheRestoreNeverBecomesAvailable() {
    String temp = AuroraSnapshotOrderLedgerSource.temporaryIdentifier(SNAPSHOT);
    stub.on(
        "DescribeDBClusters",
        clusters(oldPrimaryRebuilt()),
        clusters(restored(temp, "creating", null)));
    stub.on("DescribeDBClusterSnapshots", snapshots(snapshot(SNAPSHOT, "2026-11-22T06:20:00Z")));
    stub.on("DescribeDBInstances", instances(instance(temp + "-1", "db.r6g.large", "creating")));
    stub.on("RestoreDBClusterFromSnapshot", Response.xml(ok("RestoreDBClusterFromSnapshot")));
    stub.on("CreateDBInstance", Response.xml(ok("CreateDBInstance")));
    stub.on("DeleteDBInstance", Response.xml(ok("DeleteDBInstance")));
    stub.on(
        "DeleteDBCluster",
        Response.xmlError(400, "InvalidDBClusterStateFault", "cluster is creating"));
    source = source(Optional.of("db.r6g.large"));

    assertThatThrownBy(() -> source.committedSince(EAST, SINCE))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("restore of " + SNAPSHOT)
        .hasMessageContaining("cluster creating, instance creating")
        .satisfies(
            e ->
                assertThat(e.getSuppressed())
                    .singleElement()
                    .satisfies(
                        s ->
                            assertThat(s.getMessage())
                                .contains("could not be deleted", temp, "InvalidDBClusterState")));

    assertThat(stub.operations()).endsWith("DeleteDBInstance", "DeleteDBCluster");
  }

  @Test
  void
      committedSince_restoresTheConfiguredSnapshot_andRefusesWhileALeftoverTemporaryClusterIsDeleted() {
    String copy = "trading-primary-lost-writes-copy";
    String temp = AuroraSnapshotOrderLedgerSource.temporaryIdentifier(copy);
    stub.on(
        "DescribeDBClusters",
        clusters(oldPrimaryRebuilt()),
        clusters(restored(temp, "deleting", "127.0.0.1")));
    stub.on("DescribeDBClusterSnapshots", snapshots(snapshot(copy, "2026-11-22T07:00:00Z")));
    stub.on(
        "RestoreDBClusterFromSnapshot",
        Response.xmlError(400, "DBClusterAlreadyExistsFault", "exists"));
    stub.on("CreateDBInstance", Response.xmlError(400, "DBInstanceAlreadyExists", "exists"));
    stub.on("DeleteDBInstance", Response.xml(ok("DeleteDBInstance")));
    stub.on("DeleteDBCluster", Response.xml(ok("DeleteDBCluster")));
    AuroraSnapshotOrderLedgerSource configured =
        AuroraSnapshotOrderLedgerSource.builder()
            .member(EAST, PRIMARY_ARN, stub.settings("us-east-1").build(RdsClient.builder()))
            .member(WEST, STANDBY_ARN, stub.settings("us-east-2").build(RdsClient.builder()))
            .secrets(region -> stub.settings(region).build(SecretsManagerClient.builder()))
            .snapshotIdentifier(Optional.of(copy))
            .instanceClass(Optional.of("db.r6g.large"))
            .pollInterval(Duration.ofMillis(10))
            .restoreTimeout(Duration.ofSeconds(2))
            .tls(false)
            .build();

    assertThatThrownBy(() -> configured.committedSince(EAST, SINCE))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("temporary cluster " + temp + " is still being deleted");

    assertThat(
            stub.requests("DescribeDBClusterSnapshots").get(0).param("DBClusterSnapshotIdentifier"))
        .isEqualTo(copy);
    assertThat(stub.operations()).endsWith("DeleteDBInstance", "DeleteDBCluster");
  }

  @Test
  void committedSince_isUnreachable_whileTheFailoverSnapshotIsStillBeingCreated() {
    stub.on("DescribeDBClusters", clusters(oldPrimaryRebuilt()));
    stub.on(
        "DescribeDBClusterSnapshots",
        snapshots(snapshot(SNAPSHOT, "2026-11-22T06:20:00Z").replace(">available<", ">creating<")));

    assertThatThrownBy(() -> source.committedSince(EAST, SINCE))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("is creating, not available yet");
    assertThat(stub.requests("RestoreDBClusterFromSnapshot")).isEmpty();
  }

  @Test
  void committedSince_refusesAndNamesWhatIsMissing_whenThereIsNoSnapshotAndNoWriter() {
    stub.on("DescribeDBClusters", clusters(oldPrimaryRebuilt()));
    stub.on(
        "DescribeDBClusterSnapshots",
        snapshots(
            snapshot("rds:trading-primary-2026-11-21-03-00", "2026-11-22T06:20:00Z"),
            snapshot("rds:unplanned-global-failover-trading-primary-old", "2026-11-01T00:00:00Z")));

    assertThatThrownBy(() -> source.committedSince(EAST, SINCE))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining(
            "no rds:unplanned-global-failover-* snapshot of cluster trading-primary")
        .hasMessageContaining("created at or after " + SINCE)
        .hasMessageContaining("aws.reconcile.snapshotIdentifier");
    assertThat(stub.requests("RestoreDBClusterFromSnapshot")).isEmpty();
  }

  @Test
  void committedSince_readsTheOldPrimaryDirectly_whenItHasNoSnapshotButStillHasItsWriter() {
    stub.on("DescribeDBClusters", clusters(cluster("trading-primary", "available", true)));
    stub.on("DescribeDBClusterSnapshots", snapshots());

    List<CommittedOrder> orders = source.committedSince(EAST, SINCE);

    assertThat(orders).extracting(CommittedOrder::orderId).containsExactly(B, C);
    assertThat(stub.requests("RestoreDBClusterFromSnapshot")).isEmpty();
  }

  @Test
  void present_readsTheNewPrimaryAtItsWriterEndpoint_matchingByOrderIdOrClientOrderId() {
    stub.on("DescribeDBClusters", clusters(cluster("trading-standby", "available", true)));
    stub.on("GetSecretValue", secret("new_primary"));
    CommittedOrder b = order(B, "acct-1", "c-b");
    CommittedOrder c = order(C, "acct-2", "c-c");

    assertThat(source.present(WEST, List.of(b, c))).containsExactly(B);
    assertThat(stub.requests("DescribeDBClusters").get(0).param("DBClusterIdentifier"))
        .isEqualTo("trading-standby");
    assertThat(stub.requests("DescribeDBClusters").get(0).headers().get("authorization"))
        .contains("/us-east-2/rds/");
  }

  @Test
  void committedSince_isUnreachable_whenTheOldRegionsRdsDoesNotAnswer() {
    stub.on("DescribeDBClusters", Response.xmlError(503, "ServiceUnavailable", "down"));

    assertThatThrownBy(() -> source.committedSince(EAST, SINCE))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("rds:DescribeDBClusters in us-east-1");
  }

  @Test
  void present_isUnreachable_whenTheDatabaseDoesNotAcceptConnections() {
    int closed = FreePorts.pick("127.0.0.1");
    stub.on(
        "DescribeDBClusters",
        clusters(
            cluster("trading-standby", "available", true)
                .replace("<Port>" + postgres.port() + "</Port>", "<Port>" + closed + "</Port>")));

    assertThatThrownBy(() -> source.present(WEST, List.of(order(B, "acct-1", "c-b"))))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("unreadable");
  }

  private static CommittedOrder order(String id, String account, String clientOrderId) {
    return new CommittedOrder(id, clientOrderId, account, SINCE, 3, "{}");
  }

  // --- canned RDS query-protocol answers

  private static String oldPrimaryRebuilt() {
    return cluster("trading-primary", "available", false);
  }

  private static String cluster(String id, String status, boolean writer) {
    return "<DBCluster><DBClusterIdentifier>"
        + id
        + "</DBClusterIdentifier><Status>"
        + status
        + "</Status><Engine>aurora-postgresql</Engine><EngineVersion>16.4</EngineVersion>"
        + "<Endpoint>127.0.0.1</Endpoint><Port>"
        + postgres.port()
        + "</Port><DatabaseName>trading</DatabaseName><DBSubnetGroup>trading-db-subnets"
        + "</DBSubnetGroup><VpcSecurityGroups><VpcSecurityGroupMembership><VpcSecurityGroupId>"
        + "sg-0db</VpcSecurityGroupId><Status>active</Status></VpcSecurityGroupMembership>"
        + "</VpcSecurityGroups><DBClusterMembers><DBClusterMember><DBInstanceIdentifier>"
        + id
        + "-1</DBInstanceIdentifier><IsClusterWriter>"
        + writer
        + "</IsClusterWriter></DBClusterMember></DBClusterMembers></DBCluster>";
  }

  private static String restored(String id, String status, String endpoint) {
    return "<DBCluster><DBClusterIdentifier>"
        + id
        + "</DBClusterIdentifier><Status>"
        + status
        + "</Status><Engine>aurora-postgresql</Engine>"
        + (endpoint == null ? "" : "<Endpoint>" + endpoint + "</Endpoint>")
        + "<Port>"
        + postgres.port()
        + "</Port></DBCluster>";
  }

  private static Response clusters(String... clusters) {
    return Response.xml(
        wrap("DescribeDBClusters", "<DBClusters>" + String.join("", clusters) + "</DBClusters>"));
  }

  private static String snapshot(String id, String created) {
    return "<DBClusterSnapshot><DBClusterSnapshotIdentifier>"
        + id
        + "</DBClusterSnapshotIdentifier><DBClusterIdentifier>trading-primary</DBClusterIdentifier>"
        + "<DBClusterSnapshotArn>arn:aws:rds:us-east-1:123456789012:cluster-snapshot:"
        + id
        + "</DBClusterSnapshotArn><SnapshotCreateTime>"
        + created
        + "</SnapshotCreateTime><Engine>aurora-postgresql</Engine><EngineVersion>16.4"
        + "</EngineVersion><Status>available</Status><SnapshotType>automated</SnapshotType>"
        + "</DBClusterSnapshot>";
  }

  private static Response snapshots(String... snapshots) {
    return Response.xml(
        wrap(
            "DescribeDBClusterSnapshots",
            "<DBClusterSnapshots>" + String.join("", snapshots) + "</DBClusterSnapshots>"));
  }

  private static String instance(String id, String instanceClass, String status) {
    return "<DBInstance><DBInstanceIdentifier>"
        + id
        + "</DBInstanceIdentifier><DBInstanceClass>"
        + instanceClass
        + "</DBInstanceClass><DBInstanceStatus>"
        + status
        + "</DBInstanceStatus></DBInstance>";
  }

  private static Response instances(String... instances) {
    return Response.xml(
        wrap(
            "DescribeDBInstances",
            "<DBInstances>" + String.join("", instances) + "</DBInstances>"));
  }

  private static String ok(String action) {
    return wrap(action, "");
  }

  private static String wrap(String action, String result) {
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

  private static Response secret(String database) {
    return Response.json(
        "{\"ARN\":\""
            + SECRET_ARN
            + "\",\"Name\":\"trading-db\",\"SecretString\":\"{\\\"username\\\":\\\"postgres\\\","
            + "\\\"password\\\":\\\"unused-with-trust-auth\\\",\\\"dbname\\\":\\\""
            + database
            + "\\\"}\"}");
  }
}

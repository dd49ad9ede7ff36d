package io.tradingdr.aws.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.aws.common.AwsClientSettings;
import io.tradingdr.aws.testing.AwsStub;
import io.tradingdr.aws.testing.AwsStub.Response;
import io.tradingdr.core.port.PromotionMode;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.ReplicationStatus;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.port.Watermark;
import io.tradingdr.core.region.RegionId;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.rds.RdsClient;

class AuroraGlobalReplicationTest {

  static final RegionId EAST = RegionId.of("us-east-1");
  static final RegionId WEST = RegionId.of("us-east-2");
  static final String PRIMARY_ARN = "arn:aws:rds:us-east-1:123456789012:cluster:trading-primary";
  static final String STANDBY_ARN = "arn:aws:rds:us-east-2:123456789012:cluster:trading-standby";

  private AwsStub stub;
  private AuroraGlobalReplication replication;

  @BeforeEach
  void setUp() throws Exception {
    stub = AwsStub.start();
    replication =
        AuroraGlobalReplication.builder()
            .globalClusterIdentifier("trading-global")
            .member(
                EAST,
                PRIMARY_ARN,
                stub.settings("us-east-1").build(RdsClient.builder()),
                stub.settings("us-east-1").build(CloudWatchClient.builder()))
            .member(
                WEST,
                STANDBY_ARN,
                stub.settings("us-east-2").build(RdsClient.builder()),
                stub.settings("us-east-2").build(CloudWatchClient.builder()))
            .pollInterval(Duration.ofMillis(10))
            .build();
  }

  @AfterEach
  void tearDown() {
    stub.close();
  }

  @Test
  void
      promote_allowDataLoss_sendsFailoverWithAllowDataLossToTheStandbyRegion_andWaitsUntilItIsTheWriter() {
    stub.on(
        "DescribeGlobalClusters",
        describe(
            "available",
            null,
            member(PRIMARY_ARN, true, null),
            member(STANDBY_ARN, false, "connected")),
        describe(
            "failing-over",
            "failing-over",
            member(PRIMARY_ARN, true, null),
            member(STANDBY_ARN, false, "connected")),
        describe("available", null, member(STANDBY_ARN, true, null)));
    stub.on("FailoverGlobalCluster", Response.xml(ok("FailoverGlobalCluster")));

    replication.promote(WEST, PromotionMode.ALLOW_DATA_LOSS, Duration.ofSeconds(5));

    AwsStub.Request failover = stub.requests("FailoverGlobalCluster").get(0);
    assertThat(failover.param("GlobalClusterIdentifier")).isEqualTo("trading-global");
    assertThat(failover.param("TargetDbClusterIdentifier")).isEqualTo(STANDBY_ARN);
    assertThat(failover.param("AllowDataLoss")).isEqualTo("true");
    assertThat(failover.param("Switchover")).isNull();
    assertThat(failover.headers().get("authorization")).contains("/us-east-2/rds/aws4_request");
    assertThat(stub.requests("DescribeGlobalClusters")).hasSize(3);
  }

  @Test
  void promote_allowDataLoss_needsNothingFromTheFailedPrimaryRegion() throws Exception {
    int closed;
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    AwsClientSettings deadEast =
        stub.settings("us-east-1").toBuilder()
            .endpointOverride(java.net.URI.create("http://127.0.0.1:" + closed))
            .build();
    replication =
        AuroraGlobalReplication.builder()
            .globalClusterIdentifier("trading-global")
            .member(
                EAST,
                PRIMARY_ARN,
                deadEast.build(RdsClient.builder()),
                deadEast.build(CloudWatchClient.builder()))
            .member(
                WEST,
                STANDBY_ARN,
                stub.settings("us-east-2").build(RdsClient.builder()),
                stub.settings("us-east-2").build(CloudWatchClient.builder()))
            .pollInterval(Duration.ofMillis(10))
            .build();
    stub.on(
        "DescribeGlobalClusters",
        describe(
            "available",
            null,
            member(PRIMARY_ARN, true, null),
            member(STANDBY_ARN, false, "connected")),
        describe("available", null, member(STANDBY_ARN, true, null)));
    stub.on("FailoverGlobalCluster", Response.xml(ok("FailoverGlobalCluster")));

    replication.promote(WEST, PromotionMode.ALLOW_DATA_LOSS, Duration.ofSeconds(5));

    assertThat(stub.requests())
        .allSatisfy(r -> assertThat(r.headers().get("authorization")).contains("/us-east-2/"));
    assertThat(stub.requests("FailoverGlobalCluster")).hasSize(1);
  }

  @Test
  void promote_noDataLoss_sendsSwitchover_withoutAllowDataLoss() {
    stub.on(
        "DescribeGlobalClusters",
        describe(
            "available",
            null,
            member(PRIMARY_ARN, true, null),
            member(STANDBY_ARN, false, "connected")),
        describe(
            "available",
            null,
            member(PRIMARY_ARN, false, "connected"),
            member(STANDBY_ARN, true, null)));
    stub.on("SwitchoverGlobalCluster", Response.xml(ok("SwitchoverGlobalCluster")));

    replication.promote(WEST, PromotionMode.NO_DATA_LOSS, Duration.ofSeconds(5));

    AwsStub.Request switchover = stub.requests("SwitchoverGlobalCluster").get(0);
    assertThat(switchover.param("TargetDbClusterIdentifier")).isEqualTo(STANDBY_ARN);
    assertThat(switchover.param("AllowDataLoss")).isNull();
    assertThat(stub.requests("FailoverGlobalCluster")).isEmpty();
  }

  @Test
  void promote_isIdempotent_whenTheTargetAlreadyIsTheWriter() {
    stub.on("DescribeGlobalClusters", describe("available", null, member(STANDBY_ARN, true, null)));

    replication.promote(WEST, PromotionMode.ALLOW_DATA_LOSS, Duration.ofSeconds(5));

    assertThat(stub.operations()).containsExactly("DescribeGlobalClusters");
  }

  @Test
  void promote_waitsForAnOperationInProgress_insteadOfRequestingItAgain() {
    stub.on(
        "DescribeGlobalClusters",
        describe(
            "failing-over",
            "failing-over",
            member(PRIMARY_ARN, true, null),
            member(STANDBY_ARN, false, null)),
        describe("available", null, member(STANDBY_ARN, true, null)));

    replication.promote(WEST, PromotionMode.ALLOW_DATA_LOSS, Duration.ofSeconds(5));

    assertThat(stub.requests("FailoverGlobalCluster")).isEmpty();
  }

  @Test
  void promote_retriesThrottling_withBackoff_thenSucceeds() {
    stub.on(
        "DescribeGlobalClusters",
        describe(
            "available",
            null,
            member(PRIMARY_ARN, true, null),
            member(STANDBY_ARN, false, "connected")),
        describe("available", null, member(STANDBY_ARN, true, null)));
    stub.on(
        "FailoverGlobalCluster",
        Response.xmlError(400, "Throttling", "Rate exceeded"),
        Response.xmlError(400, "Throttling", "Rate exceeded"),
        Response.xml(ok("FailoverGlobalCluster")));

    replication.promote(WEST, PromotionMode.ALLOW_DATA_LOSS, Duration.ofSeconds(5));

    assertThat(stub.requests("FailoverGlobalCluster")).hasSize(3);
  }

  @Test
  void promote_accessDenied_isARefusalWithTheReason() {
    stub.on(
        "DescribeGlobalClusters",
        describe(
            "available",
            null,
            member(PRIMARY_ARN, true, null),
            member(STANDBY_ARN, false, "connected")));
    stub.on(
        "FailoverGlobalCluster",
        Response.xmlError(
            403, "AccessDenied", "User is not authorized to perform: rds:FailoverGlobalCluster"));

    assertThatThrownBy(
            () -> replication.promote(WEST, PromotionMode.ALLOW_DATA_LOSS, Duration.ofSeconds(5)))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("rds:FailoverGlobalCluster AccessDenied")
        .hasMessageContaining("not authorized");
    assertThat(stub.requests("FailoverGlobalCluster")).hasSize(1);
  }

  @Test
  void promote_invalidState_isARefusal() {
    stub.on(
        "DescribeGlobalClusters",
        describe(
            "available",
            null,
            member(PRIMARY_ARN, true, null),
            member(STANDBY_ARN, false, "connected")));
    stub.on(
        "SwitchoverGlobalCluster",
        Response.xmlError(400, "InvalidGlobalClusterStateFault", "primary is not available"));

    assertThatThrownBy(
            () -> replication.promote(WEST, PromotionMode.NO_DATA_LOSS, Duration.ofSeconds(5)))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("InvalidGlobalClusterStateFault");
  }

  @Test
  void promote_stopsAtItsTimeout_whenThePromotionNeverFinishes() {
    stub.on(
        "DescribeGlobalClusters",
        describe(
            "available",
            null,
            member(PRIMARY_ARN, true, null),
            member(STANDBY_ARN, false, "connected")),
        describe(
            "failing-over",
            "failing-over",
            member(PRIMARY_ARN, true, null),
            member(STANDBY_ARN, false, null)));
    stub.on("FailoverGlobalCluster", Response.xml(ok("FailoverGlobalCluster")));

    assertThatThrownBy(
            () -> replication.promote(WEST, PromotionMode.ALLOW_DATA_LOSS, Duration.ofMillis(200)))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("promotion of us-east-2 (ALLOW_DATA_LOSS) not finished after PT0.2S")
        .hasMessageContaining("failover failing-over");
  }

  @Test
  void status_whenRdsDoesNotAnswerInTime_isUnreachable() {
    AwsClientSettings impatient =
        stub.settings("us-east-1").toBuilder()
            .apiCallAttemptTimeout(Duration.ofMillis(100))
            .build();
    replication =
        AuroraGlobalReplication.builder()
            .globalClusterIdentifier("trading-global")
            .member(
                EAST,
                PRIMARY_ARN,
                impatient.build(RdsClient.builder()),
                impatient.build(CloudWatchClient.builder()))
            .member(
                WEST,
                STANDBY_ARN,
                impatient.inRegion("us-east-2").build(RdsClient.builder()),
                impatient.inRegion("us-east-2").build(CloudWatchClient.builder()))
            .pollInterval(Duration.ofMillis(10))
            .build();
    stub.on(
        "DescribeGlobalClusters",
        describe("available", null, member(PRIMARY_ARN, true, null))
            .delayedBy(Duration.ofMillis(500)));

    assertThatThrownBy(() -> replication.status())
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("rds:DescribeGlobalClusters in us-east-1 did not answer")
        .hasMessageContaining("rds:DescribeGlobalClusters in us-east-2 did not answer");
  }

  @Test
  void status_reportsWriterStandbyAndLag_fromTheStandbysMetric() {
    stub.on(
        "DescribeGlobalClusters",
        describe(
            "available",
            null,
            member(PRIMARY_ARN, true, null),
            member(STANDBY_ARN, false, "connected")));
    stub.on("GetMetricData", metricData("2026-01-05T10:00:00Z", 250.0));

    ReplicationStatus status = replication.status();

    assertThat(status.writer()).contains(EAST);
    assertThat(status.standby()).isEqualTo(WEST);
    assertThat(status.lag()).contains(Duration.ofMillis(250));
    assertThat(status.synchronous()).isFalse();
    assertThat(status.standbyWatermark().map(Watermark::sequence))
        .contains(Instant.parse("2026-01-05T10:00:00Z").toEpochMilli() - 250);
    AwsStub.Request metric = stub.requests("GetMetricData").get(0);
    assertThat(metric.param("MetricDataQueries.member.1.MetricStat.Metric.Namespace"))
        .isEqualTo("AWS/RDS");
    assertThat(metric.param("MetricDataQueries.member.1.MetricStat.Metric.MetricName"))
        .isEqualTo("AuroraGlobalDBReplicationLag");
    assertThat(
            metric.param("MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name"))
        .isEqualTo("DBClusterIdentifier");
    assertThat(
            metric.param("MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value"))
        .isEqualTo("trading-standby");
    assertThat(metric.headers().get("authorization"))
        .contains("/us-east-2/monitoring/aws4_request");
  }

  @Test
  void status_reportsUnknownLag_whenTheMetricIsUnavailable() {
    stub.on(
        "DescribeGlobalClusters",
        describe(
            "available",
            null,
            member(PRIMARY_ARN, true, null),
            member(STANDBY_ARN, false, "connected")));
    stub.on("GetMetricData", Response.xmlError(403, "AccessDenied", "no"));

    assertThat(replication.status().lag()).isEmpty();
  }

  @Test
  void awaitCaughtUp_returnsTheReplayedWatermark_onceLagIsSmall() {
    stub.on(
        "DescribeGlobalClusters",
        describe(
            "available",
            null,
            member(PRIMARY_ARN, true, null),
            member(STANDBY_ARN, false, "connected")));
    stub.on(
        "GetMetricData",
        metricData("2026-01-05T10:00:00Z", 4000.0),
        metricData("2026-01-05T10:01:00Z", 20.0));

    Watermark mark = replication.awaitCaughtUp(WEST, Duration.ofSeconds(5));

    assertThat(mark.sequence())
        .isEqualTo(Instant.parse("2026-01-05T10:01:00Z").toEpochMilli() - 20);
    assertThat(stub.requests("GetMetricData")).hasSize(2);
  }

  @Test
  void rejoinAsStandby_waitsUntilTheOldPrimaryIsAConnectedSecondary() {
    stub.on(
        "DescribeGlobalClusters",
        describe(
            "available",
            null,
            member(STANDBY_ARN, true, null),
            member(PRIMARY_ARN, false, "pending-resync")),
        describe(
            "available",
            null,
            member(STANDBY_ARN, true, null),
            member(PRIMARY_ARN, false, "connected")));

    replication.rejoinAsStandby(EAST, WEST, Duration.ofSeconds(5));

    assertThat(stub.requests("DescribeGlobalClusters")).hasSize(2);
  }

  @Test
  void rejoinAsStandby_isRefused_whenTheOldPrimaryNeverReappears() {
    stub.on("DescribeGlobalClusters", describe("available", null, member(STANDBY_ARN, true, null)));

    assertThatThrownBy(() -> replication.rejoinAsStandby(EAST, WEST, Duration.ofMillis(100)))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("recreate it as a secondary cluster");
  }

  @Test
  void builder_refusesASingleMember() {
    assertThatThrownBy(
            () ->
                AuroraGlobalReplication.builder()
                    .globalClusterIdentifier("g")
                    .member(
                        EAST,
                        PRIMARY_ARN,
                        stub.settings("us-east-1").build(RdsClient.builder()),
                        stub.settings("us-east-1").build(CloudWatchClient.builder()))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly 2 members");
  }

  static String member(String arn, boolean writer, String sync) {
    return "<GlobalClusterMember><DBClusterArn>"
        + arn
        + "</DBClusterArn><IsWriter>"
        + writer
        + "</IsWriter>"
        + (sync == null ? "" : "<SynchronizationStatus>" + sync + "</SynchronizationStatus>")
        + "</GlobalClusterMember>";
  }

  static Response describe(String status, String failoverStatus, String... members) {
    String failover =
        failoverStatus == null
            ? ""
            : "<FailoverState><Status>"
                + failoverStatus
                + "</Status><FromDbClusterArn>"
                + PRIMARY_ARN
                + "</FromDbClusterArn><ToDbClusterArn>"
                + STANDBY_ARN
                + "</ToDbClusterArn><IsDataLossAllowed>true</IsDataLossAllowed></FailoverState>";
    return Response.xml(
        "<DescribeGlobalClustersResponse xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\">"
            + "<DescribeGlobalClustersResult><GlobalClusters><GlobalClusterMember>"
            + "<GlobalClusterIdentifier>trading-global</GlobalClusterIdentifier><Status>"
            + status
            + "</Status><GlobalClusterMembers>"
            + String.join("", members)
            + "</GlobalClusterMembers>"
            + failover
            + "</GlobalClusterMember></GlobalClusters></DescribeGlobalClustersResult>"
            + "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeGlobalClustersResponse>");
  }

  static String ok(String action) {
    return "<"
        + action
        + "Response xmlns=\"http://rds.amazonaws.com/doc/2014-10-31/\"><"
        + action
        + "Result><GlobalCluster><GlobalClusterIdentifier>trading-global</GlobalClusterIdentifier></GlobalCluster></"
        + action
        + "Result><ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></"
        + action
        + "Response>";
  }

  static Response metricData(String timestamp, double value) {
    return Response.xml(
        "<GetMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><GetMetricDataResult>"
            + "<MetricDataResults><member><Id>lag</Id><Label>lag</Label><StatusCode>Complete</StatusCode>"
            + "<Timestamps><member>"
            + timestamp
            + "</member></Timestamps><Values><member>"
            + value
            + "</member></Values></member></MetricDataResults></GetMetricDataResult>"
            + "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></GetMetricDataResponse>");
  }
}

package io.tradingdr.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.aws.testing.AwsStub;
import io.tradingdr.aws.testing.AwsStub.Response;
import io.tradingdr.core.fence.WriteLease;
import io.tradingdr.core.port.PromotionMode;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.ReplicationStatus;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.port.Watermark;
import io.tradingdr.core.region.Epoch;
import io.tradingdr.core.region.RegionId;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** Both regions' DynamoDB and CloudWatch clients talk to {@link AwsStub}; requests are checked. */
class DynamoDbGlobalTableReplicationTest {

  static final RegionId EAST = RegionId.of("us-east-1");
  static final RegionId WEST = RegionId.of("us-east-2");
  static final Instant FAR = Instant.parse("2099-01-01T00:00:00Z");

  private AwsStub stub;
  private final AtomicReference<WriteLease> lease =
      new AtomicReference<>(WriteLease.held(EAST, new Epoch(4), FAR));
  private DynamoDbGlobalTableReplication replication;

  @BeforeEach
  void setUp() throws Exception {
    stub = AwsStub.start();
    replication =
        DynamoDbGlobalTableReplication.builder()
            .table("trading-orders")
            .replica(
                EAST,
                stub.settings("us-east-1").build(DynamoDbClient.builder()),
                stub.settings("us-east-1").build(CloudWatchClient.builder()))
            .replica(
                WEST,
                stub.settings("us-east-2").build(DynamoDbClient.builder()),
                stub.settings("us-east-2").build(CloudWatchClient.builder()))
            .lease(lease::get)
            .pollInterval(Duration.ofMillis(10))
            .build();
  }

  @AfterEach
  void tearDown() {
    stub.close();
  }

  @Test
  void status_reportsTheLeaseHolderAsWriter_andTheReplicationLatencyToTheStandbyAsLag() {
    stub.on("DescribeTable", table("ACTIVE", "ACTIVE", "ACTIVE"));
    stub.on("GetMetricData", metricData("2026-11-22T06:00:00Z", 850.0));

    ReplicationStatus s = replication.status();

    assertThat(s.writer()).contains(EAST);
    assertThat(s.standby()).isEqualTo(WEST);
    assertThat(s.lag()).contains(Duration.ofMillis(850));
    assertThat(s.synchronous()).isFalse();
    assertThat(s.writerWatermark().map(Watermark::lastCommitAt))
        .contains(Instant.parse("2026-11-22T06:00:00Z"));
    assertThat(s.standbyWatermark().map(Watermark::lastCommitAt))
        .contains(Instant.parse("2026-11-22T05:59:59.150Z"));
    AwsStub.Request describe = stub.requests("DescribeTable").get(0);
    assertThat(describe.body()).contains("\"TableName\":\"trading-orders\"");
    assertThat(describe.headers().get("authorization")).contains("/us-east-2/dynamodb/");
    AwsStub.Request metric = stub.requests("GetMetricData").get(0);
    assertThat(metric.headers().get("authorization")).contains("/us-east-1/monitoring/");
    assertThat(metric.params())
        .containsEntry("MetricDataQueries.member.1.MetricStat.Metric.Namespace", "AWS/DynamoDB")
        .containsEntry(
            "MetricDataQueries.member.1.MetricStat.Metric.MetricName", "ReplicationLatency")
        .containsEntry(
            "MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Name", "TableName")
        .containsEntry(
            "MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.1.Value",
            "trading-orders")
        .containsEntry(
            "MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.2.Name",
            "ReceivingRegion")
        .containsEntry(
            "MetricDataQueries.member.1.MetricStat.Metric.Dimensions.member.2.Value", "us-east-2");
  }

  @Test
  void status_hasNoLag_whenTheStandbyRegionDoesNotAnswer() {
    stub.on("DescribeTable", Response.jsonError(500, "InternalServerError", "region down"));
    stub.on("GetMetricData", metricData("2026-11-22T06:00:00Z", 850.0));

    ReplicationStatus s = replication.status();

    assertThat(s.writer()).contains(EAST);
    assertThat(s.lag()).isEmpty();
    assertThat(s.standbyWatermark()).isEmpty();
    assertThat(stub.requests("GetMetricData")).isEmpty();
  }

  @Test
  void fenceWriter_refuses_whileTheRegionStillHoldsTheWriteLease_becauseTheLeaseIsTheOnlyFence() {
    assertThatThrownBy(() -> replication.fenceWriter(EAST))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("cannot be made read-only")
        .hasMessageContaining("us-east-1 still holds it");
    assertThat(stub.requests()).isEmpty();
  }

  @Test
  void fenceWriter_acceptsARevokedLease_withoutCallingDynamoDb() {
    lease.set(WriteLease.revoked(new Epoch(5), Instant.parse("2026-11-22T06:00:00Z")));

    replication.fenceWriter(EAST);

    assertThat(stub.requests()).isEmpty();
  }

  @Test
  void awaitCaughtUp_writesAWatermarkInTheOldWriter_andReadsItConsistentlyInTheStandby() {
    stub.on("PutItem", Response.json("{}"));
    stub.on(
        "GetItem",
        Response.json("{}"),
        Response.json("{}"),
        Response.json("{\"Item\":{\"pk\":{\"S\":\"watermark#x\"}}}"));
    stub.on("DeleteItem", Response.json("{}"));

    Watermark w = replication.awaitCaughtUp(WEST, Duration.ofSeconds(5));

    AwsStub.Request put = stub.requests("PutItem").get(0);
    assertThat(put.headers().get("authorization")).contains("/us-east-1/dynamodb/");
    assertThat(put.body()).contains("\"TableName\":\"trading-orders\"", "\"S\":\"watermark#");
    assertThat(put.body()).doesNotContain("accountId");
    String pk = put.body().replaceAll(".*\"pk\":\\{\"S\":\"(watermark#[^\"]+)\"}.*", "$1");
    assertThat(stub.requests("GetItem"))
        .hasSize(3)
        .allSatisfy(
            get -> {
              assertThat(get.headers().get("authorization")).contains("/us-east-2/dynamodb/");
              assertThat(get.body()).contains("\"ConsistentRead\":true", pk);
            });
    assertThat(stub.requests("DeleteItem").get(0).body()).contains(pk);
    assertThat(w.label()).isEqualTo(pk + " replicated to us-east-2");
  }

  @Test
  void awaitCaughtUp_isUnreachable_whenTheWatermarkDoesNotArriveInTime() {
    stub.on("PutItem", Response.json("{}"));
    stub.on("GetItem", Response.json("{}"));

    assertThatThrownBy(() -> replication.awaitCaughtUp(WEST, Duration.ofMillis(200)))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("replication of watermark#")
        .hasMessageContaining("not in us-east-2 yet");
  }

  @Test
  void promote_promotesNothing_waitsForTheStandbyTable_andMakesItTheWriterOnceTheLeaseIsRevoked() {
    lease.set(WriteLease.revoked(new Epoch(5), Instant.parse("2026-11-22T06:00:00Z")));
    stub.on(
        "DescribeTable",
        table("UPDATING", "ACTIVE", "ACTIVE"),
        table("ACTIVE", "ACTIVE", "ACTIVE"));
    stub.on("GetMetricData", metricData("2026-11-22T06:00:00Z", 100.0));

    replication.promote(WEST, PromotionMode.ALLOW_DATA_LOSS, Duration.ofSeconds(5));

    assertThat(stub.operations()).containsOnly("DescribeTable");
    assertThat(stub.requests("DescribeTable"))
        .allSatisfy(r -> assertThat(r.headers().get("authorization")).contains("/us-east-2/"));
    assertThat(replication.status().writer()).contains(WEST);
  }

  @Test
  void rejoinAsStandby_waitsUntilTheOldWritersReplicaIsActiveAgain() {
    stub.on(
        "DescribeTable",
        table("ACTIVE", "INACCESSIBLE_ENCRYPTION_CREDENTIALS", "ACTIVE"),
        table("ACTIVE", "ACTIVE", "ACTIVE"));

    replication.rejoinAsStandby(EAST, WEST, Duration.ofSeconds(5));

    assertThat(stub.requests("DescribeTable")).hasSize(2);
  }

  @Test
  void rejoinAsStandby_refuses_whenTheTableHasNoReplicaInTheOldRegion() {
    stub.on(
        "DescribeTable",
        Response.json(
            "{\"Table\":{\"TableName\":\"trading-orders\",\"TableStatus\":\"ACTIVE\","
                + "\"Replicas\":[{\"RegionName\":\"us-east-2\",\"ReplicaStatus\":\"ACTIVE\"}]}}"));

    assertThatThrownBy(() -> replication.rejoinAsStandby(EAST, WEST, Duration.ofSeconds(5)))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("has no replica in us-east-1");
  }

  @Test
  void build_refusesAnythingButTwoReplicas() {
    assertThatThrownBy(
            () ->
                DynamoDbGlobalTableReplication.builder()
                    .table("trading-orders")
                    .lease(() -> WriteLease.revoked(Epoch.ZERO, FAR))
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly 2 replicas");
  }

  private static Response table(String tableStatus, String east, String west) {
    return Response.json(
        "{\"Table\":{\"TableName\":\"trading-orders\",\"TableStatus\":\""
            + tableStatus
            + "\",\"Replicas\":[{\"RegionName\":\"us-east-1\",\"ReplicaStatus\":\""
            + east
            + "\"},{\"RegionName\":\"us-east-2\",\"ReplicaStatus\":\""
            + west
            + "\"}]}}");
  }

  private static Response metricData(String timestamp, double value) {
    return Response.xml(
        "<GetMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"
            + "<GetMetricDataResult><MetricDataResults><member><Id>lag</Id><Label>lag</Label>"
            + "<StatusCode>Complete</StatusCode><Timestamps><member>"
            + timestamp
            + "</member></Timestamps><Values><member>"
            + value
            + "</member></Values></member></MetricDataResults></GetMetricDataResult>"
            + "<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>"
            + "</GetMetricDataResponse>");
  }
}

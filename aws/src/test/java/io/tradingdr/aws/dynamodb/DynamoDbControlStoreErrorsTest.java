package io.tradingdr.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.aws.testing.AwsStub;
import io.tradingdr.aws.testing.AwsStub.Response;
import io.tradingdr.aws.testing.MutableClock;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.Epoch;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The control store's error paths, which DynamoDB Local cannot produce, against the AWS stub. */
class DynamoDbControlStoreErrorsTest {

  private AwsStub stub;
  private DynamoDbControlStore store;

  @BeforeEach
  void setUp() throws Exception {
    stub = AwsStub.start();
    DynamoDbClient dynamo =
        stub.settings("us-east-1").toBuilder()
            .apiCallAttemptTimeout(Duration.ofMillis(200))
            .build()
            .build(DynamoDbClient.builder());
    store =
        new DynamoDbControlStore(
            dynamo, "trading-control", new MutableClock(Instant.parse("2026-01-05T10:00:00Z")));
  }

  private static DynamoDbControlStore storeWith(DynamoDbClient dynamo) {
    return new DynamoDbControlStore(
        dynamo, "trading-control", new MutableClock(Instant.parse("2026-01-05T10:00:00Z")));
  }

  @AfterEach
  void tearDown() {
    stub.close();
  }

  @Test
  void read_retriesThrottling_withConsistentRead_thenSucceeds() {
    stub.on(
        "GetItem",
        Response.jsonError(
            400,
            "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException",
            "slow down"),
        Response.jsonError(
            400, "com.amazonaws.dynamodb.v20120810#ThrottlingException", "slow down"),
        Response.json(
            "{\"Item\":{\"pk\":{\"S\":\"lease#write\"},\"sk\":{\"S\":\"current\"},\"epoch\":{\"N\":\"7\"},"
                + "\"holder\":{\"S\":\"us-east-1\"},\"expiresAt\":{\"N\":\"1767607210000\"}}}"));

    assertThat(store.read().epoch()).isEqualTo(new Epoch(7));
    assertThat(stub.requests("GetItem")).hasSize(3);
    assertThat(stub.requests("GetItem").get(0).body())
        .contains("\"ConsistentRead\":true")
        .contains("\"TableName\":\"trading-control\"");
  }

  @Test
  void revoke_whenThrottlingOutlastsTheRetries_isUnreachable() {
    stub.on(
        "UpdateItem",
        Response.jsonError(
            400, "com.amazonaws.dynamodb.v20120810#ThrottlingException", "slow down"));

    assertThatThrownBy(() -> store.revoke(new Epoch(3)))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("ThrottlingException")
        .hasMessageContaining("still throttled after retries");
    assertThat(stub.requests("UpdateItem")).hasSize(3);
  }

  @Test
  void grant_accessDenied_isARefusalWithItsReason() {
    stub.on(
        "UpdateItem",
        Response.jsonError(
            400,
            "com.amazon.coral.service#AccessDeniedException",
            "not authorized to perform dynamodb:UpdateItem"));

    assertThatThrownBy(
            () ->
                store.grant(
                    io.tradingdr.core.region.RegionId.of("us-east-2"),
                    Epoch.ZERO,
                    Duration.ofSeconds(10)))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining(
            "AccessDeniedException: not authorized to perform dynamodb:UpdateItem");
  }

  @Test
  void read_whenDynamoDbDoesNotAnswerInTime_isUnreachable() {
    stub.on("GetItem", Response.json("{}").delayedBy(Duration.ofSeconds(1)));
    DynamoDbControlStore impatient =
        storeWith(
            stub.settings("us-east-1").toBuilder()
                .apiCallAttemptTimeout(Duration.ofMillis(200))
                .build()
                .build(DynamoDbClient.builder()));

    assertThatThrownBy(impatient::read)
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("dynamodb:GetItem did not answer");
  }

  @Test
  void renew_serverErrors_areRetried_thenUnreachable() {
    stub.on(
        "UpdateItem",
        Response.jsonError(500, "com.amazonaws.dynamodb.v20120810#InternalServerError", "oops"));

    assertThatThrownBy(
            () ->
                store.renew(
                    io.tradingdr.core.region.RegionId.of("us-east-1"),
                    new Epoch(1),
                    Duration.ofSeconds(10)))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("InternalServerError");
    assertThat(stub.requests("UpdateItem")).hasSize(3);
  }
}

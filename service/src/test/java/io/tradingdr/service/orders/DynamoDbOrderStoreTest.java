package io.tradingdr.service.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.procs.FreePorts;
import io.tradingdr.service.TestStores;
import io.tradingdr.service.db.DatabaseUnavailableException;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndexDescription;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * The DynamoDB orders table as the infrastructure and the orchestrator rely on it (COMMON
 * contract): the schema, the exact shape of the order and idempotency items, and failures as 503s.
 */
class DynamoDbOrderStoreTest {

  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00.123Z");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private static DynamoDbClient client;
  private static String table;
  private static DynamoDbOrderStore store;

  @BeforeAll
  static void createTable() {
    client = client(TestStores.dynamoDb().endpoint());
    table = TestStores.newTableName("orders-shape");
    DynamoDbOrdersTable.create(client, table);
    store = new DynamoDbOrderStore(client, table, Clock.fixed(NOW, ZoneOffset.UTC));
  }

  @AfterAll
  static void closeClient() {
    client.close();
  }

  private static DynamoDbClient client(URI endpoint) {
    return DynamoDbClient.builder()
        .region(Region.US_EAST_1)
        .endpointOverride(endpoint)
        .httpClient(UrlConnectionHttpClient.create())
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .build();
  }

  private static Map<String, AttributeValue> item(String pk) {
    return client
        .getItem(
            r ->
                r.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk))).consistentRead(true))
        .item();
  }

  @Test
  void create_makesTheSharedSchema_pkOnly_onDemand_byAccountIndexProjectingAll() {
    TableDescription description = client.describeTable(r -> r.tableName(table)).table();

    assertThat(description.keySchema()).hasSize(1);
    assertThat(description.keySchema().get(0).attributeName()).isEqualTo("pk");
    assertThat(description.keySchema().get(0).keyType()).isEqualTo(KeyType.HASH);
    assertThat(description.billingModeSummary().billingModeAsString()).isEqualTo("PAY_PER_REQUEST");
    GlobalSecondaryIndexDescription index = description.globalSecondaryIndexes().get(0);
    assertThat(index.indexName()).isEqualTo("byAccount");
    assertThat(index.keySchema())
        .extracting(k -> k.attributeName() + ":" + k.keyTypeAsString())
        .containsExactly("accountId:HASH", "createdKey:RANGE");
    assertThat(index.projection().projectionTypeAsString()).isEqualTo("ALL");
    assertThat(DynamoDbOrdersTable.createIfMissing(client, table)).isFalse();
  }

  @Test
  void insert_writesTheOrderItemAndTheIdempotencyItem_inTheAgreedShape() {
    UUID limitId = UUID.randomUUID();
    UUID marketId = UUID.randomUUID();
    OrderRequest limit =
        new OrderRequest(
            "shape-1",
            "acct-shape",
            "MSFT",
            Side.SELL,
            OrderType.LIMIT,
            40,
            Optional.of(new BigDecimal("412.5000")));
    OrderRequest market =
        new OrderRequest(
            "shape-2", "acct-shape", "MSFT", Side.BUY, OrderType.MARKET, 1, Optional.empty());

    store.insertIfAbsent(limit, limitId, "us-east-1", 12, TIMEOUT);
    store.insertIfAbsent(market, marketId, "us-east-1", 12, TIMEOUT);

    Map<String, AttributeValue> order = item("order#" + limitId);
    assertThat(order.keySet())
        .containsExactlyInAnyOrder(
            "pk",
            "orderId",
            "clientOrderId",
            "accountId",
            "createdKey",
            "symbol",
            "side",
            "orderType",
            "quantity",
            "limitPrice",
            "status",
            "region",
            "epoch",
            "requestHash",
            "createdAt",
            "updatedAt");
    assertThat(order.get("createdKey").s())
        .isEqualTo(String.format("%013d#%s", Long.parseLong(order.get("createdAt").n()), limitId));
    assertThat(Long.parseLong(order.get("createdAt").n()))
        .isGreaterThanOrEqualTo(NOW.toEpochMilli());
    assertThat(order.get("quantity").n()).isEqualTo("40");
    assertThat(order.get("limitPrice").s()).isEqualTo("412.5000");
    assertThat(order.get("epoch").n()).isEqualTo("12");
    assertThat(order.get("status").s()).isEqualTo("NEW");
    assertThat(order.get("requestHash").s()).isEqualTo(limit.fingerprint());
    assertThat(item("order#" + marketId)).doesNotContainKey("limitPrice");
    Map<String, AttributeValue> idempotency = item("client#acct-shape#shape-1");
    assertThat(idempotency.keySet()).containsExactlyInAnyOrder("pk", "orderId");
    assertThat(idempotency.get("orderId").s()).isEqualTo(limitId.toString());
  }

  @Test
  void cancel_recordsTheCancellingRegionAndEpoch_onTheOrderItem() {
    UUID id = UUID.randomUUID();
    store.insertIfAbsent(
        new OrderRequest(
            "cancel-1", "acct-cancel", "AAPL", Side.BUY, OrderType.MARKET, 3, Optional.empty()),
        id,
        "us-east-1",
        4,
        TIMEOUT);

    store.cancel(id, "acct-cancel", "us-west-2", 5, TIMEOUT);

    Map<String, AttributeValue> order = item("order#" + id);
    assertThat(order.get("status").s()).isEqualTo("CANCELLED");
    assertThat(order.get("cancelRegion").s()).isEqualTo("us-west-2");
    assertThat(order.get("cancelEpoch").n()).isEqualTo("5");
    assertThat(order.get("region").s()).isEqualTo("us-east-1");
  }

  @Test
  void health_saysTheFenceIsTheOnlyWriteGuard_andAMissingTableIsUnreachable() {
    StoreHealth present = store.health();
    StoreHealth missing =
        new DynamoDbOrderStore(client, "no-such-orders-table", Clock.systemUTC()).health();

    assertThat(present.mode()).contains(StoreHealth.Mode.READ_WRITE);
    assertThat(present.details())
        .containsEntry("tableStatus", "ACTIVE")
        .containsEntry("writeGuard", "write fence only: a DynamoDB table has no read-only mode");
    assertThat(missing.reachable()).isFalse();
    assertThat(missing.error()).contains("DynamoDB table no-such-orders-table does not exist");
  }

  @Test
  void unreachableEndpoint_failsWritesAndReadsWithDatabaseUnavailable() {
    try (DynamoDbClient dead = client(URI.create("http://127.0.0.1:" + FreePorts.pick()))) {
      DynamoDbOrderStore unreachable = new DynamoDbOrderStore(dead, table, Clock.systemUTC());
      OrderRequest request =
          new OrderRequest(
              "dead-1", "acct-dead", "AAPL", Side.BUY, OrderType.MARKET, 1, Optional.empty());

      assertThatThrownBy(
              () ->
                  unreachable.insertIfAbsent(
                      request, UUID.randomUUID(), "us-east-1", 1, Duration.ofSeconds(2)))
          .isInstanceOf(DatabaseUnavailableException.class)
          .hasMessageStartingWith("insert order: the order store (DynamoDB table " + table);
      assertThatThrownBy(() -> unreachable.find(UUID.randomUUID()))
          .isInstanceOf(DatabaseUnavailableException.class);
      assertThat(unreachable.health().reachable()).isFalse();
    }
  }
}

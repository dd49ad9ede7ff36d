package io.tradingdr.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.aws.testing.DynamoDbLocal;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.rpo.CommittedOrder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * Two DynamoDB Local servers play the two regions' replicas of the orders table (DynamoDB Local has
 * no global tables): the old region holds orders that never reached the new one.
 */
class DynamoDbOrderLedgerSourceTest {

  static final RegionId OLD = RegionId.of("us-east-1");
  static final RegionId NEW = RegionId.of("us-east-2");
  static final String TABLE = "trading-orders";
  static final Instant SINCE = Instant.parse("2026-11-22T05:59:00Z");

  private static DynamoDbLocal oldRegion;
  private static DynamoDbLocal newRegion;
  private static DynamoDbOrderLedgerSource source;

  @BeforeAll
  static void start() throws Exception {
    oldRegion = DynamoDbLocal.start();
    newRegion = DynamoDbLocal.start();
    for (DynamoDbClient c : List.of(oldRegion.client(), newRegion.client())) {
      createOrdersTable(c);
    }
    DynamoDbClient old = oldRegion.client();
    putOrder(old, "o-a", "acct-1", "c-a", "2026-11-22T05:58:00Z", "101.25");
    putOrder(old, "o-c", "acct-2", "c-c", "2026-11-22T05:59:45Z", "7.5");
    putOrder(old, "o-b", "acct-1", "c-b", "2026-11-22T05:59:30Z", null);
    put(old, Map.of("pk", s("watermark#1"), "writtenAt", n("1")));
    DynamoDbClient fresh = newRegion.client();
    // o-b was replayed on the new writer under a new id: only its idempotency item matches.
    putOrder(fresh, "o-b2", "acct-1", "c-b", "2026-11-22T06:01:00Z", null);
    putOrder(fresh, "o-a", "acct-1", "c-a", "2026-11-22T05:58:00Z", "101.25");
    source = new DynamoDbOrderLedgerSource(TABLE, Map.of(OLD, old, NEW, fresh));
  }

  @AfterAll
  static void stop() {
    if (oldRegion != null) {
      oldRegion.close();
    }
    if (newRegion != null) {
      newRegion.close();
    }
  }

  @Test
  void committedSince_scansTheOldRegionsOrdersCreatedSince_oldestFirst_inTheRequestFormat() {
    List<CommittedOrder> orders = source.committedSince(OLD, SINCE);

    assertThat(orders).extracting(CommittedOrder::orderId).containsExactly("o-b", "o-c");
    CommittedOrder b = orders.get(0);
    assertThat(b.account()).isEqualTo("acct-1");
    assertThat(b.clientOrderId()).isEqualTo("c-b");
    assertThat(b.epoch()).isEqualTo(3);
    assertThat(b.committedAt()).isEqualTo(Instant.parse("2026-11-22T05:59:30Z"));
    assertThat(b.body())
        .isEqualTo(
            "{\"clientOrderId\":\"c-b\",\"accountId\":\"acct-1\",\"symbol\":\"AAPL\","
                + "\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":10}");
    assertThat(orders.get(1).body()).contains("\"type\":\"LIMIT\"", "\"limitPrice\":7.5");
  }

  @Test
  void present_matchesByOrderItemOrByIdempotencyItem_inTheNewRegion() {
    List<CommittedOrder> candidates = source.committedSince(OLD, Instant.EPOCH);

    assertThat(source.present(NEW, candidates)).containsExactlyInAnyOrder("o-a", "o-b");
    assertThat(source.present(NEW, List.of())).isEmpty();
  }

  @Test
  void present_handlesMoreOrdersThanOneBatchGetItemTakes() {
    List<CommittedOrder> many = new ArrayList<>();
    for (int i = 0; i < 120; i++) {
      many.add(new CommittedOrder("x-" + i, "cx-" + i, "acct-9", SINCE, 1, "{}"));
    }
    many.add(new CommittedOrder("o-a", "c-a", "acct-1", SINCE, 1, "{}"));

    assertThat(source.present(NEW, many)).containsExactly("o-a");
  }

  @Test
  void committedSince_isUnreachable_whenTheRegionDoesNotAnswer() throws Exception {
    DynamoDbLocal gone = DynamoDbLocal.start();
    DynamoDbClient client = gone.client();
    gone.close();
    DynamoDbOrderLedgerSource down = new DynamoDbOrderLedgerSource(TABLE, Map.of(OLD, client));

    assertThatThrownBy(() -> down.committedSince(OLD, SINCE))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("dynamodb:Scan trading-orders in us-east-1");
  }

  private static void createOrdersTable(DynamoDbClient c) {
    c.createTable(
        r ->
            r.tableName(TABLE)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .attributeDefinitions(
                    attribute("pk"), attribute("accountId"), attribute("createdKey"))
                .keySchema(key("pk", KeyType.HASH))
                .globalSecondaryIndexes(
                    GlobalSecondaryIndex.builder()
                        .indexName("byAccount")
                        .keySchema(key("accountId", KeyType.HASH), key("createdKey", KeyType.RANGE))
                        .projection(p -> p.projectionType(ProjectionType.ALL))
                        .build()));
  }

  private static AttributeDefinition attribute(String name) {
    return AttributeDefinition.builder()
        .attributeName(name)
        .attributeType(ScalarAttributeType.S)
        .build();
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  private static void putOrder(
      DynamoDbClient c,
      String orderId,
      String account,
      String clientOrderId,
      String createdAt,
      String limitPrice) {
    long created = Instant.parse(createdAt).toEpochMilli();
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s("order#" + orderId));
    item.put("orderId", s(orderId));
    item.put("clientOrderId", s(clientOrderId));
    item.put("accountId", s(account));
    item.put("createdKey", s(String.format("%013d#%s", created, orderId)));
    item.put("symbol", s("AAPL"));
    item.put("side", s("BUY"));
    item.put("orderType", s(limitPrice == null ? "MARKET" : "LIMIT"));
    item.put("quantity", n("10"));
    if (limitPrice != null) {
      item.put("limitPrice", s(limitPrice));
    }
    item.put("status", s("NEW"));
    item.put("region", s("us-east-1"));
    item.put("epoch", n("3"));
    item.put("requestHash", s("0".repeat(64)));
    item.put("createdAt", n(Long.toString(created)));
    item.put("updatedAt", n(Long.toString(created)));
    put(c, item);
    put(c, Map.of("pk", s("client#" + account + "#" + clientOrderId), "orderId", s(orderId)));
  }

  private static void put(DynamoDbClient c, Map<String, AttributeValue> item) {
    c.putItem(r -> r.tableName(TABLE).item(item));
  }

  private static AttributeValue s(String v) {
    return AttributeValue.fromS(v);
  }

  private static AttributeValue n(String v) {
    return AttributeValue.fromN(v);
  }
}

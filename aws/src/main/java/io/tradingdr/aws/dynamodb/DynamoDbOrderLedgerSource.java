package io.tradingdr.aws.dynamodb;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradingdr.aws.common.AwsErrors;
import io.tradingdr.aws.common.RegionMaps;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.core.rpo.OrderLedgerSource;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemResponse;
import software.amazon.awssdk.services.dynamodb.model.KeysAndAttributes;
import software.amazon.awssdk.services.dynamodb.model.ScanRequest;

/**
 * {@link OrderLedgerSource} over the orders of a DynamoDB global table, read in one region's
 * replica (the table contract of the service's DynamoDbOrdersTable: order items {@code pk =
 * "order#<orderId>"}, idempotency items {@code pk = "client#<accountId>#<clientOrderId>"}).
 *
 * <p>After a failover away from a region, what is lost are the writes that region's replica
 * accepted and had not replicated yet. {@link #committedSince} reads them from that replica once it
 * answers again: a {@code Scan} with {@code ConsistentRead} and a filter on {@code createdAt} (the
 * {@code byAccount} index is per account, so it cannot list every account's recent orders). {@link
 * #present} looks them up in the new writer's replica with a consistent {@code BatchGetItem} of the
 * order items and the idempotency items, so an order replayed under a new id counts as present.
 *
 * <p>The scan reads the whole table (every page), which costs read capacity in proportion to the
 * table's size; it runs once per ledger. {@link UnreachableException}: the replica did not answer.
 */
public final class DynamoDbOrderLedgerSource implements OrderLedgerSource {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** BatchGetItem takes up to 100 keys: 50 orders, two keys each. */
  private static final int ORDERS_PER_BATCH = 50;

  private static final int MAX_UNPROCESSED_ROUNDS = 8;

  private final String table;
  private final Map<RegionId, DynamoDbClient> replicas;

  /**
   * @param table the orders table's name (the same in every region)
   * @param replicas each region's DynamoDB client
   */
  public DynamoDbOrderLedgerSource(String table, Map<RegionId, DynamoDbClient> replicas) {
    this.table = Objects.requireNonNull(table, "table");
    this.replicas = Map.copyOf(new LinkedHashMap<>(replicas));
    if (this.replicas.isEmpty()) {
      throw new IllegalArgumentException("at least one region's DynamoDB client is required");
    }
  }

  @Override
  public List<CommittedOrder> committedSince(RegionId region, Instant since) {
    DynamoDbClient dynamoDb = client(region);
    ScanRequest request =
        ScanRequest.builder()
            .tableName(table)
            .consistentRead(true)
            .filterExpression("begins_with(pk, :order) AND createdAt >= :since")
            .expressionAttributeValues(
                Map.of(
                    ":order", AttributeValue.fromS("order#"),
                    ":since", AttributeValue.fromN(Long.toString(since.toEpochMilli()))))
            .build();
    List<CommittedOrder> orders = new ArrayList<>();
    try {
      dynamoDb.scanPaginator(request).items().forEach(item -> orders.add(order(item)));
    } catch (SdkException e) {
      throw AwsErrors.translate("dynamodb:Scan " + table + " in " + region, e);
    }
    orders.sort(
        Comparator.comparing(CommittedOrder::committedAt).thenComparing(CommittedOrder::orderId));
    return orders;
  }

  @Override
  public Set<String> present(RegionId region, Collection<CommittedOrder> orders) {
    DynamoDbClient dynamoDb = client(region);
    List<CommittedOrder> all = List.copyOf(orders);
    Set<String> present = new HashSet<>();
    for (int from = 0; from < all.size(); from += ORDERS_PER_BATCH) {
      List<CommittedOrder> batch = all.subList(from, Math.min(all.size(), from + ORDERS_PER_BATCH));
      Map<String, String> orderOfKey = new HashMap<>();
      for (CommittedOrder o : batch) {
        orderOfKey.put("order#" + o.orderId(), o.orderId());
        orderOfKey.put("client#" + o.account() + "#" + o.clientOrderId(), o.orderId());
      }
      for (String pk : found(dynamoDb, region, orderOfKey.keySet())) {
        present.add(orderOfKey.get(pk));
      }
    }
    return present;
  }

  /** The keys among {@code pks} that exist, read consistently, retrying unprocessed keys. */
  private Set<String> found(DynamoDbClient dynamoDb, RegionId region, Set<String> pks) {
    Set<String> found = new HashSet<>();
    List<Map<String, AttributeValue>> pending = new ArrayList<>();
    pks.forEach(pk -> pending.add(Map.of("pk", AttributeValue.fromS(pk))));
    for (int round = 0; !pending.isEmpty(); round++) {
      if (round == MAX_UNPROCESSED_ROUNDS) {
        throw new UnreachableException(
            "dynamodb:BatchGetItem "
                + table
                + " in "
                + region
                + ": "
                + pending.size()
                + " keys still unprocessed after "
                + round
                + " rounds (throttled)");
      }
      if (round > 0) {
        sleep(Duration.ofMillis(50L << Math.min(round, 5)));
      }
      List<Map<String, AttributeValue>> keys = List.copyOf(pending);
      BatchGetItemResponse response;
      try {
        response =
            dynamoDb.batchGetItem(
                r ->
                    r.requestItems(
                        Map.of(
                            table,
                            KeysAndAttributes.builder()
                                .keys(keys)
                                .consistentRead(true)
                                .projectionExpression("pk")
                                .build())));
      } catch (SdkException e) {
        throw AwsErrors.translate("dynamodb:BatchGetItem " + table + " in " + region, e);
      }
      response
          .responses()
          .getOrDefault(table, List.of())
          .forEach(item -> found.add(item.get("pk").s()));
      pending.clear();
      KeysAndAttributes unprocessed = response.unprocessedKeys().get(table);
      if (unprocessed != null) {
        pending.addAll(unprocessed.keys());
      }
    }
    return found;
  }

  /** An order item as a ledger entry; the body is the order in the service's request format. */
  static CommittedOrder order(Map<String, AttributeValue> item) {
    ObjectNode body = JSON.createObjectNode();
    body.put("clientOrderId", s(item, "clientOrderId"));
    body.put("accountId", s(item, "accountId"));
    body.put("symbol", s(item, "symbol"));
    body.put("side", s(item, "side"));
    body.put("type", s(item, "orderType"));
    body.put("quantity", Long.parseLong(n(item, "quantity")));
    if (item.containsKey("limitPrice")) {
      body.put("limitPrice", new BigDecimal(s(item, "limitPrice")));
    }
    return new CommittedOrder(
        s(item, "orderId"),
        s(item, "clientOrderId"),
        s(item, "accountId"),
        Instant.ofEpochMilli(Long.parseLong(n(item, "createdAt"))),
        item.containsKey("epoch") ? Long.parseLong(n(item, "epoch")) : 0L,
        body.toString());
  }

  private static String s(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null || v.s() == null) {
      throw new IllegalStateException(
          "order item " + pkOf(item) + " has no string attribute '" + name + "'");
    }
    return v.s();
  }

  private static String n(Map<String, AttributeValue> item, String name) {
    AttributeValue v = item.get(name);
    if (v == null || v.n() == null) {
      throw new IllegalStateException(
          "order item " + pkOf(item) + " has no number attribute '" + name + "'");
    }
    return v.n();
  }

  private static String pkOf(Map<String, AttributeValue> item) {
    AttributeValue pk = item.get("pk");
    return pk == null ? "?" : pk.s();
  }

  private DynamoDbClient client(RegionId region) {
    return RegionMaps.require(replicas, region, " has no replica of " + table);
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted while retrying unprocessed keys", e);
    }
  }
}

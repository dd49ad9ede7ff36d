package io.tradingdr.service.orders;

import io.tradingdr.service.db.DatabaseUnavailableException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import software.amazon.awssdk.awscore.AwsRequestOverrideConfiguration;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;

/**
 * Orders in a DynamoDB table (a global table in profiles warm-standby and serverless-alb), schema
 * {@link DynamoDbOrdersTable}. Two kinds of items:
 *
 * <ul>
 *   <li>the order, {@code pk = "order#<orderId>"}: orderId, clientOrderId, accountId, createdKey
 *       ({@code <createdAt epoch ms, 13 digits>#<orderId>}), symbol, side, orderType, quantity (N),
 *       limitPrice (S, plain decimal, absent for MARKET), status, region, epoch (N), requestHash,
 *       createdAt and updatedAt (N, epoch ms), and once cancelled cancelRegion and cancelEpoch (N);
 *   <li>the idempotency item, {@code pk = "client#<accountId>#<clientOrderId>"} with attribute
 *       orderId only (no accountId, so it stays out of the sparse byAccount index).
 * </ul>
 *
 * <p>{@link #insertIfAbsent} writes both items in one TransactWriteItems, each conditional on
 * {@code attribute_not_exists(pk)}: they appear together or not at all, and a second order under
 * the same clientOrderId fails the idempotency item's condition, after which the stored order is
 * read back. The transaction's client token is the new orderId, so an SDK retry of a transaction
 * that did commit is answered as a success, not as a duplicate. {@link #cancel} is an UpdateItem
 * conditional on the status and the account. {@link #find} and the reads after a failed condition
 * are strongly consistent. {@link #list} queries the byAccount index, which DynamoDB keeps
 * <b>eventually consistent</b>: a page may miss an order acknowledged a moment ago (and, in a
 * global table, orders still replicating from the other region).
 *
 * <p>DynamoDB has no read-only mode: every replica of a global table accepts writes, so the write
 * fence (the control-store lease) is the only guard against two writing regions. Conditions and
 * strongly consistent reads hold within the region that serves them; a global table reconciles
 * concurrent writes from two regions by last writer wins, one more reason only one region may
 * write. Readiness reports the table's status (DescribeTable) and its replicas. Any SDK failure,
 * timeout included, is {@link DatabaseUnavailableException}. Every call is bounded: writes by the
 * caller's timeout, reads by {@value #READ_TIMEOUT_SECONDS} s.
 */
public final class DynamoDbOrderStore implements OrderStore {

  private static final String ORDER_PREFIX = "order#";
  private static final String CLIENT_PREFIX = "client#";
  private static final Pattern CREATED_KEY =
      Pattern.compile("\\d{13}#[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final int READ_TIMEOUT_SECONDS = 5;
  private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
  private static final int MAX_CONFLICT_ATTEMPTS = 3;
  private static final String PK = DynamoDbOrdersTable.PARTITION_KEY;

  private final DynamoDbClient client;
  private final String tableName;
  private final Clock clock;
  private final AtomicLong lastCreatedMillis = new AtomicLong();

  public DynamoDbOrderStore(DynamoDbClient client, String tableName, Clock clock) {
    this.client = client;
    this.tableName = tableName;
    this.clock = clock;
  }

  @Override
  public String engine() {
    return "dynamodb";
  }

  public String tableName() {
    return tableName;
  }

  @Override
  public Stored insertIfAbsent(
      OrderRequest request, UUID orderId, String region, long epoch, Duration timeout) {
    Instant created = Instant.ofEpochMilli(nextCreatedMillis());
    Order order =
        new Order(
            orderId,
            request.clientOrderId(),
            request.accountId(),
            request.symbol(),
            request.side(),
            request.type(),
            request.quantity(),
            request.limitPrice(),
            OrderStatus.NEW,
            region,
            epoch,
            request.fingerprint(),
            created,
            created);
    Map<String, AttributeValue> clientItem =
        Map.of(
            PK,
            s(clientKey(request.accountId(), request.clientOrderId())),
            "orderId",
            s(orderId.toString()));
    long deadline = System.nanoTime() + timeout.toNanos();
    for (int attempt = 1; ; attempt++) {
      Duration left = Duration.ofNanos(Math.max(1_000_000, deadline - System.nanoTime()));
      try {
        client.transactWriteItems(
            r ->
                r.clientRequestToken(orderId.toString())
                    .transactItems(
                        TransactWriteItem.builder().put(newItem(toItem(order))).build(),
                        TransactWriteItem.builder().put(newItem(clientItem)).build())
                    .overrideConfiguration(c -> c.apiCallTimeout(left)));
        return new Stored(order, true);
      } catch (TransactionCanceledException e) {
        List<String> reasons =
            e.cancellationReasons().stream().map(CancellationReason::code).toList();
        boolean duplicate = reasons.size() == 2 && "ConditionalCheckFailed".equals(reasons.get(1));
        // Another transaction on the same clientOrderId is in flight: its outcome decides.
        boolean conflict = reasons.contains("TransactionConflict");
        if (duplicate || conflict) {
          Optional<Order> existing = findByClientOrderId(request);
          if (existing.isPresent()) {
            return new Stored(existing.get(), existing.get().orderId().equals(orderId));
          }
        }
        if (!conflict || attempt >= MAX_CONFLICT_ATTEMPTS || System.nanoTime() >= deadline) {
          throw unavailable("insert order (" + String.join(", ", reasons) + ")", e);
        }
      } catch (SdkException e) {
        throw unavailable("insert order", e);
      }
    }
  }

  /** Strictly increasing in this process, so one writer's orders list in acknowledgement order. */
  private long nextCreatedMillis() {
    long now = clock.millis();
    return lastCreatedMillis.updateAndGet(last -> Math.max(now, last + 1));
  }

  private Put newItem(Map<String, AttributeValue> item) {
    return Put.builder()
        .tableName(tableName)
        .item(item)
        .conditionExpression("attribute_not_exists(#pk)")
        .expressionAttributeNames(Map.of("#pk", PK))
        .build();
  }

  private Optional<Order> findByClientOrderId(OrderRequest request) {
    Map<String, AttributeValue> clientItem =
        get(clientKey(request.accountId(), request.clientOrderId()), "read idempotency item");
    if (clientItem == null || !clientItem.containsKey("orderId")) {
      return Optional.empty();
    }
    return find(UUID.fromString(clientItem.get("orderId").s()));
  }

  @Override
  public Optional<Order> find(UUID orderId) {
    Map<String, AttributeValue> item = get(orderKey(orderId), "read order");
    return item == null ? Optional.empty() : Optional.of(fromItem(item));
  }

  /** A strongly consistent GetItem; null when there is no such item. */
  private Map<String, AttributeValue> get(String pk, String action) {
    try {
      var response =
          client.getItem(
              r ->
                  r.tableName(tableName)
                      .key(Map.of(PK, s(pk)))
                      .consistentRead(true)
                      .overrideConfiguration(readTimeout()));
      return response.hasItem() && !response.item().isEmpty() ? response.item() : null;
    } catch (SdkException e) {
      throw unavailable(action, e);
    }
  }

  /**
   * Queries the byAccount index newest first, after the cursor's createdKey. The index is
   * eventually consistent: see the class comment.
   */
  @Override
  public OrderPage list(String accountId, int limit, Optional<String> cursor) {
    Optional<String> before = cursor.map(c -> OrderCursor.decode(OrderCursor.CREATED_KEY, c));
    if (before.isPresent() && !CREATED_KEY.matcher(before.get()).matches()) {
      throw new InvalidCursorException();
    }
    Map<String, String> names = new HashMap<>();
    names.put("#a", DynamoDbOrdersTable.ACCOUNT_ID);
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":a", s(accountId));
    before.ifPresent(
        k -> {
          names.put("#k", DynamoDbOrdersTable.CREATED_KEY);
          values.put(":k", s(k));
        });
    String condition = before.isPresent() ? "#a = :a AND #k < :k" : "#a = :a";
    List<Order> orders = new ArrayList<>();
    Map<String, AttributeValue> startKey = null;
    try {
      do {
        Map<String, AttributeValue> from = startKey;
        QueryResponse page =
            client.query(
                r ->
                    r.tableName(tableName)
                        .indexName(DynamoDbOrdersTable.BY_ACCOUNT_INDEX)
                        .keyConditionExpression(condition)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values)
                        .scanIndexForward(false)
                        .limit(limit + 1 - orders.size())
                        .exclusiveStartKey(from)
                        .overrideConfiguration(readTimeout()));
        page.items().forEach(item -> orders.add(fromItem(item)));
        startKey =
            page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
                ? page.lastEvaluatedKey()
                : null;
      } while (startKey != null && orders.size() <= limit);
    } catch (SdkException e) {
      throw unavailable("list orders", e);
    }
    boolean more = orders.size() > limit;
    List<Order> shown = more ? orders.subList(0, limit) : orders;
    Optional<String> next =
        more
            ? Optional.of(
                OrderCursor.encode(OrderCursor.CREATED_KEY, createdKey(shown.get(limit - 1))))
            : Optional.empty();
    return new OrderPage(List.copyOf(shown), next);
  }

  /**
   * Reads the order (strongly consistent), then moves it along {@link OrderStatus.Transition} with
   * an UpdateItem conditional on its status and account; a lost race with another cancel returns
   * the cancelled order.
   */
  @Override
  public Optional<Order> cancel(
      UUID orderId, String accountId, String region, long epoch, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Optional<Order> found = find(orderId);
    if (found.isEmpty() || !found.get().accountId().equals(accountId)) {
      return Optional.empty();
    }
    Order current = found.get();
    if (current.status() == OrderStatus.CANCELLED) {
      return found;
    }
    OrderStatus.Transition transition =
        OrderStatus.Transition.of(current.status(), OrderStatus.CANCELLED);
    // The read and the update together stay within the permit's time.
    Duration left = Duration.ofNanos(deadline - System.nanoTime());
    if (left.compareTo(Duration.ofMillis(1)) < 0) {
      throw new DatabaseUnavailableException(
          "cancel order: the write permit's time ran out before the update; nothing was changed",
          null);
    }
    try {
      var response =
          client.updateItem(
              r ->
                  r.tableName(tableName)
                      .key(Map.of(PK, s(orderKey(orderId))))
                      .updateExpression(
                          "SET #s = :to, updatedAt = :now, cancelRegion = :r, cancelEpoch = :e")
                      .conditionExpression("#s = :from AND accountId = :acct")
                      .expressionAttributeNames(Map.of("#s", "status"))
                      .expressionAttributeValues(
                          Map.of(
                              ":to", s(transition.to().name()),
                              ":from", s(transition.from().name()),
                              ":now", n(Long.toString(clock.millis())),
                              ":r", s(region),
                              ":e", n(Long.toString(epoch)),
                              ":acct", s(accountId)))
                      .returnValues(ReturnValue.ALL_NEW)
                      .overrideConfiguration(c -> c.apiCallTimeout(left)));
      return Optional.of(fromItem(response.attributes()));
    } catch (ConditionalCheckFailedException e) {
      Optional<Order> now = find(orderId);
      if (now.isPresent() && now.get().status() == OrderStatus.CANCELLED) {
        return now;
      }
      throw unavailable("cancel order (its status changed meanwhile)", e);
    } catch (SdkException e) {
      throw unavailable("cancel order", e);
    }
  }

  /**
   * Reachable when DescribeTable answers with an ACTIVE or UPDATING table. Always READ_WRITE: a
   * DynamoDB table has no read-only mode, the write fence is the only guard.
   */
  @Override
  public StoreHealth health() {
    TableDescription table;
    try {
      table =
          client
              .describeTable(
                  r ->
                      r.tableName(tableName)
                          .overrideConfiguration(c -> c.apiCallTimeout(HEALTH_TIMEOUT)))
              .table();
    } catch (ResourceNotFoundException e) {
      return StoreHealth.unreachable(engine(), "DynamoDB table " + tableName + " does not exist");
    } catch (SdkException e) {
      return StoreHealth.unreachable(engine(), unavailable("readiness check", e).getMessage());
    }
    String status = table.tableStatusAsString();
    if (!"ACTIVE".equals(status) && !"UPDATING".equals(status)) {
      return StoreHealth.unreachable(
          engine(), "DynamoDB table " + tableName + " is " + status + ", not ACTIVE");
    }
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("table", tableName);
    details.put("tableStatus", status);
    details.put(
        "replicaRegions", table.replicas().stream().map(r -> r.regionName()).sorted().toList());
    details.put("writeGuard", "write fence only: a DynamoDB table has no read-only mode");
    return StoreHealth.reachable(engine(), StoreHealth.Mode.READ_WRITE, details);
  }

  private static String orderKey(UUID orderId) {
    return ORDER_PREFIX + orderId;
  }

  private static String clientKey(String accountId, String clientOrderId) {
    return CLIENT_PREFIX + accountId + "#" + clientOrderId;
  }

  private static String createdKey(Order order) {
    return String.format("%013d#%s", order.createdAt().toEpochMilli(), order.orderId());
  }

  private static Map<String, AttributeValue> toItem(Order order) {
    Map<String, AttributeValue> item = new HashMap<>();
    item.put(PK, s(orderKey(order.orderId())));
    item.put("orderId", s(order.orderId().toString()));
    item.put("clientOrderId", s(order.clientOrderId()));
    item.put(DynamoDbOrdersTable.ACCOUNT_ID, s(order.accountId()));
    item.put(DynamoDbOrdersTable.CREATED_KEY, s(createdKey(order)));
    item.put("symbol", s(order.symbol()));
    item.put("side", s(order.side().name()));
    item.put("orderType", s(order.type().name()));
    item.put("quantity", n(Long.toString(order.quantity())));
    order.limitPrice().ifPresent(p -> item.put("limitPrice", s(p.toPlainString())));
    item.put("status", s(order.status().name()));
    item.put("region", s(order.region()));
    item.put("epoch", n(Long.toString(order.epoch())));
    item.put("requestHash", s(order.fingerprint()));
    item.put("createdAt", n(Long.toString(order.createdAt().toEpochMilli())));
    item.put("updatedAt", n(Long.toString(order.updatedAt().toEpochMilli())));
    return item;
  }

  private static Order fromItem(Map<String, AttributeValue> item) {
    return new Order(
        UUID.fromString(item.get("orderId").s()),
        item.get("clientOrderId").s(),
        item.get(DynamoDbOrdersTable.ACCOUNT_ID).s(),
        item.get("symbol").s(),
        Side.valueOf(item.get("side").s()),
        OrderType.valueOf(item.get("orderType").s()),
        Long.parseLong(item.get("quantity").n()),
        Optional.ofNullable(item.get("limitPrice")).map(v -> new BigDecimal(v.s())),
        OrderStatus.valueOf(item.get("status").s()),
        item.get("region").s(),
        Long.parseLong(item.get("epoch").n()),
        item.get("requestHash").s(),
        Instant.ofEpochMilli(Long.parseLong(item.get("createdAt").n())),
        Instant.ofEpochMilli(Long.parseLong(item.get("updatedAt").n())));
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(String value) {
    return AttributeValue.fromN(value);
  }

  private static Consumer<AwsRequestOverrideConfiguration.Builder> readTimeout() {
    return c -> c.apiCallTimeout(Duration.ofSeconds(READ_TIMEOUT_SECONDS));
  }

  private DatabaseUnavailableException unavailable(String action, SdkException e) {
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return new DatabaseUnavailableException(
        action
            + ": the order store (DynamoDB table "
            + tableName
            + ") did not answer or refused ("
            + reason.lines().findFirst().orElse(reason)
            + ")",
        e);
  }
}

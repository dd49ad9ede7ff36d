package io.tradingdr.aws.dynamodb;

import io.tradingdr.aws.common.AwsErrors;
import io.tradingdr.core.fence.WriteLease;
import io.tradingdr.core.port.ConflictException;
import io.tradingdr.core.port.ControlStore;
import io.tradingdr.core.port.JournalEntry;
import io.tradingdr.core.port.RunLease;
import io.tradingdr.core.region.Epoch;
import io.tradingdr.core.region.RegionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CancellationReason;
import software.amazon.awssdk.services.dynamodb.model.ConditionCheck;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.GetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.Put;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValue;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactionCanceledException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * {@link ControlStore} on one DynamoDB table (schema in {@link ControlTableSchema}): the write
 * lease and epoch, the orchestrator's run lease, the run journal and the operator switches.
 *
 * <p>Contract, as the ports state it: every write is one conditional write ({@code
 * ConditionExpression}) or one {@code TransactWriteItems}, so it is atomic; every read is {@code
 * ConsistentRead=true}. A failed condition is a {@link ConflictException} and nothing was written.
 * Throttling, 5xx and timeouts are retried by the SDK with backoff ({@link
 * io.tradingdr.aws.common.AwsClientSettings}) and then surface as {@link
 * io.tradingdr.core.port.UnreachableException} (outcome unknown); access denied or a missing table
 * is a {@link io.tradingdr.core.port.RefusedException}.
 *
 * <p>Time comes from the {@link Clock} given here: {@code expiresAt = clock.now + ttl}. A renewal
 * is conditional on the holder and the epoch only, not on the lease being unexpired: a writer that
 * missed renewals (a store blip longer than the TTL) takes its lease back when nobody revoked it,
 * instead of refusing writes until an operator acts. That is safe because nothing else can be
 * granted without a revocation, which moves the epoch, and the orchestrator waits {@code revokedAt
 * + ttl} after a revocation before it promotes: every renewal that won before the revocation has
 * run out by then.
 */
public final class DynamoDbControlStore implements ControlStore {

  private final DynamoDbClient dynamo;
  private final String table;
  private final Clock clock;

  public DynamoDbControlStore(DynamoDbClient dynamo, String table, Clock clock) {
    this.dynamo = Objects.requireNonNull(dynamo, "dynamo");
    this.table = ControlTableSchema.requireValidTableName(table);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  // ---- write lease ------------------------------------------------------------------------

  @Override
  public WriteLease read() {
    Map<String, AttributeValue> item =
        get(ControlTableSchema.WRITE_LEASE_PK, ControlTableSchema.SINGLETON_SK);
    return item == null ? WriteLease.revoked(Epoch.ZERO, Instant.EPOCH) : toWriteLease(item);
  }

  @Override
  public WriteLease renew(RegionId holder, Epoch epoch, Duration ttl) {
    requirePositive(ttl);
    Instant now = clock.instant();
    Instant expiresAt = now.plus(ttl);
    return call(
        "dynamodb:UpdateItem(write lease renew)",
        () ->
            toWriteLease(
                dynamo
                    .updateItem(
                        update(ControlTableSchema.WRITE_LEASE_PK)
                            .conditionExpression("#epoch = :epoch AND #holder = :holder")
                            .updateExpression(
                                "SET #expiresAt = :expiresAt, #updatedAt = :updatedAt")
                            .expressionAttributeNames(
                                names(
                                    "#epoch",
                                    "epoch",
                                    "#holder",
                                    "holder",
                                    "#expiresAt",
                                    "expiresAt",
                                    "#updatedAt",
                                    "updatedAt"))
                            .expressionAttributeValues(
                                Map.of(
                                    ":epoch", n(epoch.value()),
                                    ":holder", s(holder.value()),
                                    ":expiresAt", n(expiresAt.toEpochMilli()),
                                    ":updatedAt", s(now.toString())))
                            .build())
                    .attributes()),
        () ->
            "renew refused: "
                + holder
                + " at epoch "
                + epoch
                + " does not hold the write lease (stored: "
                + storedLease()
                + ")");
  }

  @Override
  public WriteLease revoke(Epoch expected) {
    Instant now = clock.instant();
    String condition =
        expected.value() == 0
            ? "attribute_not_exists(pk) OR #epoch = :expected"
            : "#epoch = :expected";
    return call(
        "dynamodb:UpdateItem(write lease revoke)",
        () ->
            toWriteLease(
                dynamo
                    .updateItem(
                        update(ControlTableSchema.WRITE_LEASE_PK)
                            .conditionExpression(condition)
                            .updateExpression(
                                "SET #epoch = :next, #expiresAt = :now, #updatedAt = :updatedAt REMOVE #holder")
                            .expressionAttributeNames(
                                names(
                                    "#epoch",
                                    "epoch",
                                    "#holder",
                                    "holder",
                                    "#expiresAt",
                                    "expiresAt",
                                    "#updatedAt",
                                    "updatedAt"))
                            .expressionAttributeValues(
                                Map.of(
                                    ":expected", n(expected.value()),
                                    ":next", n(expected.next().value()),
                                    ":now", n(now.toEpochMilli()),
                                    ":updatedAt", s(now.toString())))
                            .build())
                    .attributes()),
        () -> "revoke refused: expected epoch " + expected + " but stored is " + storedLease());
  }

  @Override
  public WriteLease grant(RegionId region, Epoch expected, Duration ttl) {
    requirePositive(ttl);
    Instant now = clock.instant();
    String condition =
        expected.value() == 0
            ? "attribute_not_exists(pk) OR (#epoch = :expected AND attribute_not_exists(#holder))"
            : "#epoch = :expected AND attribute_not_exists(#holder)";
    return call(
        "dynamodb:UpdateItem(write lease grant)",
        () ->
            toWriteLease(
                dynamo
                    .updateItem(
                        update(ControlTableSchema.WRITE_LEASE_PK)
                            .conditionExpression(condition)
                            .updateExpression(
                                "SET #epoch = :next, #holder = :holder, #expiresAt = :expiresAt, #updatedAt = :updatedAt")
                            .expressionAttributeNames(
                                names(
                                    "#epoch",
                                    "epoch",
                                    "#holder",
                                    "holder",
                                    "#expiresAt",
                                    "expiresAt",
                                    "#updatedAt",
                                    "updatedAt"))
                            .expressionAttributeValues(
                                Map.of(
                                    ":expected", n(expected.value()),
                                    ":next", n(expected.next().value()),
                                    ":holder", s(region.value()),
                                    ":expiresAt", n(now.plus(ttl).toEpochMilli()),
                                    ":updatedAt", s(now.toString())))
                            .build())
                    .attributes()),
        () ->
            "grant refused: "
                + region
                + " needs a revoked lease at epoch "
                + expected
                + " but stored is "
                + storedLease());
  }

  // ---- run lease --------------------------------------------------------------------------

  @Override
  public Optional<RunLease> currentRunLease() {
    Map<String, AttributeValue> item =
        get(ControlTableSchema.RUN_LEASE_PK, ControlTableSchema.SINGLETON_SK);
    return Optional.ofNullable(item).map(DynamoDbControlStore::toRunLease);
  }

  @Override
  public RunLease acquireRunLease(String owner, Duration ttl) {
    requireText("owner", owner);
    requirePositive(ttl);
    Instant now = clock.instant();
    RunLease lease = new RunLease(owner, UUID.randomUUID().toString(), now.plus(ttl));
    return call(
        "dynamodb:UpdateItem(run lease acquire)",
        () -> {
          dynamo.updateItem(
              update(ControlTableSchema.RUN_LEASE_PK)
                  .conditionExpression(
                      "attribute_not_exists(pk) OR #expiresAt <= :now OR #owner = :owner")
                  .updateExpression(
                      "SET #owner = :owner, #token = :token, #expiresAt = :expiresAt, #updatedAt = :updatedAt")
                  .expressionAttributeNames(
                      names(
                          "#owner",
                          "owner",
                          "#token",
                          "token",
                          "#expiresAt",
                          "expiresAt",
                          "#updatedAt",
                          "updatedAt"))
                  .expressionAttributeValues(
                      Map.of(
                          ":owner", s(owner),
                          ":token", s(lease.token()),
                          ":now", n(now.toEpochMilli()),
                          ":expiresAt", n(lease.expiresAt().toEpochMilli()),
                          ":updatedAt", s(now.toString())))
                  .build());
          return lease;
        },
        () -> "run lease held by someone else: " + storedRunLease());
  }

  @Override
  public RunLease renewRunLease(RunLease lease, Duration ttl) {
    Objects.requireNonNull(lease, "lease");
    requirePositive(ttl);
    Instant now = clock.instant();
    RunLease renewed = new RunLease(lease.owner(), lease.token(), now.plus(ttl));
    return call(
        "dynamodb:UpdateItem(run lease renew)",
        () -> {
          dynamo.updateItem(
              update(ControlTableSchema.RUN_LEASE_PK)
                  .conditionExpression("#token = :token")
                  .updateExpression("SET #expiresAt = :expiresAt, #updatedAt = :updatedAt")
                  .expressionAttributeNames(
                      names(
                          "#token", "token", "#expiresAt", "expiresAt", "#updatedAt", "updatedAt"))
                  .expressionAttributeValues(
                      Map.of(
                          ":token", s(lease.token()),
                          ":expiresAt", n(renewed.expiresAt().toEpochMilli()),
                          ":updatedAt", s(now.toString())))
                  .build());
          return renewed;
        },
        () -> "run lease of " + lease.owner() + " was lost: now " + storedRunLease());
  }

  @Override
  public void releaseRunLease(RunLease lease) {
    Objects.requireNonNull(lease, "lease");
    try {
      dynamo.deleteItem(
          r ->
              r.tableName(table)
                  .key(
                      ControlTableSchema.key(
                          ControlTableSchema.RUN_LEASE_PK, ControlTableSchema.SINGLETON_SK))
                  .conditionExpression("#token = :token")
                  .expressionAttributeNames(Map.of("#token", "token"))
                  .expressionAttributeValues(Map.of(":token", s(lease.token()))));
    } catch (ConditionalCheckFailedException gone) {
      // Released already, or taken over after expiry: either way it is not ours to delete.
    } catch (SdkException e) {
      throw AwsErrors.translate("dynamodb:DeleteItem(run lease release)", e);
    }
  }

  // ---- run journal ------------------------------------------------------------------------

  @Override
  public void append(JournalEntry entry) {
    Objects.requireNonNull(entry, "entry");
    List<TransactWriteItem> items = new ArrayList<>();
    String runPk = ControlTableSchema.runPk(entry.runId());
    if (entry.sequence() > 0) {
      items.add(
          TransactWriteItem.builder()
              .conditionCheck(
                  ConditionCheck.builder()
                      .tableName(table)
                      .key(
                          ControlTableSchema.key(
                              runPk, ControlTableSchema.sequenceSk(entry.sequence() - 1)))
                      .conditionExpression("attribute_exists(pk)")
                      .build())
              .build());
    }
    items.add(
        TransactWriteItem.builder()
            .put(
                Put.builder()
                    .tableName(table)
                    .item(toItem(entry))
                    .conditionExpression("attribute_not_exists(pk)")
                    .build())
            .build());
    if (entry.sequence() == 0) {
      // The run index lets recentRuns() list runs newest first with one Query.
      items.add(
          TransactWriteItem.builder()
              .put(
                  Put.builder()
                      .tableName(table)
                      .item(
                          Map.of(
                              "pk", s(ControlTableSchema.RUN_INDEX_PK),
                              "sk", s(ControlTableSchema.runIndexSk(entry.at(), entry.runId())),
                              "runId", s(entry.runId()),
                              "startedAt", s(entry.at().toString())))
                      .conditionExpression("attribute_not_exists(pk)")
                      .build())
              .build());
    }
    try {
      dynamo.transactWriteItems(r -> r.transactItems(items));
    } catch (TransactionCanceledException e) {
      resolveCancelledAppend(entry, e);
    } catch (SdkException e) {
      throw AwsErrors.translate("dynamodb:TransactWriteItems(journal append)", e);
    }
  }

  private void resolveCancelledAppend(JournalEntry entry, TransactionCanceledException e) {
    List<CancellationReason> reasons =
        e.hasCancellationReasons() ? e.cancellationReasons() : List.of();
    boolean conditionFailed =
        reasons.stream().anyMatch(r -> "ConditionalCheckFailed".equals(r.code()));
    if (!conditionFailed) {
      throw AwsErrors.translate("dynamodb:TransactWriteItems(journal append)", e);
    }
    Map<String, AttributeValue> stored =
        get(
            ControlTableSchema.runPk(entry.runId()),
            ControlTableSchema.sequenceSk(entry.sequence()));
    if (stored != null) {
      JournalEntry existing = toEntry(stored);
      if (existing.equals(entry)) {
        return;
      }
      throw new ConflictException(
          "journal conflict: run "
              + entry.runId()
              + " already has a different entry at sequence "
              + entry.sequence()
              + " ("
              + existing.step()
              + " "
              + existing.phase()
              + ")",
          e);
    }
    throw new ConflictException(
        "journal gap: run "
            + entry.runId()
            + " has no entry at sequence "
            + (entry.sequence() - 1)
            + ", so "
            + entry.sequence()
            + " cannot be appended",
        e);
  }

  @Override
  public List<JournalEntry> entries(String runId) {
    requireText("runId", runId);
    List<JournalEntry> result = new ArrayList<>();
    Map<String, AttributeValue> startKey = null;
    do {
      Map<String, AttributeValue> from = startKey;
      QueryResponse page =
          call(
              "dynamodb:Query(journal entries)",
              () ->
                  dynamo.query(
                      QueryRequest.builder()
                          .tableName(table)
                          .consistentRead(true)
                          .keyConditionExpression("pk = :pk")
                          .expressionAttributeValues(
                              Map.of(":pk", s(ControlTableSchema.runPk(runId))))
                          .exclusiveStartKey(from)
                          .build()),
              () -> "unexpected condition on a query");
      page.items().forEach(item -> result.add(toEntry(item)));
      startKey =
          page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty()
              ? page.lastEvaluatedKey()
              : null;
    } while (startKey != null);
    return List.copyOf(result);
  }

  @Override
  public List<String> recentRuns(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1, was " + limit);
    }
    QueryResponse page =
        call(
            "dynamodb:Query(recent runs)",
            () ->
                dynamo.query(
                    QueryRequest.builder()
                        .tableName(table)
                        .consistentRead(true)
                        .keyConditionExpression("pk = :pk")
                        .expressionAttributeValues(
                            Map.of(":pk", s(ControlTableSchema.RUN_INDEX_PK)))
                        .scanIndexForward(false)
                        .limit(limit)
                        .build()),
            () -> "unexpected condition on a query");
    return page.items().stream().map(item -> item.get("runId").s()).toList();
  }

  // ---- switches ---------------------------------------------------------------------------

  @Override
  public Optional<String> automaticFailoverPausedBecause() {
    Map<String, AttributeValue> item =
        get(ControlTableSchema.SWITCH_AUTOMATIC_FAILOVER_PK, ControlTableSchema.SINGLETON_SK);
    if (item == null || !Boolean.TRUE.equals(item.get("paused").bool())) {
      return Optional.empty();
    }
    return Optional.of(item.get("reason").s());
  }

  @Override
  public void pauseAutomaticFailover(String reason) {
    requireText("reason", reason);
    setSwitch(true, reason);
  }

  @Override
  public void resumeAutomaticFailover() {
    setSwitch(false, "resumed");
  }

  private void setSwitch(boolean paused, String reason) {
    Instant now = clock.instant();
    call(
        "dynamodb:UpdateItem(automatic failover switch)",
        () ->
            dynamo.updateItem(
                update(ControlTableSchema.SWITCH_AUTOMATIC_FAILOVER_PK)
                    .updateExpression(
                        "SET #paused = :paused, #reason = :reason, #updatedAt = :updatedAt")
                    .expressionAttributeNames(
                        names("#paused", "paused", "#reason", "reason", "#updatedAt", "updatedAt"))
                    .expressionAttributeValues(
                        Map.of(
                            ":paused", AttributeValue.fromBool(paused),
                            ":reason", s(reason),
                            ":updatedAt", s(now.toString())))
                    .build()),
        () -> "unexpected condition on an unconditional write");
  }

  // ---- mapping ----------------------------------------------------------------------------

  private UpdateItemRequest.Builder update(String pk) {
    return UpdateItemRequest.builder()
        .tableName(table)
        .key(ControlTableSchema.key(pk, ControlTableSchema.SINGLETON_SK))
        .returnValues(ReturnValue.ALL_NEW);
  }

  private Map<String, AttributeValue> get(String pk, String sk) {
    Map<String, AttributeValue> item =
        call(
            "dynamodb:GetItem",
            () ->
                dynamo
                    .getItem(
                        GetItemRequest.builder()
                            .tableName(table)
                            .key(ControlTableSchema.key(pk, sk))
                            .consistentRead(true)
                            .build())
                    .item(),
            () -> "unexpected condition on a read");
    return item == null || item.isEmpty() ? null : item;
  }

  private <T> T call(String operation, Supplier<T> action, Supplier<String> conflictReason) {
    try {
      return action.get();
    } catch (ConditionalCheckFailedException e) {
      throw new ConflictException(conflictReason.get(), e);
    } catch (SdkException e) {
      throw AwsErrors.translate(operation, e);
    }
  }

  private static WriteLease toWriteLease(Map<String, AttributeValue> item) {
    Epoch epoch = new Epoch(Long.parseLong(item.get("epoch").n()));
    Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(item.get("expiresAt").n()));
    AttributeValue holder = item.get("holder");
    return holder == null
        ? WriteLease.revoked(epoch, expiresAt)
        : WriteLease.held(RegionId.of(holder.s()), epoch, expiresAt);
  }

  private static RunLease toRunLease(Map<String, AttributeValue> item) {
    return new RunLease(
        item.get("owner").s(),
        item.get("token").s(),
        Instant.ofEpochMilli(Long.parseLong(item.get("expiresAt").n())));
  }

  private static Map<String, AttributeValue> toItem(JournalEntry entry) {
    Map<String, AttributeValue> attributes = new HashMap<>();
    entry.attributes().forEach((k, v) -> attributes.put(k, s(v)));
    Map<String, AttributeValue> item = new HashMap<>();
    item.put("pk", s(ControlTableSchema.runPk(entry.runId())));
    item.put("sk", s(ControlTableSchema.sequenceSk(entry.sequence())));
    item.put("runId", s(entry.runId()));
    item.put("sequence", n(entry.sequence()));
    item.put("at", s(entry.at().toString()));
    item.put("step", s(entry.step()));
    item.put("phase", s(entry.phase().name()));
    item.put("reason", s(entry.reason()));
    item.put("attributes", AttributeValue.fromM(attributes));
    return item;
  }

  private static JournalEntry toEntry(Map<String, AttributeValue> item) {
    Map<String, String> attributes = new LinkedHashMap<>();
    item.getOrDefault("attributes", AttributeValue.fromM(Map.of()))
        .m()
        .forEach((k, v) -> attributes.put(k, v.s()));
    return new JournalEntry(
        item.get("runId").s(),
        Long.parseLong(item.get("sequence").n()),
        Instant.parse(item.get("at").s()),
        item.get("step").s(),
        JournalEntry.Phase.valueOf(item.get("phase").s()),
        item.get("reason").s(),
        attributes);
  }

  /** The stored write lease for a refusal's message; a failed read must not hide the refusal. */
  private String storedLease() {
    try {
      return describe(read());
    } catch (RuntimeException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private String storedRunLease() {
    try {
      return currentRunLease()
          .map(l -> "held by " + l.owner() + " until " + l.expiresAt())
          .orElse("released");
    } catch (RuntimeException e) {
      return "unknown (" + e.getMessage() + ")";
    }
  }

  private static String describe(WriteLease lease) {
    return lease.holder().map(h -> "held by " + h).orElse("revoked")
        + " at epoch "
        + lease.epoch()
        + ", expires "
        + lease.expiresAt();
  }

  private static Map<String, String> names(String... pairs) {
    Map<String, String> names = new HashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      names.put(pairs[i], pairs[i + 1]);
    }
    return names;
  }

  private static AttributeValue s(String value) {
    return AttributeValue.fromS(value);
  }

  private static AttributeValue n(long value) {
    return AttributeValue.fromN(Long.toString(value));
  }

  private static void requirePositive(Duration ttl) {
    if (ttl == null || ttl.isNegative() || ttl.isZero()) {
      throw new IllegalArgumentException("ttl must be a positive duration, was " + ttl);
    }
  }

  private static void requireText(String name, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(name + " must not be blank");
    }
  }
}

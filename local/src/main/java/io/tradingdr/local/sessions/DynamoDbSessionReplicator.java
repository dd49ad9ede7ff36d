package io.tradingdr.local.sessions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DescribeTableResponse;
import software.amazon.awssdk.services.dynamodb.model.ExpiredIteratorException;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.OperationType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.Shard;
import software.amazon.awssdk.services.dynamodb.model.ShardIteratorType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;
import software.amazon.awssdk.services.dynamodb.model.TrimmedDataAccessException;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Replicates one DynamoDB table between two DynamoDB Local instances, the local stand-in for a
 * global table: each side's stream (NEW_AND_OLD_IMAGES) is applied to the other side with a
 * conditional write, so the version with the newer update timestamp wins whichever order the
 * changes arrive in (last writer wins; ties go to the region whose name sorts first). A change that
 * came from the replicator itself is recognised by its marker and not sent back.
 *
 * <p>Lag, per applied change, is the time from the item's update timestamp (written by the service,
 * epoch milliseconds) to the moment it was applied on the other side.
 */
public final class DynamoDbSessionReplicator implements AutoCloseable {

  /** Marks a replicated copy: {@code <origin region>@<update timestamp>}. */
  public static final String MARKER_ATTRIBUTE = "tdrReplicatedFrom";

  private static final Duration IDLE_POLL = Duration.ofMillis(25);
  private static final Duration SHARD_REFRESH = Duration.ofSeconds(1);

  private final Side first;
  private final Side second;
  private final String table;
  private final String timestampAttribute;
  private final Clock clock;
  private final LagRecorder lag = new LagRecorder(100_000);
  private final AtomicLong applied = new AtomicLong();
  private final AtomicLong skipped = new AtomicLong();
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean running;
  private volatile RuntimeException failure;

  /**
   * One region's table.
   *
   * @param region the region name (also the tie-breaker: smaller name wins equal timestamps)
   * @param client DynamoDB client for that region's endpoint
   * @param streams DynamoDB Streams client for the same endpoint
   */
  public record Side(String region, DynamoDbClient client, DynamoDbStreamsClient streams) {
    public Side {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(client, "client");
      Objects.requireNonNull(streams, "streams");
    }
  }

  /**
   * @param table the table name, the same in both regions
   * @param timestampAttribute the numeric attribute (epoch ms) the writer sets on every change
   */
  public DynamoDbSessionReplicator(
      Side first, Side second, String table, String timestampAttribute, Clock clock) {
    this.first = Objects.requireNonNull(first, "first");
    this.second = Objects.requireNonNull(second, "second");
    if (first.region().equals(second.region())) {
      throw new IllegalArgumentException("the two sides must be different regions");
    }
    this.table = Objects.requireNonNull(table, "table");
    this.timestampAttribute = Objects.requireNonNull(timestampAttribute, "timestampAttribute");
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /**
   * Waits until the table exists on both sides, turns its stream on where it is off, and starts one
   * replication thread per direction. Changes already in the streams are replayed (harmless: every
   * write is conditional on being newer).
   */
  public synchronized void start(Duration tableTimeout) {
    if (running) {
      return;
    }
    String firstStream = ensureStream(first, tableTimeout);
    String secondStream = ensureStream(second, tableTimeout);
    List<KeySchemaElement> key = describe(first).table().keySchema();
    running = true;
    workers.add(startWorker(first, firstStream, second, key));
    workers.add(startWorker(second, secondStream, first, key));
  }

  /** Stops both threads and waits for them. Idempotent. */
  @Override
  public synchronized void close() {
    running = false;
    for (Thread worker : workers) {
      worker.interrupt();
      try {
        worker.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    workers.clear();
  }

  /** Changes applied on the other side so far. */
  public long appliedCount() {
    return applied.get();
  }

  /** Changes not applied: echoes of our own writes, or older than what the other side holds. */
  public long skippedCount() {
    return skipped.get();
  }

  /** Replication lag of the applied changes. */
  public LagRecorder.Summary lag() {
    return lag.summary();
  }

  /** A mark for {@link #lagSince}: how many changes were applied so far. */
  public long lagMark() {
    return lag.mark();
  }

  /** Replication lag of the changes applied after {@code mark} (a drill run's own window). */
  public LagRecorder.Summary lagSince(long mark) {
    return lag.summarySince(mark);
  }

  /** The error that stopped a replication thread, if any. */
  public Optional<RuntimeException> failure() {
    return Optional.ofNullable(failure);
  }

  private String ensureStream(Side side, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        DescribeTableResponse described = describe(side);
        StreamSpecification spec = described.table().streamSpecification();
        if (spec != null
            && Boolean.TRUE.equals(spec.streamEnabled())
            && spec.streamViewType() == StreamViewType.NEW_AND_OLD_IMAGES) {
          return described.table().latestStreamArn();
        }
        side.client()
            .updateTable(
                b ->
                    b.tableName(table)
                        .streamSpecification(
                            s ->
                                s.streamEnabled(true)
                                    .streamViewType(StreamViewType.NEW_AND_OLD_IMAGES)));
      } catch (ResourceNotFoundException e) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "table " + table + " does not exist in " + side.region() + " after " + timeout, e);
        }
        sleep(Duration.ofMillis(100));
      }
    }
  }

  private DescribeTableResponse describe(Side side) {
    return side.client().describeTable(b -> b.tableName(table));
  }

  private Thread startWorker(Side from, String streamArn, Side to, List<KeySchemaElement> key) {
    Thread thread =
        Thread.ofPlatform()
            .daemon()
            .name("sessions-" + from.region() + "-to-" + to.region())
            .start(
                () -> {
                  try {
                    replicate(from, streamArn, to, key);
                  } catch (RuntimeException e) {
                    if (running) {
                      failure = e;
                    }
                  }
                });
    return thread;
  }

  private void replicate(Side from, String streamArn, Side to, List<KeySchemaElement> key) {
    Map<String, String> iterators = new LinkedHashMap<>();
    Set<String> finished = new HashSet<>();
    Instant nextRefresh = Instant.MIN;
    while (running) {
      if (clock.instant().isAfter(nextRefresh)) {
        for (Shard shard :
            from.streams()
                .describeStream(b -> b.streamArn(streamArn))
                .streamDescription()
                .shards()) {
          String id = shard.shardId();
          if (!iterators.containsKey(id) && !finished.contains(id)) {
            iterators.put(id, iterator(from, streamArn, id));
          }
        }
        nextRefresh = clock.instant().plus(SHARD_REFRESH);
      }
      boolean sawRecords = false;
      for (Map.Entry<String, String> entry : new ArrayList<>(iterators.entrySet())) {
        var response = pollShard(from, streamArn, entry.getKey(), entry.getValue(), iterators);
        if (response == null) {
          continue;
        }
        for (var record : response.records()) {
          sawRecords = true;
          apply(from, to, key, record);
        }
        if (response.nextShardIterator() == null) {
          iterators.remove(entry.getKey());
          finished.add(entry.getKey());
          nextRefresh = Instant.MIN;
        } else {
          iterators.put(entry.getKey(), response.nextShardIterator());
        }
      }
      if (!sawRecords) {
        sleep(IDLE_POLL);
      }
    }
  }

  private software.amazon.awssdk.services.dynamodb.model.GetRecordsResponse pollShard(
      Side from, String streamArn, String shardId, String iterator, Map<String, String> iterators) {
    try {
      return from.streams().getRecords(b -> b.shardIterator(iterator).limit(1000));
    } catch (ExpiredIteratorException | TrimmedDataAccessException e) {
      iterators.put(shardId, iterator(from, streamArn, shardId));
      return null;
    } catch (SdkClientException e) {
      // The region is unreachable (stopped or partitioned): retry; lag grows meanwhile.
      sleep(IDLE_POLL);
      return null;
    }
  }

  private static String iterator(Side side, String streamArn, String shardId) {
    return side.streams()
        .getShardIterator(
            b ->
                b.streamArn(streamArn)
                    .shardId(shardId)
                    .shardIteratorType(ShardIteratorType.TRIM_HORIZON))
        .shardIterator();
  }

  private void apply(
      Side from,
      Side to,
      List<KeySchemaElement> key,
      software.amazon.awssdk.services.dynamodb.model.Record record) {
    var change = record.dynamodb();
    boolean removal = record.eventName() == OperationType.REMOVE;
    Map<String, AttributeValue> image = removal ? change.oldImage() : change.newImage();
    if (image == null || image.isEmpty()) {
      skipped.incrementAndGet();
      return;
    }
    long timestamp = timestampOf(image);
    String origin = originOf(image, from.region(), timestamp);
    if (!origin.equals(from.region())) {
      // Our own replicated write, echoed by the other side's stream.
      skipped.incrementAndGet();
      return;
    }
    Map<String, String> names = new HashMap<>();
    Map<String, AttributeValue> values = new HashMap<>();
    names.put("#k", key.getFirst().attributeName());
    names.put("#t", timestampAttribute);
    names.put("#m", MARKER_ATTRIBUTE);
    values.put(":t", AttributeValue.fromN(Long.toString(timestamp)));
    values.put(":m", AttributeValue.fromS(origin + "@" + timestamp));
    // Newer wins; on a tie the region whose name sorts first wins. An item without our marker
    // was written by the target region itself.
    String tieWhenUnmarked =
        origin.compareTo(to.region()) < 0 ? " OR (#t = :t AND attribute_not_exists(#m))" : "";
    String condition =
        "attribute_not_exists(#k) OR attribute_not_exists(#t) OR #t < :t OR (#t = :t AND #m > :m)"
            + tieWhenUnmarked;
    try {
      if (removal) {
        Map<String, AttributeValue> keyOnly = new HashMap<>();
        key.forEach(k -> keyOnly.put(k.attributeName(), image.get(k.attributeName())));
        to.client()
            .deleteItem(
                b ->
                    b.tableName(table)
                        .key(keyOnly)
                        .conditionExpression("attribute_not_exists(#t) OR #t <= :t")
                        .expressionAttributeNames(Map.of("#t", timestampAttribute))
                        .expressionAttributeValues(Map.of(":t", values.get(":t"))));
      } else {
        Map<String, AttributeValue> copy = new HashMap<>(image);
        copy.put(MARKER_ATTRIBUTE, values.get(":m"));
        to.client()
            .putItem(
                b ->
                    b.tableName(table)
                        .item(copy)
                        .conditionExpression(condition)
                        .expressionAttributeNames(names)
                        .expressionAttributeValues(values));
      }
      applied.incrementAndGet();
      Instant changedAt =
          timestamp > 0 ? Instant.ofEpochMilli(timestamp) : change.approximateCreationDateTime();
      if (changedAt != null) {
        lag.record(Duration.between(changedAt, clock.instant()));
      }
    } catch (ConditionalCheckFailedException e) {
      skipped.incrementAndGet();
    }
  }

  private long timestampOf(Map<String, AttributeValue> image) {
    AttributeValue value = image.get(timestampAttribute);
    if (value == null || value.n() == null) {
      return 0;
    }
    try {
      return Long.parseLong(value.n());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * The region that made this version: the marker's region when the marker belongs to this very
   * version (same timestamp), else the region whose stream we read it from.
   */
  private static String originOf(Map<String, AttributeValue> image, String streamRegion, long ts) {
    AttributeValue marker = image.get(MARKER_ATTRIBUTE);
    if (marker != null && marker.s() != null) {
      int at = marker.s().lastIndexOf('@');
      if (at > 0 && marker.s().substring(at + 1).equals(Long.toString(ts))) {
        return marker.s().substring(0, at);
      }
    }
    return streamRegion;
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}

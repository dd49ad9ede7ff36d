package io.tradingdr.aws.dynamodb;

import io.tradingdr.aws.common.AwsErrors;
import io.tradingdr.aws.common.Polling;
import io.tradingdr.aws.common.Polling.Check;
import io.tradingdr.aws.common.RegionMaps;
import io.tradingdr.aws.common.ReplicationLag;
import io.tradingdr.core.fence.WriteLease;
import io.tradingdr.core.port.DatabaseReplication;
import io.tradingdr.core.port.PromotionMode;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.ReplicationStatus;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.port.Watermark;
import io.tradingdr.core.region.RegionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ReplicaDescription;
import software.amazon.awssdk.services.dynamodb.model.TableDescription;

/**
 * {@link DatabaseReplication} for orders in a DynamoDB global table (profiles warm-standby and
 * serverless-alb): one replica in each of the two regions, both writable, replicated
 * asynchronously.
 *
 * <ul>
 *   <li>{@link #status}: each replica's status from {@code DescribeTable} in its own region, and
 *       the lag from CloudWatch {@code AWS/DynamoDB ReplicationLatency} (milliseconds, dimensions
 *       {@code TableName} and {@code ReceivingRegion} = the standby) in the writer's region, where
 *       the sending replica publishes it. Watermarks are times, as for Aurora: the writer's is the
 *       newest datapoint's timestamp, the standby's that minus the lag. The lag is unknown (empty)
 *       when the standby replica is not {@code ACTIVE} or no datapoint came in the window: the
 *       metric only has datapoints while items replicate, so an idle table has no measured lag. The
 *       writer is the region holding the write lease; while the lease is revoked, the region this
 *       adapter last promoted.
 *   <li>{@link #fenceWriter}: a DynamoDB table has no read-only mode, so nothing is changed in
 *       DynamoDB. The write lease is the fence: this checks that {@code region} no longer holds it
 *       (the revoke step ran) and refuses otherwise; the region stops writing when its last renewal
 *       runs out, which the orchestrator waits for.
 *   <li>{@link #awaitCaughtUp}: puts a watermark item {@code pk = "watermark#<time>-<random>"} in
 *       the other (old writer's) region and polls a strongly consistent {@code GetItem} in {@code
 *       standby} until it is there. Items replicate in the order the stream holds them, so every
 *       write the old writer committed before the watermark has arrived too. The port carries no
 *       run id, so the item is named by time and a random suffix; it is deleted afterwards.
 *   <li>{@link #promote}: both replicas already accept writes (multi-active), so there is nothing
 *       to promote. It waits until the standby's table is {@code ACTIVE} and records the region as
 *       the designated writer; the write lease grant makes it the writer for the service.
 *   <li>{@link #rejoinAsStandby}: nothing to rebuild; DynamoDB resumes replication to a replica
 *       that comes back by itself. It waits until the old writer's replica is {@code ACTIVE} again
 *       in {@code DescribeTable}. Unlike a database rebuild it discards nothing: writes the old
 *       region accepted and had not replicated are sent once it recovers (last writer wins per
 *       item), which is why the RPO ledger is taken first.
 * </ul>
 *
 * <p>Errors: as everywhere in this module ({@link AwsErrors}); a wait past its timeout is an {@link
 * UnreachableException} naming the last state seen.
 */
public final class DynamoDbGlobalTableReplication implements DatabaseReplication {

  private static final Logger LOG = LoggerFactory.getLogger(DynamoDbGlobalTableReplication.class);

  static final String LAG_NAMESPACE = "AWS/DynamoDB";
  static final String LAG_METRIC = "ReplicationLatency";
  static final String WATERMARK_PREFIX = "watermark#";

  /** One replica: its region and that region's clients. */
  public record Replica(RegionId region, DynamoDbClient dynamoDb, CloudWatchClient cloudWatch) {
    public Replica {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(dynamoDb, "dynamoDb");
      Objects.requireNonNull(cloudWatch, "cloudWatch");
    }
  }

  private final String table;
  private final Map<RegionId, Replica> replicas;
  private final RegionId configuredStandby;
  private final Supplier<WriteLease> lease;
  private final Duration lagWindow;
  private final Clock clock;
  private final Polling polling;
  private final AtomicReference<RegionId> designatedWriter = new AtomicReference<>();

  private DynamoDbGlobalTableReplication(Builder b) {
    this.table = b.table;
    this.replicas = Map.copyOf(b.replicas);
    this.configuredStandby = b.replicas.keySet().stream().skip(1).findFirst().orElseThrow();
    this.lease = b.lease;
    this.lagWindow = b.lagWindow;
    this.clock = b.clock;
    this.polling = new Polling(b.clock, b.pollInterval);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ReplicationStatus status() {
    Optional<RegionId> writer = writer();
    RegionId standby = writer.map(this::other).orElse(configuredStandby);
    boolean standbyActive = replicaActive(standby, standby);
    Optional<ReplicationLag> lag =
        standbyActive ? writer.flatMap(w -> lag(w, standby)) : Optional.empty();
    return new ReplicationStatus(
        writer,
        standby,
        lag.map(ReplicationLag::lag),
        lag.map(ReplicationLag::writerMark),
        lag.map(ReplicationLag::replayedMark),
        false);
  }

  @Override
  public void fenceWriter(RegionId region) {
    replica(region);
    WriteLease current = lease.get();
    if (current.isHeldBy(region)) {
      throw new RefusedException(
          "fenceWriter: a DynamoDB global table cannot be made read-only; the write lease is the"
              + " fence and "
              + region
              + " still holds it at epoch "
              + current.epoch()
              + ": revoke it first");
    }
    LOG.info(
        "fence-writer: {} cannot be made read-only in DynamoDB; its fence is the write lease, which"
            + " it no longer holds (epoch {}): it stops writing when its last renewal expires",
        region,
        current.epoch());
  }

  @Override
  public Watermark awaitCaughtUp(RegionId standby, Duration timeout) {
    Replica target = replica(standby);
    Replica source = replica(other(standby));
    Instant writtenAt = clock.instant();
    String pk = WATERMARK_PREFIX + writtenAt.toEpochMilli() + "-" + UUID.randomUUID();
    try {
      source
          .dynamoDb()
          .putItem(
              r ->
                  r.tableName(table)
                      .item(
                          Map.of(
                              "pk", AttributeValue.fromS(pk),
                              "writtenAt",
                                  AttributeValue.fromN(Long.toString(writtenAt.toEpochMilli())),
                              "region", AttributeValue.fromS(source.region().value()))));
    } catch (SdkException e) {
      throw AwsErrors.translate("dynamodb:PutItem " + pk + " in " + source.region(), e);
    }
    Watermark mark =
        polling.until(
            "replication of " + pk + " from " + source.region() + " to " + standby,
            timeout,
            () -> {
              boolean there;
              try {
                there =
                    target
                        .dynamoDb()
                        .getItem(
                            r ->
                                r.tableName(table)
                                    .key(Map.of("pk", AttributeValue.fromS(pk)))
                                    .consistentRead(true)
                                    .projectionExpression("pk"))
                        .hasItem();
              } catch (SdkException e) {
                throw AwsErrors.translate("dynamodb:GetItem in " + standby, e);
              }
              return there
                  ? Check.done(
                      ReplicationLag.watermark(writtenAt, pk + " replicated to " + standby),
                      "replicated")
                  : Check.notYet(pk + " not in " + standby + " yet");
            });
    try {
      source
          .dynamoDb()
          .deleteItem(r -> r.tableName(table).key(Map.of("pk", AttributeValue.fromS(pk))));
    } catch (SdkException e) {
      // The watermark did its job; a leftover item stays outside the account index.
      LOG.warn("could not delete {} in {}: {}", pk, source.region(), AwsErrors.rootMessage(e));
    }
    return mark;
  }

  @Override
  public void promote(RegionId standby, PromotionMode mode, Duration timeout) {
    Objects.requireNonNull(mode, "mode");
    replica(standby);
    polling.until(
        "table " + table + " active in " + standby,
        timeout,
        () -> {
          String status = tableStatus(standby);
          return "ACTIVE".equals(status)
              ? Check.done(Boolean.TRUE, status)
              : Check.notYet("table " + status);
        });
    designatedWriter.set(standby);
    LOG.info(
        "promote: nothing to promote, the global table {} accepts writes in every region ({});"
            + " {} is the designated writer, the write lease grant makes it the writer",
        table,
        mode,
        standby);
  }

  @Override
  public void rejoinAsStandby(RegionId oldWriter, RegionId newWriter, Duration timeout) {
    replica(oldWriter);
    replica(newWriter);
    polling.until(
        "replica of " + table + " in " + oldWriter + " active again",
        timeout,
        () -> {
          Optional<String> status = replicaStatus(newWriter, oldWriter);
          if (status.isEmpty()) {
            throw new RefusedException(
                "rejoinAsStandby: "
                    + table
                    + " in "
                    + newWriter
                    + " has no replica in "
                    + oldWriter
                    + "; add the replica (infrastructure), then retry");
          }
          return "ACTIVE".equals(status.get())
              ? Check.done(Boolean.TRUE, "ACTIVE")
              : Check.notYet(oldWriter + " replica " + status.get());
        });
    LOG.info(
        "rejoin: nothing to rebuild, {} replicates between {} and {} again",
        table,
        newWriter,
        oldWriter);
  }

  /** The lease holder; while the lease is revoked or unreadable, the last promoted region. */
  private Optional<RegionId> writer() {
    try {
      Optional<RegionId> holder = lease.get().holder();
      if (holder.isPresent()) {
        return holder;
      }
    } catch (RuntimeException e) {
      LOG.debug("write lease unreadable for the replication status: {}", e.toString());
    }
    return Optional.ofNullable(designatedWriter.get());
  }

  /** True when {@code replicaRegion}'s replica is ACTIVE, as {@code askIn}'s endpoint sees it. */
  private boolean replicaActive(RegionId askIn, RegionId replicaRegion) {
    try {
      if (askIn.equals(replicaRegion)) {
        return "ACTIVE".equals(tableStatus(askIn));
      }
      return replicaStatus(askIn, replicaRegion).filter("ACTIVE"::equals).isPresent();
    } catch (RuntimeException e) {
      return false;
    }
  }

  private String tableStatus(RegionId region) {
    return describe(region).tableStatusAsString();
  }

  /** The status of {@code replicaRegion}'s replica in {@code askIn}'s description. */
  private Optional<String> replicaStatus(RegionId askIn, RegionId replicaRegion) {
    TableDescription t = describe(askIn);
    return t.replicas().stream()
        .filter(r -> replicaRegion.value().equals(r.regionName()))
        .map(ReplicaDescription::replicaStatusAsString)
        .findFirst();
  }

  private TableDescription describe(RegionId region) {
    try {
      return replica(region).dynamoDb().describeTable(r -> r.tableName(table)).table();
    } catch (SdkException e) {
      throw AwsErrors.translate("dynamodb:DescribeTable " + table + " in " + region, e);
    }
  }

  private Optional<ReplicationLag> lag(RegionId sender, RegionId receiver) {
    return ReplicationLag.newest(
        replica(sender).cloudWatch(),
        clock.instant(),
        lagWindow,
        LAG_NAMESPACE,
        LAG_METRIC,
        Dimension.builder().name("TableName").value(table).build(),
        Dimension.builder().name("ReceivingRegion").value(receiver.value()).build());
  }

  private RegionId other(RegionId region) {
    return replicas.keySet().stream().filter(r -> !r.equals(region)).findFirst().orElseThrow();
  }

  private Replica replica(RegionId region) {
    return RegionMaps.require(replicas, region, " has no replica of " + table + " configured");
  }

  /** Builder: the table, its two replicas (primary first), the write lease, the waiters. */
  public static final class Builder {
    private String table;
    private final Map<RegionId, Replica> replicas = new LinkedHashMap<>();
    private Supplier<WriteLease> lease;
    private Duration pollInterval = Duration.ofSeconds(1);
    private Duration lagWindow = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();

    public Builder table(String value) {
      this.table = value;
      return this;
    }

    /** The primary's replica first, then the standby's. */
    public Builder replica(RegionId region, DynamoDbClient dynamoDb, CloudWatchClient cloudWatch) {
      if (replicas.containsKey(region)) {
        throw new IllegalArgumentException("region " + region + " is configured twice");
      }
      replicas.put(region, new Replica(region, dynamoDb, cloudWatch));
      return this;
    }

    /** Reads the write lease (the control store's {@code read}). */
    public Builder lease(Supplier<WriteLease> value) {
      this.lease = value;
      return this;
    }

    /** How often the waiters poll (default 1 s). */
    public Builder pollInterval(Duration value) {
      this.pollInterval = value;
      return this;
    }

    /** How far back GetMetricData looks for the newest lag datapoint (default 5 min). */
    public Builder lagWindow(Duration value) {
      this.lagWindow = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    public DynamoDbGlobalTableReplication build() {
      if (table == null || !table.matches("[A-Za-z0-9_.-]{3,255}")) {
        throw new IllegalArgumentException(
            "table '" + table + "' is invalid: 3-255 letters, digits, '_', '-' or '.'");
      }
      if (replicas.size() != 2) {
        throw new IllegalArgumentException(
            "a global table here has exactly 2 replicas (primary and standby region), configured: "
                + replicas.keySet());
      }
      Objects.requireNonNull(lease, "lease");
      Objects.requireNonNull(clock, "clock");
      for (var d : Map.of("pollInterval", pollInterval, "lagWindow", lagWindow).entrySet()) {
        if (d.getValue() == null || d.getValue().isNegative() || d.getValue().isZero()) {
          throw new IllegalArgumentException(
              d.getKey() + " must be a positive duration, was " + d.getValue());
        }
      }
      return new DynamoDbGlobalTableReplication(this);
    }
  }
}

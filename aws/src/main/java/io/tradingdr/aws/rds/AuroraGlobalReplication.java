package io.tradingdr.aws.rds;

import io.tradingdr.aws.common.AwsErrors;
import io.tradingdr.aws.common.Polling;
import io.tradingdr.aws.common.Polling.Check;
import io.tradingdr.aws.common.RegionMaps;
import io.tradingdr.aws.common.ReplicationLag;
import io.tradingdr.core.port.DatabaseReplication;
import io.tradingdr.core.port.PromotionMode;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.ReplicationStatus;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.port.Watermark;
import io.tradingdr.core.region.RegionId;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.FailoverState;
import software.amazon.awssdk.services.rds.model.GlobalCluster;
import software.amazon.awssdk.services.rds.model.GlobalClusterMember;

/**
 * {@link DatabaseReplication} on an Aurora Global Database with one cluster in each of two regions.
 *
 * <ul>
 *   <li>{@link #promote} with {@link PromotionMode#NO_DATA_LOSS}: {@code SwitchoverGlobalCluster}
 *       (Aurora synchronizes the secondary before it switches, then demotes the old primary to a
 *       read-only secondary). With {@link PromotionMode#ALLOW_DATA_LOSS}: {@code
 *       FailoverGlobalCluster} with {@code AllowDataLoss=true}. Both are sent to the RDS endpoint
 *       of the region being promoted, so an unplanned failover needs nothing from the failed
 *       region. It then polls {@code DescribeGlobalClusters} until the global cluster is {@code
 *       available}, no {@code FailoverState} is in progress and the target member {@code IsWriter}.
 *       Idempotent: a target that already is the writer returns at once, and an operation already
 *       in progress towards the same target is waited for, not requested again.
 *   <li>{@link #fenceWriter}: on Aurora the global writer switch is itself the database fence
 *       (switchover and failover both demote or detach the old primary before the new one takes
 *       writes), and a member of a global database cannot be stopped. So it issues no AWS call: it
 *       checks that the region is a configured member and returns; the write lease is the fence the
 *       service honours in the meantime.
 *   <li>{@link #status} and lag: members from {@code DescribeGlobalClusters} (asked in each region
 *       until one answers), lag from the {@code AWS/RDS AuroraGlobalDBReplicationLag} metric
 *       (milliseconds, dimension {@code DBClusterIdentifier} = the secondary cluster) via {@code
 *       GetMetricData} in the standby's region. Watermarks are times, as {@link Watermark}
 *       documents for Aurora: the writer's is the metric's timestamp, the standby's that timestamp
 *       minus the lag. Replication is asynchronous (storage-level).
 *   <li>{@link #rejoinAsStandby}: recent engine versions re-add the old primary as a secondary by
 *       themselves after a failover with data loss; this waits until it is a member again with
 *       {@code SynchronizationStatus=connected}. If it never reappears (older engines detach it),
 *       it is refused: the cluster must be recreated as a secondary by the infrastructure.
 * </ul>
 *
 * <p>Errors: access denied or an invalid state (e.g. {@code InvalidGlobalClusterStateFault}) are
 * {@link RefusedException}s with the service's reason; throttling is retried with backoff by the
 * SDK, then, like 5xx and timeouts, an {@link UnreachableException}. A wait that passes its timeout
 * is an {@link UnreachableException} naming the last state seen.
 */
public final class AuroraGlobalReplication implements DatabaseReplication {

  static final String LAG_NAMESPACE = "AWS/RDS";
  static final String LAG_METRIC = "AuroraGlobalDBReplicationLag";
  private static final Set<String> IN_PROGRESS =
      Set.of("pending", "failing-over", "switching-over", "cancelling");

  /** One member cluster and the clients of its region. */
  public record Member(
      RegionId region, String clusterArn, RdsClient rds, CloudWatchClient cloudWatch) {
    public Member {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(rds, "rds");
      Objects.requireNonNull(cloudWatch, "cloudWatch");
      ClusterArns.requireValid(clusterArn, region);
    }

    String clusterIdentifier() {
      return ClusterArns.identifier(clusterArn);
    }
  }

  private final String globalClusterIdentifier;
  private final Map<RegionId, Member> members;
  private final Duration caughtUpLag;
  private final Duration lagWindow;
  private final Clock clock;
  private final Polling polling;

  private AuroraGlobalReplication(Builder b) {
    this.globalClusterIdentifier = b.globalClusterIdentifier;
    this.members = Map.copyOf(b.members);
    this.caughtUpLag = b.caughtUpLag;
    this.lagWindow = b.lagWindow;
    this.clock = b.clock;
    this.polling = new Polling(b.clock, b.pollInterval);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public ReplicationStatus status() {
    GlobalCluster cluster = describe(null);
    Optional<RegionId> writer = inProgress(cluster) ? Optional.empty() : writerRegion(cluster);
    RegionId standby = standbyRegion(cluster, writer);
    Optional<ReplicationLag> lag = lag(standby);
    return new ReplicationStatus(
        writer,
        standby,
        lag.map(ReplicationLag::lag),
        writer.flatMap(w -> lag.map(ReplicationLag::writerMark)),
        lag.map(ReplicationLag::replayedMark),
        false);
  }

  @Override
  public void fenceWriter(RegionId region) {
    member(region);
  }

  @Override
  public Watermark awaitCaughtUp(RegionId standby, Duration timeout) {
    Member member = member(standby);
    return polling.until(
        "catch-up of " + standby,
        timeout,
        () -> {
          GlobalCluster cluster = describe(standby);
          Optional<GlobalClusterMember> m = find(cluster, member.clusterArn());
          if (m.isEmpty()) {
            return Check.notYet(
                member.clusterArn() + " is not a member of " + globalClusterIdentifier);
          }
          if (Boolean.TRUE.equals(m.get().isWriter())) {
            throw new RefusedException(
                "awaitCaughtUp: " + standby + " is the writer, not a standby");
          }
          if (m.get().synchronizationStatus() != null
              && !"connected".equals(m.get().synchronizationStatusAsString())) {
            return Check.notYet(
                standby + " synchronization " + m.get().synchronizationStatusAsString());
          }
          Optional<ReplicationLag> lag = lag(standby);
          if (lag.isEmpty()) {
            return Check.notYet(
                "no " + LAG_METRIC + " datapoint for " + member.clusterIdentifier());
          }
          if (lag.get().lag().compareTo(caughtUpLag) > 0) {
            return Check.notYet(standby + " lag " + lag.get().lag().toMillis() + " ms");
          }
          return Check.done(lag.get().replayedMark(), "caught up");
        });
  }

  @Override
  public void promote(RegionId standby, PromotionMode mode, Duration timeout) {
    Objects.requireNonNull(mode, "mode");
    Member target = member(standby);
    GlobalCluster cluster = describe(standby);
    FailoverState state = cluster.failoverState();
    if (inProgress(cluster)) {
      if (state.toDbClusterArn() != null && !state.toDbClusterArn().equals(target.clusterArn())) {
        throw new RefusedException(
            "promote: another operation is in progress on "
                + globalClusterIdentifier
                + " ("
                + state.statusAsString()
                + " to "
                + state.toDbClusterArn()
                + ")");
      }
    } else if (isWriter(cluster, target.clusterArn())) {
      return;
    } else {
      request(target, mode);
    }
    polling.until(
        "promotion of " + standby + " (" + mode + ")",
        timeout,
        () -> {
          GlobalCluster now = describe(standby);
          String seen = describeState(now);
          boolean done =
              "available".equals(now.status())
                  && !inProgress(now)
                  && isWriter(now, target.clusterArn());
          return done ? Check.done(Boolean.TRUE, seen) : Check.notYet(seen);
        });
  }

  @Override
  public void rejoinAsStandby(RegionId oldWriter, RegionId newWriter, Duration timeout) {
    Member old = member(oldWriter);
    Member next = member(newWriter);
    List<String> history = new ArrayList<>();
    try {
      polling.until(
          "rejoin of " + oldWriter + " as a standby of " + newWriter,
          timeout,
          () -> {
            GlobalCluster cluster = describe(newWriter);
            if (!isWriter(cluster, next.clusterArn())) {
              throw new RefusedException(
                  "rejoinAsStandby: "
                      + newWriter
                      + " is not the writer of "
                      + globalClusterIdentifier
                      + " ("
                      + describeState(cluster)
                      + ")");
            }
            Optional<GlobalClusterMember> m = find(cluster, old.clusterArn());
            if (m.isEmpty()) {
              history.add("absent");
              return Check.notYet(old.clusterArn() + " is not a member yet");
            }
            history.add("member");
            String sync = m.get().synchronizationStatusAsString();
            if (Boolean.TRUE.equals(m.get().isWriter())
                || (sync != null && !"connected".equals(sync))) {
              return Check.notYet(oldWriter + " synchronization " + sync);
            }
            return Check.done(Boolean.TRUE, "connected");
          });
    } catch (UnreachableException e) {
      if (!history.isEmpty() && !history.contains("member")) {
        throw new RefusedException(
            "rejoinAsStandby: "
                + old.clusterArn()
                + " did not rejoin "
                + globalClusterIdentifier
                + " within "
                + timeout
                + "; this engine version does not re-add the old primary after a failover: recreate it"
                + " as a secondary cluster (infrastructure), then retry",
            e);
      }
      throw e;
    }
  }

  private void request(Member target, PromotionMode mode) {
    try {
      if (mode == PromotionMode.NO_DATA_LOSS) {
        target
            .rds()
            .switchoverGlobalCluster(
                r ->
                    r.globalClusterIdentifier(globalClusterIdentifier)
                        .targetDbClusterIdentifier(target.clusterArn()));
      } else {
        target
            .rds()
            .failoverGlobalCluster(
                r ->
                    r.globalClusterIdentifier(globalClusterIdentifier)
                        .targetDbClusterIdentifier(target.clusterArn())
                        .allowDataLoss(true));
      }
    } catch (SdkException e) {
      throw AwsErrors.translate(
          mode == PromotionMode.NO_DATA_LOSS
              ? "rds:SwitchoverGlobalCluster"
              : "rds:FailoverGlobalCluster",
          e);
    }
  }

  /**
   * DescribeGlobalClusters, asked in each member region until one answers, {@code first} (the
   * region the caller acts on, which must not wait for a failed region's endpoint) first.
   */
  private GlobalCluster describe(RegionId first) {
    List<Member> order = new ArrayList<>(members.values());
    order.sort((a, b) -> Boolean.compare(!a.region().equals(first), !b.region().equals(first)));
    List<String> failures = new ArrayList<>();
    for (Member m : order) {
      try {
        List<GlobalCluster> clusters =
            m.rds()
                .describeGlobalClusters(r -> r.globalClusterIdentifier(globalClusterIdentifier))
                .globalClusters();
        if (clusters.isEmpty()) {
          throw new RefusedException("global cluster " + globalClusterIdentifier + " not found");
        }
        return clusters.get(0);
      } catch (SdkException e) {
        RuntimeException translated =
            AwsErrors.translate("rds:DescribeGlobalClusters in " + m.region(), e);
        if (translated instanceof RefusedException) {
          throw translated;
        }
        failures.add(translated.getMessage());
      }
    }
    throw new UnreachableException(String.join("; ", failures));
  }

  private Optional<ReplicationLag> lag(RegionId standby) {
    Member m = members.get(standby);
    return ReplicationLag.newest(
        m.cloudWatch(),
        clock.instant(),
        lagWindow,
        LAG_NAMESPACE,
        LAG_METRIC,
        Dimension.builder().name("DBClusterIdentifier").value(m.clusterIdentifier()).build());
  }

  private Member member(RegionId region) {
    return RegionMaps.require(members, region, " is not a member of " + globalClusterIdentifier);
  }

  private Optional<RegionId> writerRegion(GlobalCluster cluster) {
    return cluster.globalClusterMembers().stream()
        .filter(gm -> Boolean.TRUE.equals(gm.isWriter()))
        .map(gm -> regionOf(gm.dbClusterArn()))
        .flatMap(Optional::stream)
        .findFirst();
  }

  private RegionId standbyRegion(GlobalCluster cluster, Optional<RegionId> writer) {
    if (writer.isPresent()) {
      return members.keySet().stream()
          .filter(r -> !r.equals(writer.get()))
          .findFirst()
          .orElseThrow();
    }
    FailoverState state = cluster.failoverState();
    if (state != null && state.toDbClusterArn() != null) {
      Optional<RegionId> target = regionOf(state.toDbClusterArn());
      if (target.isPresent()) {
        return target.get();
      }
    }
    return members.keySet().stream().sorted().skip(1).findFirst().orElseThrow();
  }

  private Optional<RegionId> regionOf(String arn) {
    return members.values().stream()
        .filter(m -> m.clusterArn().equals(arn))
        .map(Member::region)
        .findFirst();
  }

  private static Optional<GlobalClusterMember> find(GlobalCluster cluster, String arn) {
    return cluster.globalClusterMembers().stream()
        .filter(m -> arn.equals(m.dbClusterArn()))
        .findFirst();
  }

  private static boolean isWriter(GlobalCluster cluster, String arn) {
    return find(cluster, arn).map(m -> Boolean.TRUE.equals(m.isWriter())).orElse(false);
  }

  private static boolean inProgress(GlobalCluster cluster) {
    FailoverState state = cluster.failoverState();
    return state != null
        && state.statusAsString() != null
        && IN_PROGRESS.contains(state.statusAsString());
  }

  private static String describeState(GlobalCluster cluster) {
    StringBuilder sb = new StringBuilder("status ").append(cluster.status());
    if (cluster.failoverState() != null && cluster.failoverState().statusAsString() != null) {
      sb.append(", failover ").append(cluster.failoverState().statusAsString());
    }
    for (GlobalClusterMember m : cluster.globalClusterMembers()) {
      sb.append(", ")
          .append(m.dbClusterArn().substring(m.dbClusterArn().lastIndexOf(':') + 1))
          .append(Boolean.TRUE.equals(m.isWriter()) ? " writer" : " reader");
    }
    return sb.toString();
  }

  /** Builder: the global cluster, its two members, and the waiters' settings. */
  public static final class Builder {
    private String globalClusterIdentifier;
    private final Map<RegionId, Member> members = new LinkedHashMap<>();
    private Duration pollInterval = Duration.ofSeconds(5);
    private Duration caughtUpLag = Duration.ofSeconds(1);
    private Duration lagWindow = Duration.ofMinutes(5);
    private Clock clock = Clock.systemUTC();

    public Builder globalClusterIdentifier(String value) {
      this.globalClusterIdentifier = value;
      return this;
    }

    public Builder member(
        RegionId region, String clusterArn, RdsClient rds, CloudWatchClient cloudWatch) {
      if (members.containsKey(region)) {
        throw new IllegalArgumentException("region " + region + " is configured twice");
      }
      members.put(region, new Member(region, clusterArn, rds, cloudWatch));
      return this;
    }

    /** How often the waiters poll DescribeGlobalClusters (default 5 s). */
    public Builder pollInterval(Duration value) {
      this.pollInterval = value;
      return this;
    }

    /**
     * The lag at or below which {@code awaitCaughtUp} counts the standby as caught up (default 1
     * s).
     */
    public Builder caughtUpLag(Duration value) {
      this.caughtUpLag = value;
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

    public AuroraGlobalReplication build() {
      if (globalClusterIdentifier == null
          || !globalClusterIdentifier.matches("[A-Za-z][A-Za-z0-9-]{0,254}")) {
        throw new IllegalArgumentException(
            "globalClusterIdentifier '"
                + globalClusterIdentifier
                + "' is invalid: use a letter then letters, digits or '-'");
      }
      if (members.size() != 2) {
        throw new IllegalArgumentException(
            "an Aurora global database here has exactly 2 members (primary and standby region), configured: "
                + members.keySet());
      }
      for (var d :
          Map.of("pollInterval", pollInterval, "caughtUpLag", caughtUpLag, "lagWindow", lagWindow)
              .entrySet()) {
        if (d.getValue() == null || d.getValue().isNegative() || d.getValue().isZero()) {
          throw new IllegalArgumentException(
              d.getKey() + " must be a positive duration, was " + d.getValue());
        }
      }
      Objects.requireNonNull(clock, "clock");
      return new AuroraGlobalReplication(this);
    }
  }
}

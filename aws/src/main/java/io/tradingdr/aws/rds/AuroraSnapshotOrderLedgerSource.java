package io.tradingdr.aws.rds;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradingdr.aws.common.AwsErrors;
import io.tradingdr.aws.common.Polling;
import io.tradingdr.aws.common.Polling.Check;
import io.tradingdr.aws.common.RegionMaps;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.core.rpo.OrderLedgerSource;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBCluster;
import software.amazon.awssdk.services.rds.model.DBClusterSnapshot;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbClusterAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbClusterNotFoundException;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.rds.model.VpcSecurityGroupMembership;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * {@link OrderLedgerSource} on an Aurora Global Database after an unplanned failover ({@code
 * FailoverGlobalCluster} with {@code AllowDataLoss}).
 *
 * <p>What Aurora keeps of the old primary's writes (Aurora User Guide, "Recovering an Amazon Aurora
 * global database from an unplanned outage"): when the old primary region recovers, Aurora gives
 * the old primary cluster a new storage volume and rebuilds it as a secondary. Before that it
 * attempts a snapshot of the old volume at the point of failure, named {@code
 * rds:unplanned-global-failover-<old primary cluster>-<timestamp>}, listed by {@code
 * DescribeDBClusterSnapshots}. It is a system snapshot, deleted with the old cluster's backup
 * retention; the attempt can fail.
 *
 * <p>{@link #committedSince} for the old writer's region, in that region:
 *
 * <ol>
 *   <li>{@code DescribeDBClusters} of the old primary cluster (unreachable region: {@link
 *       UnreachableException}).
 *   <li>The snapshot: {@code aws.reconcile.snapshotIdentifier} when set (e.g. a manual copy), else
 *       the oldest {@code rds:unplanned-global-failover-*} snapshot of that cluster created at or
 *       after {@code since}.
 *   <li>With a snapshot: {@code RestoreDBClusterFromSnapshot} into a temporary cluster {@code
 *       tdr-rpo-<hash of the snapshot id>} (the snapshot's engine and version, the old cluster's
 *       subnet group, security groups and Serverless v2 scaling unless configured), {@code
 *       CreateDBInstance} (the old cluster's instance class unless configured), wait until both are
 *       {@code available}, read the orders over JDBC at its endpoint, and in every case {@code
 *       DeleteDBInstance} + {@code DeleteDBCluster} ({@code SkipFinalSnapshot}). The names are
 *       derived from the snapshot, so a retry after a crash finds and reuses (then deletes) what
 *       the crashed attempt left.
 *   <li>Without one, when the old cluster still has a writer instance and is {@code available}
 *       (recovered but not rebuilt), its writer endpoint is read directly.
 *   <li>Otherwise a {@link RefusedException} names what is missing.
 * </ol>
 *
 * <p>{@link #present} reads the new primary at its cluster (writer) endpoint.
 *
 * <p>Credentials: the secret ({@code username}, {@code password}, optional {@code dbname}) from
 * {@code aws.reconcile.secretArns} (the one in the region read first), else the cluster's
 * RDS-managed {@code MasterUserSecret}. The restored cluster has the snapshot's users, so the old
 * cluster's secret opens it.
 */
public final class AuroraSnapshotOrderLedgerSource implements OrderLedgerSource {

  private static final Logger LOG = LoggerFactory.getLogger(AuroraSnapshotOrderLedgerSource.class);

  /** The prefix of the snapshot Aurora takes of the old primary before rebuilding it. */
  public static final String FAILOVER_SNAPSHOT_PREFIX = "rds:unplanned-global-failover-";

  static final String TEMPORARY_PREFIX = "tdr-rpo-";

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One member cluster and its region's RDS client. */
  public record Member(RegionId region, String clusterArn, RdsClient rds) {
    public Member {
      Objects.requireNonNull(region, "region");
      Objects.requireNonNull(rds, "rds");
      ClusterArns.requireValid(clusterArn, region);
    }

    String clusterIdentifier() {
      return ClusterArns.identifier(clusterArn);
    }
  }

  private final Map<RegionId, Member> members;
  private final Function<String, SecretsManagerClient> secrets;
  private final List<String> secretArns;
  private final Optional<String> database;
  private final Optional<String> snapshotIdentifier;
  private final Optional<String> subnetGroup;
  private final List<String> securityGroupIds;
  private final Optional<String> instanceClass;
  private final Duration restoreTimeout;
  private final boolean tls;
  private final JdbcOrderReader reader;
  private final Polling polling;

  private AuroraSnapshotOrderLedgerSource(Builder b) {
    this.members = Map.copyOf(b.members);
    this.secrets = b.secrets;
    this.secretArns = List.copyOf(b.secretArns);
    this.database = b.database;
    this.snapshotIdentifier = b.snapshotIdentifier;
    this.subnetGroup = b.subnetGroup;
    this.securityGroupIds = List.copyOf(b.securityGroupIds);
    this.instanceClass = b.instanceClass;
    this.restoreTimeout = b.restoreTimeout;
    this.tls = b.tls;
    this.reader = new JdbcOrderReader(b.jdbcTimeout);
    this.polling = new Polling(b.clock, b.pollInterval);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public List<CommittedOrder> committedSince(RegionId region, Instant since) {
    Member old = member(region);
    DBCluster cluster = describeCluster(old.rds(), old.clusterIdentifier(), old.region());
    Optional<DBClusterSnapshot> snapshot = snapshot(old, since);
    if (snapshot.isPresent()) {
      return fromSnapshot(old, cluster, snapshot.get(), since);
    }
    if ("available".equals(cluster.status()) && hasWriter(cluster)) {
      LOG.info(
          "rpo-ledger: no failover snapshot of {} yet and it still has a writer: reading it"
              + " directly",
          old.clusterIdentifier());
      return reader.committedSince(target(old.region(), cluster, cluster.endpoint()), since);
    }
    throw new RefusedException(
        "rpo-ledger: no "
            + FAILOVER_SNAPSHOT_PREFIX
            + "* snapshot of cluster "
            + old.clusterIdentifier()
            + " created at or after "
            + since
            + " in "
            + region
            + ", and the cluster has no writer to read (status "
            + cluster.status()
            + "). Aurora takes that snapshot when "
            + region
            + " recovers, before it rebuilds the cluster as a secondary, and the attempt can fail:"
            + " wait for it, or set aws.reconcile.snapshotIdentifier (TDR_RECONCILE_SNAPSHOT_IDENTIFIER)"
            + " to a snapshot that holds the old primary's writes");
  }

  @Override
  public Set<String> present(RegionId region, Collection<CommittedOrder> orders) {
    if (orders.isEmpty()) {
      return Set.of();
    }
    Member writer = member(region);
    DBCluster cluster = describeCluster(writer.rds(), writer.clusterIdentifier(), region);
    if (!hasWriter(cluster)) {
      throw new RefusedException(
          "rpo-ledger: cluster "
              + writer.clusterIdentifier()
              + " in "
              + region
              + " has no writer instance (status "
              + cluster.status()
              + "), so it is not the primary to compare with");
    }
    return reader.present(target(region, cluster, cluster.endpoint()), orders);
  }

  private List<CommittedOrder> fromSnapshot(
      Member old, DBCluster source, DBClusterSnapshot snapshot, Instant since) {
    String id = temporaryIdentifier(snapshot.dbClusterSnapshotIdentifier());
    String instanceId = id + "-1";
    RdsClient rds = old.rds();
    LOG.info(
        "rpo-ledger: restoring snapshot {} of {} into temporary cluster {}",
        snapshot.dbClusterSnapshotIdentifier(),
        old.clusterIdentifier(),
        id);
    RuntimeException failure = null;
    try {
      restore(rds, old, source, snapshot, id, instanceId);
      DBCluster restored =
          polling.until(
              "restore of " + snapshot.dbClusterSnapshotIdentifier() + " into " + id,
              restoreTimeout,
              () -> {
                DBCluster c = describeCluster(rds, id, old.region());
                if ("deleting".equals(c.status())) {
                  // Left by an earlier attempt that finished: restoring needs the name again.
                  throw new RefusedException(
                      "rpo-ledger: temporary cluster "
                          + id
                          + " is still being deleted by an earlier attempt; take the ledger again"
                          + " once it is gone");
                }
                DBInstance i = describeInstance(rds, instanceId, old.region());
                String seen = "cluster " + c.status() + ", instance " + i.dbInstanceStatus();
                return "available".equals(c.status())
                        && "available".equals(i.dbInstanceStatus())
                        && c.endpoint() != null
                    ? Check.done(c, seen)
                    : Check.notYet(seen);
              });
      return reader.committedSince(
          target(old.region(), source, restored.endpoint(), restored), since);
    } catch (RuntimeException e) {
      failure = e;
      throw e;
    } finally {
      deleteTemporary(rds, id, instanceId, failure);
    }
  }

  private void restore(
      RdsClient rds,
      Member old,
      DBCluster source,
      DBClusterSnapshot snapshot,
      String id,
      String instanceId) {
    String subnets =
        subnetGroup
            .or(() -> Optional.ofNullable(source.dbSubnetGroup()))
            .orElseThrow(
                () ->
                    new RefusedException(
                        "rpo-ledger: cluster "
                            + old.clusterIdentifier()
                            + " names no DB subnet group; set aws.reconcile.subnetGroup"));
    List<String> groups =
        securityGroupIds.isEmpty()
            ? source.vpcSecurityGroups().stream()
                .map(VpcSecurityGroupMembership::vpcSecurityGroupId)
                .toList()
            : securityGroupIds;
    String instanceType = instanceClass.orElseGet(() -> instanceClassOf(rds, old, source));
    try {
      rds.restoreDBClusterFromSnapshot(
          r -> {
            r.dbClusterIdentifier(id)
                .snapshotIdentifier(
                    snapshot.dbClusterSnapshotArn() != null
                        ? snapshot.dbClusterSnapshotArn()
                        : snapshot.dbClusterSnapshotIdentifier())
                .engine(snapshot.engine())
                .engineVersion(snapshot.engineVersion())
                .dbSubnetGroupName(subnets)
                .vpcSecurityGroupIds(groups)
                .deletionProtection(false)
                .tags(Tag.builder().key("tdr:purpose").value("rpo-ledger").build());
            if (source.serverlessV2ScalingConfiguration() != null) {
              r.serverlessV2ScalingConfiguration(
                  s ->
                      s.minCapacity(source.serverlessV2ScalingConfiguration().minCapacity())
                          .maxCapacity(source.serverlessV2ScalingConfiguration().maxCapacity()));
            }
          });
    } catch (DbClusterAlreadyExistsException e) {
      LOG.info("rpo-ledger: temporary cluster {} exists already (earlier attempt): reusing it", id);
    } catch (SdkException e) {
      throw AwsErrors.translate("rds:RestoreDBClusterFromSnapshot in " + old.region(), e);
    }
    try {
      rds.createDBInstance(
          r ->
              r.dbInstanceIdentifier(instanceId)
                  .dbClusterIdentifier(id)
                  .engine(snapshot.engine())
                  .dbInstanceClass(instanceType)
                  .publiclyAccessible(false)
                  .tags(Tag.builder().key("tdr:purpose").value("rpo-ledger").build()));
    } catch (DbInstanceAlreadyExistsException e) {
      LOG.info("rpo-ledger: temporary instance {} exists already: reusing it", instanceId);
    } catch (SdkException e) {
      throw AwsErrors.translate("rds:CreateDBInstance in " + old.region(), e);
    }
  }

  /** Deletes the temporary instance and cluster; a failure here is logged, never hidden. */
  private void deleteTemporary(
      RdsClient rds, String id, String instanceId, RuntimeException failure) {
    List<String> problems = new ArrayList<>();
    try {
      rds.deleteDBInstance(r -> r.dbInstanceIdentifier(instanceId));
    } catch (DbInstanceNotFoundException gone) {
      // Nothing to delete: never created, or deleted by an earlier attempt.
    } catch (SdkException e) {
      problems.add(AwsErrors.translate("rds:DeleteDBInstance " + instanceId, e).getMessage());
    }
    try {
      rds.deleteDBCluster(r -> r.dbClusterIdentifier(id).skipFinalSnapshot(true));
    } catch (DbClusterNotFoundException gone) {
      // Nothing to delete.
    } catch (SdkException e) {
      problems.add(AwsErrors.translate("rds:DeleteDBCluster " + id, e).getMessage());
    }
    if (problems.isEmpty()) {
      LOG.info("rpo-ledger: deleting temporary cluster {} and instance {}", id, instanceId);
      return;
    }
    String message =
        "rpo-ledger: the temporary cluster "
            + id
            + " (instance "
            + instanceId
            + ") could not be deleted; delete it by hand or run the ledger again, which reuses"
            + " and deletes it: "
            + String.join("; ", problems);
    LOG.error(message);
    if (failure != null) {
      failure.addSuppressed(new RefusedException(message));
    }
  }

  private Optional<DBClusterSnapshot> snapshot(Member old, Instant since) {
    try {
      if (snapshotIdentifier.isPresent()) {
        List<DBClusterSnapshot> found =
            old.rds()
                .describeDBClusterSnapshots(
                    r -> r.dbClusterSnapshotIdentifier(snapshotIdentifier.get()))
                .dbClusterSnapshots();
        if (found.isEmpty()) {
          throw new RefusedException(
              "rpo-ledger: snapshot " + snapshotIdentifier.get() + " not found in " + old.region());
        }
        return Optional.of(requireAvailable(found.get(0)));
      }
      return old
          .rds()
          .describeDBClusterSnapshotsPaginator(r -> r.dbClusterIdentifier(old.clusterIdentifier()))
          .dbClusterSnapshots()
          .stream()
          .filter(s -> s.dbClusterSnapshotIdentifier() != null)
          .filter(s -> s.dbClusterSnapshotIdentifier().startsWith(FAILOVER_SNAPSHOT_PREFIX))
          .filter(s -> s.snapshotCreateTime() != null && !s.snapshotCreateTime().isBefore(since))
          .min(Comparator.comparing(DBClusterSnapshot::snapshotCreateTime))
          .map(AuroraSnapshotOrderLedgerSource::requireAvailable);
    } catch (DbClusterNotFoundException e) {
      throw new RefusedException(
          "rpo-ledger: cluster " + old.clusterIdentifier() + " not found in " + old.region(), e);
    } catch (SdkException e) {
      throw AwsErrors.translate("rds:DescribeDBClusterSnapshots in " + old.region(), e);
    }
  }

  private static DBClusterSnapshot requireAvailable(DBClusterSnapshot s) {
    if (!"available".equals(s.status())) {
      throw new UnreachableException(
          "rpo-ledger: snapshot "
              + s.dbClusterSnapshotIdentifier()
              + " is "
              + s.status()
              + ", not available yet; try again");
    }
    return s;
  }

  private String instanceClassOf(RdsClient rds, Member old, DBCluster source) {
    if (source.dbClusterMembers().isEmpty()) {
      throw new RefusedException(
          "rpo-ledger: cluster "
              + old.clusterIdentifier()
              + " has no instance to copy the class of; set aws.reconcile.instanceClass");
    }
    return describeInstance(
            rds, source.dbClusterMembers().get(0).dbInstanceIdentifier(), old.region())
        .dbInstanceClass();
  }

  private JdbcOrderReader.Target target(RegionId region, DBCluster cluster, String host) {
    return target(region, cluster, host, cluster);
  }

  /**
   * The JDBC target at {@code host}: engine and credentials from {@code source} (the cluster whose
   * users the database has), port from {@code endpointCluster}.
   */
  private JdbcOrderReader.Target target(
      RegionId region, DBCluster source, String host, DBCluster endpointCluster) {
    if (host == null) {
      throw new UnreachableException(
          "rpo-ledger: cluster " + endpointCluster.dbClusterIdentifier() + " has no endpoint yet");
    }
    JdbcOrderReader.Dialect dialect = JdbcOrderReader.Dialect.ofEngine(source.engine());
    JsonNode secret = secret(region, source);
    String user = text(secret, "username");
    String password = text(secret, "password");
    if (user == null || password == null) {
      throw new RefusedException(
          "rpo-ledger: the database secret of "
              + source.dbClusterIdentifier()
              + " has no username/password fields");
    }
    String db =
        database
            .or(() -> Optional.ofNullable(text(secret, "dbname")))
            .or(() -> Optional.ofNullable(source.databaseName()))
            .orElseThrow(
                () ->
                    new RefusedException(
                        "rpo-ledger: no database name for "
                            + source.dbClusterIdentifier()
                            + " (not in its secret, not on the cluster); set aws.reconcile.database"));
    int port =
        endpointCluster.port() != null
            ? endpointCluster.port()
            : dialect == JdbcOrderReader.Dialect.POSTGRESQL ? 5432 : 3306;
    return new JdbcOrderReader.Target(dialect.url(host, port, db, tls), user, password);
  }

  private JsonNode secret(RegionId region, DBCluster cluster) {
    List<String> arns = new ArrayList<>();
    secretArns.stream().filter(a -> regionOfArn(a).equals(region.value())).forEach(arns::add);
    secretArns.stream().filter(a -> !arns.contains(a)).forEach(arns::add);
    if (arns.isEmpty()
        && cluster.masterUserSecret() != null
        && cluster.masterUserSecret().secretArn() != null) {
      arns.add(cluster.masterUserSecret().secretArn());
    }
    if (arns.isEmpty()) {
      throw new RefusedException(
          "rpo-ledger: no database secret for "
              + cluster.dbClusterIdentifier()
              + " (it has no RDS-managed master secret); set aws.reconcile.secretArns");
    }
    List<String> failures = new ArrayList<>();
    for (String arn : arns) {
      try {
        String value =
            secrets.apply(regionOfArn(arn)).getSecretValue(r -> r.secretId(arn)).secretString();
        return JSON.readTree(value == null ? "{}" : value);
      } catch (SdkException e) {
        RuntimeException translated =
            AwsErrors.translate("secretsmanager:GetSecretValue " + arn, e);
        if (translated instanceof RefusedException) {
          throw translated;
        }
        failures.add(translated.getMessage());
      } catch (IOException e) {
        throw new RefusedException("rpo-ledger: secret " + arn + " is not JSON", e);
      }
    }
    throw new UnreachableException(String.join("; ", failures));
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v == null || v.isNull() ? null : v.asText();
  }

  static String regionOfArn(String arn) {
    String[] parts = arn.split(":");
    if (parts.length < 7 || !parts[0].equals("arn")) {
      throw new IllegalArgumentException(
          "secret ARN '"
              + arn
              + "' is invalid: use arn:aws:secretsmanager:<region>:<account>:secret:<name>");
    }
    return parts[3];
  }

  private static DBCluster describeCluster(RdsClient rds, String id, RegionId region) {
    try {
      List<DBCluster> clusters =
          rds.describeDBClusters(r -> r.dbClusterIdentifier(id)).dbClusters();
      if (clusters.isEmpty()) {
        throw new RefusedException("rpo-ledger: cluster " + id + " not found in " + region);
      }
      return clusters.get(0);
    } catch (DbClusterNotFoundException e) {
      throw new RefusedException("rpo-ledger: cluster " + id + " not found in " + region, e);
    } catch (SdkException e) {
      throw AwsErrors.translate("rds:DescribeDBClusters in " + region, e);
    }
  }

  private static DBInstance describeInstance(RdsClient rds, String id, RegionId region) {
    try {
      List<DBInstance> instances =
          rds.describeDBInstances(r -> r.dbInstanceIdentifier(id)).dbInstances();
      if (instances.isEmpty()) {
        throw new UnreachableException("instance " + id + " not listed yet in " + region);
      }
      return instances.get(0);
    } catch (DbInstanceNotFoundException e) {
      throw new UnreachableException("instance " + id + " not found yet in " + region, e);
    } catch (SdkException e) {
      throw AwsErrors.translate("rds:DescribeDBInstances in " + region, e);
    }
  }

  private static boolean hasWriter(DBCluster cluster) {
    return cluster.dbClusterMembers().stream()
        .anyMatch(m -> Boolean.TRUE.equals(m.isClusterWriter()));
  }

  /** {@code tdr-rpo-} and 16 hex digits of the snapshot id's SHA-256: stable across retries. */
  static String temporaryIdentifier(String snapshotId) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(snapshotId.getBytes(StandardCharsets.UTF_8));
      return TEMPORARY_PREFIX + HexFormat.of().formatHex(hash, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private Member member(RegionId region) {
    return RegionMaps.require(members, region, " has no Aurora cluster configured");
  }

  /** Builder: the clusters, the clients, and the restore's settings. */
  public static final class Builder {
    private final Map<RegionId, Member> members = new LinkedHashMap<>();
    private Function<String, SecretsManagerClient> secrets;
    private List<String> secretArns = List.of();
    private Optional<String> database = Optional.empty();
    private Optional<String> snapshotIdentifier = Optional.empty();
    private Optional<String> subnetGroup = Optional.empty();
    private List<String> securityGroupIds = List.of();
    private Optional<String> instanceClass = Optional.empty();
    private Duration restoreTimeout = Duration.ofMinutes(60);
    private Duration pollInterval = Duration.ofSeconds(15);
    private Duration jdbcTimeout = Duration.ofSeconds(30);
    private boolean tls = true;
    private Clock clock = Clock.systemUTC();

    public Builder member(RegionId region, String clusterArn, RdsClient rds) {
      if (members.containsKey(region)) {
        throw new IllegalArgumentException("region " + region + " is configured twice");
      }
      members.put(region, new Member(region, clusterArn, rds));
      return this;
    }

    /** The Secrets Manager client of a region code. */
    public Builder secrets(Function<String, SecretsManagerClient> value) {
      this.secrets = value;
      return this;
    }

    /** The database secrets, one per region (replicas); default: the cluster's managed secret. */
    public Builder secretArns(List<String> value) {
      value.forEach(AuroraSnapshotOrderLedgerSource::regionOfArn);
      this.secretArns = List.copyOf(value);
      return this;
    }

    /** The database holding {@code orders}; default: the secret's {@code dbname}, the cluster's. */
    public Builder database(Optional<String> value) {
      this.database = value;
      return this;
    }

    /** A snapshot to restore instead of looking for Aurora's failover snapshot. */
    public Builder snapshotIdentifier(Optional<String> value) {
      this.snapshotIdentifier = value;
      return this;
    }

    /** Default: the old primary cluster's subnet group. */
    public Builder subnetGroup(Optional<String> value) {
      this.subnetGroup = value;
      return this;
    }

    /** Default: the old primary cluster's VPC security groups. */
    public Builder securityGroupIds(List<String> value) {
      this.securityGroupIds = List.copyOf(value);
      return this;
    }

    /** Default: the class of the old primary cluster's first instance. */
    public Builder instanceClass(Optional<String> value) {
      this.instanceClass = value;
      return this;
    }

    /** How long the restore may take until the temporary instance is available (default 60 min). */
    public Builder restoreTimeout(Duration value) {
      this.restoreTimeout = value;
      return this;
    }

    /** How often the restore is polled (default 15 s). */
    public Builder pollInterval(Duration value) {
      this.pollInterval = value;
      return this;
    }

    /** Connect and socket timeout of each JDBC read (default 30 s). */
    public Builder jdbcTimeout(Duration value) {
      this.jdbcTimeout = value;
      return this;
    }

    /** TLS on the JDBC connections (default on; tests against a local server turn it off). */
    public Builder tls(boolean value) {
      this.tls = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    public AuroraSnapshotOrderLedgerSource build() {
      if (members.size() != 2) {
        throw new IllegalArgumentException(
            "the RPO ledger reads the two clusters of the global database, configured: "
                + members.keySet());
      }
      Objects.requireNonNull(secrets, "secrets");
      Objects.requireNonNull(clock, "clock");
      for (var d :
          Map.of(
                  "restoreTimeout", restoreTimeout,
                  "pollInterval", pollInterval,
                  "jdbcTimeout", jdbcTimeout)
              .entrySet()) {
        if (d.getValue() == null || d.getValue().isNegative() || d.getValue().isZero()) {
          throw new IllegalArgumentException(
              d.getKey() + " must be a positive duration, was " + d.getValue());
        }
      }
      return new AuroraSnapshotOrderLedgerSource(this);
    }
  }
}

package io.tradingdr.infra.config;

import java.util.List;

/**
 * A profile's preset: every number its requirement document states, plus the choices the document
 * leaves open (documented where they are made, in {@link Profile}).
 */
public record ProfileSpec(
    String name,
    String source,
    String primaryRegion,
    String standbyRegion,
    NamingStyle namingStyle,
    NetworkSpec network,
    ComputeSpec compute,
    RoutingSpec routing,
    DataSpec data,
    OrchestrationSpec orchestration,
    ObservabilitySpec observability,
    RtoSpec rto) {

  /** How physical names are formed. */
  public enum NamingStyle {
    /** {@code trading-{purpose}-{suffix}[-{role}]} (documents 000, 002, 003, 004, default). */
    TRADING,
    /** {@code dr-{purpose}-{region}-{environment}-{primary|secondary}} (document 001). */
    SERVICE_REGION_ENVIRONMENT_PURPOSE
  }

  /** What serves the trading API in each region. */
  public enum ComputeKind {
    AUTO_SCALING,
    LAMBDA_BEHIND_ALB,
    API_GATEWAY_LAMBDA
  }

  /** How Route 53 chooses the region. */
  public enum RoutingPolicy {
    WEIGHTED,
    FAILOVER
  }

  /** The order database. */
  public enum DatabaseKind {
    NONE,
    AURORA_MYSQL,
    AURORA_POSTGRESQL
  }

  /** Where the trading service stores orders: the value of its {@code TDR_ORDER_STORE}. */
  public enum OrderStore {
    POSTGRESQL("postgresql", DatabaseKind.AURORA_POSTGRESQL),
    MYSQL("mysql", DatabaseKind.AURORA_MYSQL),
    DYNAMODB("dynamodb", DatabaseKind.NONE);

    private final String envValue;
    private final DatabaseKind database;

    OrderStore(String envValue, DatabaseKind database) {
      this.envValue = envValue;
      this.database = database;
    }

    public String envValue() {
      return envValue;
    }

    /** The relational database the store needs (NONE: a DynamoDB global table instead). */
    public DatabaseKind database() {
      return database;
    }
  }

  /**
   * Subnets: explicit CIDRs when the document lists them (empty lists: CDK allocates /24s in
   * order). Private subnets are isolated when there is no NAT gateway.
   */
  public record NetworkSpec(
      int azCount,
      int natGatewaysPerRegion,
      String primaryCidr,
      String standbyCidr,
      List<String> primaryPublicSubnets,
      List<String> primaryPrivateSubnets,
      List<String> standbyPublicSubnets,
      List<String> standbyPrivateSubnets,
      boolean privateSubnets,
      boolean peering) {}

  /** Capacities per region; for Lambda the memory and reserved concurrency. */
  public record ComputeSpec(
      ComputeKind kind,
      String instanceType,
      int primaryMin,
      int primaryDesired,
      int primaryMax,
      int standbyMin,
      int standbyDesired,
      int standbyMax,
      int cpuTargetPercent,
      int albHealthCheckIntervalSeconds,
      int lambdaMemoryMb,
      int reservedConcurrency) {}

  /** Route 53: record policy, health check numbers, record TTL. */
  public record RoutingSpec(
      RoutingPolicy policy,
      int primaryWeight,
      int standbyWeight,
      int healthCheckIntervalSeconds,
      int healthCheckFailureThreshold,
      int recordTtlSeconds,
      boolean healthCheckStandby,
      int healthCheckAlarmEvaluationPeriods) {}

  /** Sessions table, order store, order database, replicated buckets, endpoint parameters. */
  public record DataSpec(
      String sessionsTablePurpose,
      String sessionsPartitionKey,
      boolean sessionsPitr,
      boolean sessionsStream,
      OrdersSpec orders,
      DatabaseKind database,
      String dbInstanceClass,
      int dbPrimaryInstances,
      int dbStandbyInstances,
      int dbBackupRetentionDays,
      boolean dbPerformanceInsights,
      List<BucketSpec> buckets,
      boolean endpointParameters) {
    public DataSpec {
      if (orders.store().database() != database) {
        throw new IllegalArgumentException(
            "order store "
                + orders.store().envValue()
                + " needs database "
                + orders.store().database()
                + ", not "
                + database);
      }
    }
  }

  /**
   * The order store. With {@link OrderStore#DYNAMODB} the orders live in a global table named by
   * {@code tablePurpose}; {@code documentedTable} says that this table (not the sessions table) is
   * the one the document's {@code dynamoTableName} output means.
   */
  public record OrdersSpec(OrderStore store, String tablePurpose, boolean documentedTable) {
    public OrdersSpec {
      boolean table = store == OrderStore.DYNAMODB;
      if (table == tablePurpose.isEmpty() || (!table && documentedTable)) {
        throw new IllegalArgumentException(
            "orders table purpose '"
                + tablePurpose
                + "' and documentedTable="
                + documentedTable
                + " do not fit order store "
                + store.envValue()
                + "; a table only with dynamodb");
      }
    }

    public static OrdersSpec inDatabase(OrderStore store) {
      return new OrdersSpec(store, "", false);
    }
  }

  /** A bucket replicated to the standby region with Replication Time Control. */
  public record BucketSpec(String purpose, int archiveAfterDays) {}

  /**
   * The failover orchestrator, its health monitor and the control table. The write lease numbers
   * are passed to the orchestrator (and to services with the lease fence, which must use the same).
   */
  public record OrchestrationSpec(
      boolean enabled,
      boolean failoverSwitchHealthCheck,
      boolean failoverSwitchConfigurable,
      int orchestratorTimeoutSeconds,
      int healthMonitorRateMinutes,
      int writeLeaseTtlSeconds,
      int writeLeaseSafetyMarginSeconds) {}

  /** Alarms, dashboard, composite alarm, canaries, explicit region deny. */
  public record ObservabilitySpec(
      boolean fullAlarmSet,
      double replicationLagSecondsThreshold,
      double lambdaErrorRatePercent,
      int dbConnectionsThreshold,
      boolean compositeAlarm,
      boolean dashboard,
      boolean canaries,
      int canaryRateMinutes,
      boolean explicitRegionDeny) {}

  /**
   * The RTO budget: the target and the documented allowances that do not appear in the template
   * (database promotion, standby scale-up); and the RPO target the replication-lag alarm guards. A
   * DynamoDB order store has no promotion (global tables accept writes in every region): its
   * allowance is 0, and where an orchestrator runs the write lease wait (TTL + safety margin, in
   * the orchestrator's environment) takes its place.
   */
  public record RtoSpec(
      int targetSeconds,
      int dbPromotionAllowanceSeconds,
      int scaleUpAllowanceSeconds,
      int rpoTargetSeconds) {}
}

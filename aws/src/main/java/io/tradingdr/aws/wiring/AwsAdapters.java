package io.tradingdr.aws.wiring;

import io.tradingdr.aws.autoscaling.AutoScalingCapacity;
import io.tradingdr.aws.cloudwatch.CloudWatchRunMetrics;
import io.tradingdr.aws.common.AwsClientSettings;
import io.tradingdr.aws.dynamodb.DynamoDbControlStore;
import io.tradingdr.aws.dynamodb.DynamoDbGlobalTableReplication;
import io.tradingdr.aws.dynamodb.DynamoDbOrderLedgerSource;
import io.tradingdr.aws.dynamodb.DynamoDbRpoLedgerStore;
import io.tradingdr.aws.health.CloudWatchAlarmProbe;
import io.tradingdr.aws.health.HttpHealthProbe;
import io.tradingdr.aws.rds.AuroraGlobalReplication;
import io.tradingdr.aws.rds.AuroraSnapshotOrderLedgerSource;
import io.tradingdr.aws.route53.Route53TrafficRouter;
import io.tradingdr.aws.sns.SnsNotifier;
import io.tradingdr.core.port.CapacityManager;
import io.tradingdr.core.port.ControlStore;
import io.tradingdr.core.port.DatabaseReplication;
import io.tradingdr.core.port.HealthProbe;
import io.tradingdr.core.port.Notifier;
import io.tradingdr.core.port.RunMetrics;
import io.tradingdr.core.port.TrafficRouter;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.rpo.OrderLedgerSource;
import io.tradingdr.core.rpo.RpoLedgerStore;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53recoverycluster.Route53RecoveryClusterClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * Every AWS adapter an orchestrator needs, built once from environment variables (the orchestrator
 * Lambda's no-arg constructor calls {@link #fromEnvironment}). A missing or invalid variable stops
 * the build with a message naming it and the allowed values.
 *
 * <p>Variables (regions are AWS region codes):
 *
 * <ul>
 *   <li>{@code TDR_AWS_REGION} (default {@code AWS_REGION}): where this process runs; run metrics
 *       and alarm probes use CloudWatch here.
 *   <li>{@code TDR_PRIMARY_REGION}, {@code TDR_STANDBY_REGION}: required.
 *   <li>{@code TDR_CONTROL_TABLE} (required), {@code TDR_CONTROL_REGION} (default {@code
 *       TDR_AWS_REGION}), {@code TDR_CONTROL_ENDPOINT} (optional override).
 *   <li>Aurora, all three or none: {@code TDR_GLOBAL_CLUSTER_ID}, {@code
 *       TDR_PRIMARY_DB_CLUSTER_ARN}, {@code TDR_STANDBY_DB_CLUSTER_ARN}. Its RPO ledger ({@link
 *       AuroraSnapshotOrderLedgerSource}) takes the optional {@code TDR_RECONCILE_SECRET_ARNS}
 *       (comma-separated), {@code TDR_RECONCILE_DATABASE}, {@code
 *       TDR_RECONCILE_SNAPSHOT_IDENTIFIER}, {@code TDR_RECONCILE_SUBNET_GROUP}, {@code
 *       TDR_RECONCILE_SECURITY_GROUPS} (comma-separated), {@code TDR_RECONCILE_INSTANCE_CLASS},
 *       {@code TDR_RECONCILE_RESTORE_TIMEOUT_MIN} (default 60).
 *   <li>Orders in a DynamoDB global table instead (no Aurora): {@code TDR_ORDERS_TABLE} selects
 *       {@link DynamoDbGlobalTableReplication} and {@link DynamoDbOrderLedgerSource}.
 *   <li>Routing: {@code TDR_HOSTED_ZONE_ID}, {@code TDR_RECORD_NAME}, {@code TDR_RECORD_TYPE}
 *       (default A), {@code TDR_ROUTING_POLICY} (WEIGHTED or FAILOVER), {@code TDR_PRIMARY_SET_ID},
 *       {@code TDR_STANDBY_SET_ID}; drains (optional): {@code TDR_DRAIN_ALARM_PRIMARY} (the alarm
 *       that drains the primary, in the standby region), {@code TDR_DRAIN_ALARM_STANDBY} (in the
 *       primary region), {@code TDR_DRAIN_NAMESPACE}, {@code TDR_DRAIN_METRIC}; ARC (optional):
 *       {@code TDR_ARC_ENDPOINTS} ({@code region=url} pairs), {@code TDR_ARC_CONTROL_PRIMARY},
 *       {@code TDR_ARC_CONTROL_STANDBY}.
 *   <li>Capacity (optional, both or none): {@code TDR_PRIMARY_ASG}, {@code TDR_STANDBY_ASG}.
 *   <li>Notifications: {@code TDR_PRIMARY_TOPIC_ARN}, {@code TDR_STANDBY_TOPIC_ARN} (at least one).
 *   <li>{@code TDR_RUN_METRICS_NAMESPACE} (default {@code TradingDR/Orchestrator}).
 *   <li>Observers: {@code TDR_MONITOR_TARGETS} ({@code region=baseUrl} pairs, HTTP probe named
 *       {@code standby-side}), {@code TDR_MONITOR_PATH}, {@code TDR_MONITOR_TIMEOUT_MS}; {@code
 *       TDR_HEALTH_ALARM_PRIMARY}, {@code TDR_HEALTH_ALARM_STANDBY} (alarms in {@code
 *       TDR_AWS_REGION}, probe named {@code cloudwatch}).
 *   <li>{@code TDR_POLL_INTERVAL_MS} (default 5000): the waiters' poll interval.
 * </ul>
 */
public record AwsAdapters(
    RegionId primary,
    RegionId standby,
    ControlStore controlStore,
    Optional<DatabaseReplication> replication,
    Optional<OrderLedgerSource> orderLedger,
    RpoLedgerStore rpoLedgers,
    TrafficRouter router,
    Optional<CapacityManager> capacity,
    Notifier notifier,
    RunMetrics runMetrics,
    List<HealthProbe> probes) {

  public AwsAdapters {
    probes = List.copyOf(probes);
  }

  /** Builds the adapters from {@code env}; the clients use the default credential chain. */
  public static AwsAdapters fromEnvironment(Map<String, String> env) {
    return fromEnvironment(
        env, region -> AwsClientSettings.builder(region).build(), Clock.systemUTC());
  }

  /** As {@link #fromEnvironment(Map)}, with the client settings per region given (tests). */
  public static AwsAdapters fromEnvironment(
      Map<String, String> env,
      java.util.function.Function<String, AwsClientSettings> settings,
      Clock clock) {
    Env e = new Env(env);
    String here =
        e.optional("TDR_AWS_REGION")
            .or(() -> e.optional("AWS_REGION"))
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        "TDR_AWS_REGION (or AWS_REGION) is required: the region this process runs in"));
    RegionId primary = e.region("TDR_PRIMARY_REGION");
    RegionId standby = e.region("TDR_STANDBY_REGION");
    if (primary.equals(standby)) {
      throw new IllegalArgumentException(
          "TDR_PRIMARY_REGION and TDR_STANDBY_REGION must differ, both are " + primary);
    }
    AwsClientSettings local = settings.apply(here);
    AwsClientSettings inPrimary = settings.apply(primary.value());
    AwsClientSettings inStandby = settings.apply(standby.value());
    Duration poll = Duration.ofMillis(e.number("TDR_POLL_INTERVAL_MS", 5000, 10, 60_000));

    AwsClientSettings control = settings.apply(e.optional("TDR_CONTROL_REGION").orElse(here));
    Optional<URI> controlEndpoint = e.optional("TDR_CONTROL_ENDPOINT").map(URI::create);
    if (controlEndpoint.isPresent()) {
      control = control.toBuilder().endpointOverride(controlEndpoint.get()).build();
    }
    DynamoDbClient controlClient = control.build(DynamoDbClient.builder());
    ControlStore controlStore =
        new DynamoDbControlStore(controlClient, e.required("TDR_CONTROL_TABLE"), clock);
    RpoLedgerStore rpoLedgers =
        new DynamoDbRpoLedgerStore(controlClient, e.required("TDR_CONTROL_TABLE"));

    Optional<DatabaseReplication> replication = Optional.empty();
    Optional<OrderLedgerSource> orderLedger = Optional.empty();
    List<String> aurora =
        List.of(
            "TDR_GLOBAL_CLUSTER_ID", "TDR_PRIMARY_DB_CLUSTER_ARN", "TDR_STANDBY_DB_CLUSTER_ARN");
    boolean hasAurora = e.allOrNone(aurora);
    if (hasAurora && e.optional("TDR_ORDERS_TABLE").isPresent()) {
      throw new IllegalArgumentException(
          "set TDR_ORDERS_TABLE (orders in a DynamoDB global table) or the Aurora variables"
              + " TDR_GLOBAL_CLUSTER_ID, TDR_PRIMARY_DB_CLUSTER_ARN, TDR_STANDBY_DB_CLUSTER_ARN"
              + " (orders in Aurora), not both");
    }
    if (!hasAurora) {
      List<String> reconcile =
          RECONCILE_VARIABLES.stream().filter(v -> e.optional(v).isPresent()).toList();
      if (!reconcile.isEmpty()) {
        throw new IllegalArgumentException(
            String.join(", ", reconcile)
                + " configure the RPO ledger of an Aurora global database; set"
                + " TDR_GLOBAL_CLUSTER_ID, TDR_PRIMARY_DB_CLUSTER_ARN and"
                + " TDR_STANDBY_DB_CLUSTER_ARN too, or remove them");
      }
    }
    if (e.optional("TDR_ORDERS_TABLE").isPresent()) {
      String orders = e.required("TDR_ORDERS_TABLE");
      DynamoDbClient primaryDynamoDb = inPrimary.build(DynamoDbClient.builder());
      DynamoDbClient standbyDynamoDb = inStandby.build(DynamoDbClient.builder());
      replication =
          Optional.of(
              DynamoDbGlobalTableReplication.builder()
                  .table(orders)
                  .replica(primary, primaryDynamoDb, inPrimary.build(CloudWatchClient.builder()))
                  .replica(standby, standbyDynamoDb, inStandby.build(CloudWatchClient.builder()))
                  .lease(controlStore::read)
                  .pollInterval(poll)
                  .clock(clock)
                  .build());
      orderLedger =
          Optional.of(
              new DynamoDbOrderLedgerSource(
                  orders, Map.of(primary, primaryDynamoDb, standby, standbyDynamoDb)));
    }
    if (hasAurora) {
      RdsClient primaryRds = inPrimary.build(RdsClient.builder());
      RdsClient standbyRds = inStandby.build(RdsClient.builder());
      Map<String, SecretsManagerClient> secrets = new java.util.concurrent.ConcurrentHashMap<>();
      orderLedger =
          Optional.of(
              AuroraSnapshotOrderLedgerSource.builder()
                  .member(primary, e.required("TDR_PRIMARY_DB_CLUSTER_ARN"), primaryRds)
                  .member(standby, e.required("TDR_STANDBY_DB_CLUSTER_ARN"), standbyRds)
                  .secrets(
                      region ->
                          secrets.computeIfAbsent(
                              region, r -> settings.apply(r).build(SecretsManagerClient.builder())))
                  .secretArns(e.list("TDR_RECONCILE_SECRET_ARNS"))
                  .database(e.optional("TDR_RECONCILE_DATABASE"))
                  .snapshotIdentifier(e.optional("TDR_RECONCILE_SNAPSHOT_IDENTIFIER"))
                  .subnetGroup(e.optional("TDR_RECONCILE_SUBNET_GROUP"))
                  .securityGroupIds(e.list("TDR_RECONCILE_SECURITY_GROUPS"))
                  .instanceClass(e.optional("TDR_RECONCILE_INSTANCE_CLASS"))
                  .restoreTimeout(
                      Duration.ofMinutes(e.number("TDR_RECONCILE_RESTORE_TIMEOUT_MIN", 60, 5, 720)))
                  .pollInterval(poll)
                  .clock(clock)
                  .build());
      replication =
          Optional.of(
              AuroraGlobalReplication.builder()
                  .globalClusterIdentifier(e.required("TDR_GLOBAL_CLUSTER_ID"))
                  .member(
                      primary,
                      e.required("TDR_PRIMARY_DB_CLUSTER_ARN"),
                      primaryRds,
                      inPrimary.build(CloudWatchClient.builder()))
                  .member(
                      standby,
                      e.required("TDR_STANDBY_DB_CLUSTER_ARN"),
                      standbyRds,
                      inStandby.build(CloudWatchClient.builder()))
                  .pollInterval(poll)
                  .clock(clock)
                  .build());
    }

    // Route 53 is global; its control plane answers through us-east-1.
    Route53TrafficRouter.Builder router =
        Route53TrafficRouter.builder()
            .route53(settings.apply("us-east-1").build(Route53Client.builder()))
            .hostedZoneId(e.required("TDR_HOSTED_ZONE_ID"))
            .record(
                e.required("TDR_RECORD_NAME"),
                e.choice("TDR_RECORD_TYPE", "A", List.of("A", "AAAA", "CNAME"))
                    .transform(RRType::fromValue),
                Route53TrafficRouter.RoutingPolicy.valueOf(
                    e.choice("TDR_ROUTING_POLICY", null, List.of("WEIGHTED", "FAILOVER"))))
            .region(primary, e.required("TDR_PRIMARY_SET_ID"))
            .region(standby, e.required("TDR_STANDBY_SET_ID"))
            .pollInterval(poll)
            .clock(clock);
    e.optional("TDR_DRAIN_ALARM_PRIMARY")
        .ifPresent(
            alarm -> router.drain(primary, alarm, inStandby.build(CloudWatchClient.builder())));
    e.optional("TDR_DRAIN_ALARM_STANDBY")
        .ifPresent(
            alarm -> router.drain(standby, alarm, inPrimary.build(CloudWatchClient.builder())));
    if (e.optional("TDR_DRAIN_NAMESPACE").isPresent()
        || e.optional("TDR_DRAIN_METRIC").isPresent()) {
      router.drainMetric(
          e.optional("TDR_DRAIN_NAMESPACE").orElse("TradingDR/Routing"),
          e.optional("TDR_DRAIN_METRIC").orElse("RegionDrained"));
    }
    if (e.allOrNone(
        List.of("TDR_ARC_ENDPOINTS", "TDR_ARC_CONTROL_PRIMARY", "TDR_ARC_CONTROL_STANDBY"))) {
      e.pairs("TDR_ARC_ENDPOINTS")
          .forEach(
              (region, url) -> {
                URI endpoint = URI.create(url);
                router.arcEndpoint(
                    endpoint,
                    settings.apply(region).toBuilder()
                        .endpointOverride(endpoint)
                        .build()
                        .build(Route53RecoveryClusterClient.builder()));
              });
      router.routingControl(primary, e.required("TDR_ARC_CONTROL_PRIMARY"));
      router.routingControl(standby, e.required("TDR_ARC_CONTROL_STANDBY"));
    }

    Optional<CapacityManager> capacity = Optional.empty();
    if (e.allOrNone(List.of("TDR_PRIMARY_ASG", "TDR_STANDBY_ASG"))) {
      capacity =
          Optional.of(
              new AutoScalingCapacity(
                  Map.of(
                      primary,
                          new AutoScalingCapacity.Group(
                              e.required("TDR_PRIMARY_ASG"),
                              inPrimary.build(AutoScalingClient.builder())),
                      standby,
                          new AutoScalingCapacity.Group(
                              e.required("TDR_STANDBY_ASG"),
                              inStandby.build(AutoScalingClient.builder()))),
                  clock,
                  poll));
    }

    Map<RegionId, SnsNotifier.Topic> topics = new LinkedHashMap<>();
    e.optional("TDR_PRIMARY_TOPIC_ARN")
        .ifPresent(
            arn ->
                topics.put(
                    primary, new SnsNotifier.Topic(arn, inPrimary.build(SnsClient.builder()))));
    e.optional("TDR_STANDBY_TOPIC_ARN")
        .ifPresent(
            arn ->
                topics.put(
                    standby, new SnsNotifier.Topic(arn, inStandby.build(SnsClient.builder()))));
    if (topics.isEmpty()) {
      throw new IllegalArgumentException(
          "TDR_PRIMARY_TOPIC_ARN or TDR_STANDBY_TOPIC_ARN is required (both recommended)");
    }

    CloudWatchClient localCloudWatch = local.build(CloudWatchClient.builder());
    List<HealthProbe> probes = new ArrayList<>();
    if (e.optional("TDR_MONITOR_TARGETS").isPresent()) {
      Map<RegionId, URI> targets = new LinkedHashMap<>();
      e.pairs("TDR_MONITOR_TARGETS")
          .forEach((region, url) -> targets.put(RegionId.of(region), URI.create(url)));
      probes.add(
          new HttpHealthProbe(
              "standby-side",
              targets,
              e.optional("TDR_MONITOR_PATH").orElse(HttpHealthProbe.DEFAULT_PATH),
              Duration.ofMillis(e.number("TDR_MONITOR_TIMEOUT_MS", 3000, 1, 60_000)),
              clock));
    }
    Map<RegionId, CloudWatchAlarmProbe.Alarm> alarms = new LinkedHashMap<>();
    e.optional("TDR_HEALTH_ALARM_PRIMARY")
        .ifPresent(a -> alarms.put(primary, new CloudWatchAlarmProbe.Alarm(a, localCloudWatch)));
    e.optional("TDR_HEALTH_ALARM_STANDBY")
        .ifPresent(a -> alarms.put(standby, new CloudWatchAlarmProbe.Alarm(a, localCloudWatch)));
    if (!alarms.isEmpty()) {
      probes.add(new CloudWatchAlarmProbe("cloudwatch", alarms, clock));
    }

    return new AwsAdapters(
        primary,
        standby,
        controlStore,
        replication,
        orderLedger,
        rpoLedgers,
        router.build(),
        capacity,
        new SnsNotifier(topics),
        new CloudWatchRunMetrics(
            localCloudWatch,
            e.optional("TDR_RUN_METRICS_NAMESPACE").orElse(CloudWatchRunMetrics.DEFAULT_NAMESPACE)),
        probes);
  }

  /** The Aurora RPO ledger's optional settings. */
  public static final List<String> RECONCILE_VARIABLES =
      List.of(
          "TDR_RECONCILE_SECRET_ARNS",
          "TDR_RECONCILE_DATABASE",
          "TDR_RECONCILE_SNAPSHOT_IDENTIFIER",
          "TDR_RECONCILE_SUBNET_GROUP",
          "TDR_RECONCILE_SECURITY_GROUPS",
          "TDR_RECONCILE_INSTANCE_CLASS",
          "TDR_RECONCILE_RESTORE_TIMEOUT_MIN");

  /** Reads and validates variables, naming the variable in every error. */
  private record Env(Map<String, String> values) {

    Optional<String> optional(String name) {
      String v = values.get(name);
      return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    String required(String name) {
      return optional(name).orElseThrow(() -> new IllegalArgumentException(name + " is required"));
    }

    RegionId region(String name) {
      String v = required(name);
      if (!v.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
        throw new IllegalArgumentException(
            name + " '" + v + "' is invalid: use an AWS region code such as us-east-1");
      }
      return RegionId.of(v);
    }

    String choice(String name, String fallback, List<String> allowed) {
      String v = optional(name).map(s -> s.toUpperCase(Locale.ROOT)).orElse(fallback);
      if (v == null || !allowed.contains(v)) {
        throw new IllegalArgumentException(
            name
                + (v == null ? " is required" : " '" + v + "' is invalid")
                + ": use one of "
                + String.join(", ", allowed));
      }
      return v;
    }

    long number(String name, long fallback, long min, long max) {
      Optional<String> raw = optional(name);
      if (raw.isEmpty()) {
        return fallback;
      }
      try {
        long n = Long.parseLong(raw.get());
        if (n < min || n > max) {
          throw new IllegalArgumentException(
              name + " must be between " + min + " and " + max + ", was " + n);
        }
        return n;
      } catch (NumberFormatException ex) {
        throw new IllegalArgumentException(
            name + " '" + raw.get() + "' is invalid: use a whole number", ex);
      }
    }

    /** True when all of {@code names} are set, false when none is; a partial group is an error. */
    boolean allOrNone(List<String> names) {
      long set = names.stream().filter(n -> optional(n).isPresent()).count();
      if (set != 0 && set != names.size()) {
        throw new IllegalArgumentException(
            "set all of "
                + String.join(", ", names)
                + " or none of them; missing: "
                + String.join(", ", names.stream().filter(n -> optional(n).isEmpty()).toList()));
      }
      return set == names.size();
    }

    /** Comma-separated values; empty when unset. */
    List<String> list(String name) {
      return optional(name)
          .map(v -> Arrays.stream(v.split(",")).map(String::strip).filter(x -> !x.isEmpty()))
          .map(java.util.stream.Stream::toList)
          .orElse(List.of());
    }

    /** {@code key=value} pairs separated by commas. */
    Map<String, String> pairs(String name) {
      Map<String, String> pairs = new LinkedHashMap<>();
      for (String raw : required(name).split(",")) {
        String pair = raw.strip();
        int eq = pair.indexOf('=');
        if (eq <= 0 || eq == pair.length() - 1) {
          throw new IllegalArgumentException(
              name + " entry '" + pair + "' is invalid: use key=value");
        }
        pairs.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
      }
      return pairs;
    }
  }
}

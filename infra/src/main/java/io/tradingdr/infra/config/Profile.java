package io.tradingdr.infra.config;

import io.tradingdr.infra.config.ProfileSpec.BucketSpec;
import io.tradingdr.infra.config.ProfileSpec.ComputeKind;
import io.tradingdr.infra.config.ProfileSpec.ComputeSpec;
import io.tradingdr.infra.config.ProfileSpec.DataSpec;
import io.tradingdr.infra.config.ProfileSpec.DatabaseKind;
import io.tradingdr.infra.config.ProfileSpec.NamingStyle;
import io.tradingdr.infra.config.ProfileSpec.NetworkSpec;
import io.tradingdr.infra.config.ProfileSpec.ObservabilitySpec;
import io.tradingdr.infra.config.ProfileSpec.OrchestrationSpec;
import io.tradingdr.infra.config.ProfileSpec.OrderStore;
import io.tradingdr.infra.config.ProfileSpec.OrdersSpec;
import io.tradingdr.infra.config.ProfileSpec.RoutingPolicy;
import io.tradingdr.infra.config.ProfileSpec.RoutingSpec;
import io.tradingdr.infra.config.ProfileSpec.RtoSpec;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The named presets. Numbers come from the requirement documents; where a document is silent the
 * choice is written next to it. Allowances: an Aurora global database failover
 * (FailoverGlobalCluster with AllowDataLoss) typically completes within a minute, budgeted at 120
 * s; a standby that must launch instances (boot, dnf install of the JDK through the S3 endpoint,
 * service start, two ALB health checks) is budgeted at 180 s; a standby already at full capacity,
 * or Lambda, needs 0 s. Orders in a DynamoDB global table need no promotion (0 s); with an
 * orchestrator the write lease wait (TTL 10 s + safety margin 2 s, the orchestrator's defaults,
 * passed explicitly) takes its place.
 */
public enum Profile {
  WARM_STANDBY(
      "warm-standby",
      new ProfileSpec(
          "warm-standby",
          "documents 000 + 002",
          "us-east-1",
          "us-east-2",
          NamingStyle.TRADING,
          new NetworkSpec(
              2,
              0,
              "10.0.0.0/16",
              "10.1.0.0/16",
              List.of("10.0.1.0/24", "10.0.2.0/24"),
              List.of("10.0.11.0/24", "10.0.12.0/24"),
              List.of("10.1.1.0/24", "10.1.2.0/24"),
              List.of("10.1.11.0/24", "10.1.12.0/24"),
              true,
              false),
          // Max 4 per region (not in the documents): room for CPU scaling and failover scale-up.
          new ComputeSpec(ComputeKind.AUTO_SCALING, "t3.medium", 2, 2, 4, 1, 1, 4, 70, 10, 0, 0),
          // TTL 60 (not in the documents): the same as an ALB alias record's fixed TTL.
          new RoutingSpec(RoutingPolicy.WEIGHTED, 100, 0, 10, 3, 60, false, 3),
          new DataSpec(
              "sessions",
              "sessionId",
              true,
              false,
              // Orders in a second global table: the documents have no relational database.
              new OrdersSpec(OrderStore.DYNAMODB, "orders", false),
              DatabaseKind.NONE,
              "",
              0,
              0,
              0,
              false,
              List.of(),
              false),
          new OrchestrationSpec(false, false, true, 300, 1, 10, 2),
          new ObservabilitySpec(false, 0, 0, 0, false, false, false, 0, false),
          new RtoSpec(300, 0, 180, 60))),

  ACTIVE_PASSIVE(
      "active-passive",
      new ProfileSpec(
          "active-passive",
          "document 004",
          "us-east-1",
          "us-east-2",
          NamingStyle.TRADING,
          new NetworkSpec(
              3,
              3,
              "10.0.0.0/16",
              "10.1.0.0/16",
              List.of(),
              List.of(),
              List.of(),
              List.of(),
              true,
              true),
          new ComputeSpec(ComputeKind.AUTO_SCALING, "t3.large", 3, 3, 10, 3, 3, 10, 70, 10, 0, 0),
          new RoutingSpec(RoutingPolicy.FAILOVER, 0, 0, 10, 3, 60, true, 3),
          new DataSpec(
              "sessions",
              "sessionId",
              true,
              false,
              OrdersSpec.inDatabase(OrderStore.MYSQL),
              DatabaseKind.AURORA_MYSQL,
              "db.r6g.large",
              2,
              1,
              7,
              false,
              List.of(new BucketSpec("app-logs", 90), new BucketSpec("audit", 90)),
              false),
          new OrchestrationSpec(true, true, false, 300, 1, 10, 2),
          new ObservabilitySpec(true, 1, 1, 800, true, true, false, 0, true),
          new RtoSpec(300, 120, 0, 60))),

  SERVERLESS_ALB(
      "serverless-alb",
      new ProfileSpec(
          "serverless-alb",
          "document 001",
          "us-east-1",
          "us-west-2",
          NamingStyle.SERVICE_REGION_ENVIRONMENT_PURPOSE,
          new NetworkSpec(
              2,
              0,
              "10.0.0.0/16",
              "10.1.0.0/16",
              List.of(),
              List.of(),
              List.of(),
              List.of(),
              false,
              false),
          new ComputeSpec(ComputeKind.LAMBDA_BEHIND_ALB, "", 0, 0, 0, 0, 0, 0, 0, 0, 512, 100),
          new RoutingSpec(RoutingPolicy.FAILOVER, 0, 0, 30, 3, 60, false, 1),
          new DataSpec(
              "sessions",
              "sessionId",
              true,
              false,
              // The document's transactions table is the orders store (key pk, as the service
              // expects); the sessions table above is added for the service.
              new OrdersSpec(OrderStore.DYNAMODB, "transactions", true),
              DatabaseKind.NONE,
              "",
              0,
              0,
              0,
              false,
              List.of(new BucketSpec("documents", 0)),
              true),
          new OrchestrationSpec(false, false, false, 300, 1, 10, 2),
          new ObservabilitySpec(false, 0, 0, 0, false, false, false, 0, false),
          new RtoSpec(300, 0, 0, 60))),

  SERVERLESS_API(
      "serverless-api",
      new ProfileSpec(
          "serverless-api",
          "document 003",
          "us-east-1",
          "us-east-2",
          NamingStyle.TRADING,
          new NetworkSpec(
              2,
              0,
              "10.0.0.0/16",
              "10.1.0.0/16",
              List.of(),
              List.of(),
              List.of(),
              List.of(),
              true,
              false),
          // Reserved concurrency 100 (document 003 says "reserved", 001 gives the number).
          new ComputeSpec(ComputeKind.API_GATEWAY_LAMBDA, "", 0, 0, 0, 0, 0, 0, 0, 0, 1024, 100),
          new RoutingSpec(RoutingPolicy.FAILOVER, 0, 0, 30, 3, 60, false, 1),
          new DataSpec(
              "sessions",
              "sessionId",
              true,
              true,
              OrdersSpec.inDatabase(OrderStore.POSTGRESQL),
              DatabaseKind.AURORA_POSTGRESQL,
              "db.r6g.large",
              1,
              1,
              7,
              true,
              List.of(new BucketSpec("documents", 0)),
              false),
          new OrchestrationSpec(true, true, false, 300, 1, 10, 2),
          new ObservabilitySpec(true, 1, 1, 800, true, true, true, 5, false),
          new RtoSpec(300, 120, 0, 60))),

  RECOMMENDED(
      "recommended",
      new ProfileSpec(
          "recommended",
          "README: the recommended architecture",
          "us-east-1",
          "us-east-2",
          NamingStyle.TRADING,
          new NetworkSpec(
              3,
              3,
              "10.0.0.0/16",
              "10.1.0.0/16",
              List.of(),
              List.of(),
              List.of(),
              List.of(),
              true,
              false),
          new ComputeSpec(ComputeKind.AUTO_SCALING, "t3.large", 3, 3, 10, 3, 3, 10, 70, 10, 0, 0),
          new RoutingSpec(RoutingPolicy.FAILOVER, 0, 0, 10, 3, 60, true, 3),
          new DataSpec(
              "sessions",
              "sessionId",
              true,
              false,
              OrdersSpec.inDatabase(OrderStore.POSTGRESQL),
              DatabaseKind.AURORA_POSTGRESQL,
              "db.r6g.large",
              2,
              1,
              7,
              true,
              List.of(new BucketSpec("app-logs", 90), new BucketSpec("audit", 90)),
              false),
          new OrchestrationSpec(true, true, false, 300, 1, 10, 2),
          new ObservabilitySpec(true, 1, 1, 800, true, true, false, 0, true),
          new RtoSpec(300, 120, 0, 60)));

  private final String id;
  private final ProfileSpec spec;

  Profile(String id, ProfileSpec spec) {
    this.id = id;
    this.spec = spec;
  }

  public String id() {
    return id;
  }

  public ProfileSpec spec() {
    return spec;
  }

  /** The profile used when none is given. */
  public static Profile defaultProfile() {
    return RECOMMENDED;
  }

  public static String allowedIds() {
    return Arrays.stream(values()).map(Profile::id).collect(Collectors.joining(", "));
  }

  public static Profile fromId(String id) {
    return Arrays.stream(values())
        .filter(p -> p.id.equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new ConfigException(
                    "profile: unknown profile '" + id + "'; allowed values: " + allowedIds()));
  }
}

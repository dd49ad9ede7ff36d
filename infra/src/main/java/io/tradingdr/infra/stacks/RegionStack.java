package io.tradingdr.infra.stacks;

import io.tradingdr.infra.config.InfraConfig;
import io.tradingdr.infra.config.Naming;
import io.tradingdr.infra.config.ProfileSpec;
import io.tradingdr.infra.config.ProfileSpec.BucketSpec;
import io.tradingdr.infra.config.ProfileSpec.ComputeKind;
import io.tradingdr.infra.config.ProfileSpec.DatabaseKind;
import io.tradingdr.infra.config.ProfileSpec.OrderStore;
import io.tradingdr.infra.config.ProfileSpec.OrdersSpec;
import io.tradingdr.infra.config.RegionRole;
import io.tradingdr.infra.constructs.AccessLogBucket;
import io.tradingdr.infra.constructs.AlertTopic;
import io.tradingdr.infra.constructs.ApiCompute;
import io.tradingdr.infra.constructs.AsgCompute;
import io.tradingdr.infra.constructs.AuroraDatabase;
import io.tradingdr.infra.constructs.ControlTable;
import io.tradingdr.infra.constructs.CrossRegionDashboard;
import io.tradingdr.infra.constructs.DataKey;
import io.tradingdr.infra.constructs.DrainSwitch;
import io.tradingdr.infra.constructs.EndpointParameters;
import io.tradingdr.infra.constructs.Iam;
import io.tradingdr.infra.constructs.LambdaAlbCompute;
import io.tradingdr.infra.constructs.Network;
import io.tradingdr.infra.constructs.Orchestration;
import io.tradingdr.infra.constructs.OrdersTable;
import io.tradingdr.infra.constructs.PublicAlb;
import io.tradingdr.infra.constructs.RegionAlarms;
import io.tradingdr.infra.constructs.ReplicatedBuckets;
import io.tradingdr.infra.constructs.SessionTable;
import io.tradingdr.infra.constructs.TradingCanaries;
import io.tradingdr.infra.constructs.VpcPeering;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Fn;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.route53.ARecord;
import software.amazon.awscdk.services.route53.IHostedZone;
import software.amazon.awscdk.services.route53.PublicHostedZone;
import software.amazon.awscdk.services.route53.RecordTarget;
import software.amazon.awscdk.services.route53.targets.ApiGatewayDomain;
import software.amazon.awscdk.services.route53.targets.LoadBalancerTarget;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * One region of the pair. The primary stack also holds the hosted zone, the sessions global table
 * and, for a DynamoDB order store, the orders global table (each with its standby replica), the
 * source buckets, the Aurora global cluster and the cross-region dashboard; the standby stack the
 * Aurora secondary and the VPC peering.
 */
public final class RegionStack extends Stack {
  private final Network network;
  private final IHostedZone zone;
  private final IKey dataKey;
  private VpcPeering peering;

  /**
   * Typed inputs. For the standby: its key, topic and log bucket from the standby base stack, the
   * zone and primary VPC from the primary stack. For the primary: the standby key ARN (replicas).
   * For both: the control key ARN when the orchestrator is deployed.
   */
  public record Props(
      InfraConfig config,
      Naming naming,
      RegionRole role,
      IKey baseKey,
      ITopic baseTopic,
      IBucket baseAccessLogs,
      String standbyKeyArn,
      IHostedZone zone,
      RegionStack primary,
      String controlKeyArn) {}

  public RegionStack(Construct scope, String id, Props props) {
    super(
        scope,
        id,
        StackProps.builder()
            .stackName(id)
            .description(
                "Trading DR "
                    + props.role().word()
                    + " region ("
                    + props.config().profile().id()
                    + ")")
            .env(
                Environment.builder()
                    .account(props.config().account())
                    .region(props.config().region(props.role()))
                    .build())
            .crossRegionReferences(true)
            .build());
    // Strong references (Fn::ImportValue) are intended: they pin the deploy order.
    Annotations.of(this)
        .acknowledgeWarning(
            "@aws-cdk/core:crossStackReferencesDefaultStrong",
            "Strong cross-stack references keep the one-directional deploy order");
    InfraConfig config = props.config();
    ProfileSpec spec = config.spec();
    Naming naming = props.naming();
    RegionRole role = props.role();
    String region = config.region(role);
    String peerRegion = config.region(role.other());
    String account = config.account();
    boolean primary = role == RegionRole.PRIMARY;
    List<String> allowedRegions =
        spec.observability().explicitRegionDeny() ? allowedRegions(config) : List.of();

    IKey key =
        primary
            ? new DataKey(
                    this,
                    "DataKey",
                    new DataKey.Props(
                        "alias/" + naming.regional("data", role, region),
                        region,
                        account,
                        config.destroyable()))
                .key()
            : props.baseKey();
    ITopic topic =
        primary
            ? new AlertTopic(this, "Topic", naming.regional("failover", role, region), key, account)
                .topic()
            : props.baseTopic();
    IBucket accessLogs =
        primary
            ? new AccessLogBucket(
                    this, "AccessLogs", naming.bucket("access-logs", region), config.destroyable())
                .bucket()
            : props.baseAccessLogs();
    this.dataKey = key;
    // The other region's data key (its topic's key): the standby key for the primary, and the
    // primary key (a cross-region reference, primary deployed first) for the standby.
    String peerKeyArn = primary ? props.standbyKeyArn() : props.primary().dataKey().getKeyArn();
    if (primary) {
      PublicHostedZone hostedZone =
          PublicHostedZone.Builder.create(this, "Zone")
              .zoneName(config.domainName())
              .comment("Trading DR " + config.environmentSuffix())
              .build();
      this.zone = hostedZone;
      CfnOutput.Builder.create(this, "hostedZoneId")
          .value(hostedZone.getHostedZoneId())
          .description("Route 53 hosted zone ID")
          .build();
      CfnOutput.Builder.create(this, "hostedZoneNameServers")
          .value(Fn.join(",", hostedZone.getHostedZoneNameServers()))
          .description("Name servers for DNS delegation")
          .build();
    } else {
      this.zone = props.zone();
    }

    // Network.
    ProfileSpec.NetworkSpec net = spec.network();
    List<InterfaceVpcEndpointAwsService> endpoints = new ArrayList<>();
    if (net.natGatewaysPerRegion() == 0 && net.privateSubnets()) {
      if (spec.data().database() != DatabaseKind.NONE) {
        endpoints.add(InterfaceVpcEndpointAwsService.SECRETS_MANAGER);
      }
      if (spec.compute().kind() == ComputeKind.API_GATEWAY_LAMBDA) {
        endpoints.add(InterfaceVpcEndpointAwsService.SQS);
      }
    }
    String cidr = primary ? net.primaryCidr() : net.standbyCidr();
    this.network =
        new Network(
            this,
            "Network",
            new Network.Props(
                naming.regional("vpc", role, region),
                cidr,
                net.azCount(),
                net.natGatewaysPerRegion(),
                net.privateSubnets(),
                primary ? net.primaryPublicSubnets() : net.standbyPublicSubnets(),
                primary ? net.primaryPrivateSubnets() : net.standbyPrivateSubnets(),
                endpoints,
                key,
                config.destroyable()));
    CfnOutput.Builder.create(this, role.word() + "VpcId")
        .value(network.vpc().getVpcId())
        .description("VPC ID in the " + role.word() + " region")
        .build();

    // Data.
    String sessionsTable = naming.table(spec.data().sessionsTablePurpose());
    OrdersSpec orders = spec.data().orders();
    String ordersTable =
        orders.store() == OrderStore.DYNAMODB ? naming.table(orders.tablePurpose()) : null;
    if (primary) {
      new SessionTable(
          this,
          "Sessions",
          new SessionTable.Props(
              sessionsTable,
              spec.data().sessionsPartitionKey(),
              spec.data().sessionsPitr(),
              spec.data().sessionsStream(),
              key,
              config.standbyRegion(),
              props.standbyKeyArn(),
              config.destroyable()));
      if (ordersTable != null) {
        new OrdersTable(
            this,
            "Orders",
            new OrdersTable.Props(
                ordersTable,
                key,
                config.standbyRegion(),
                props.standbyKeyArn(),
                config.destroyable()));
        CfnOutput.Builder.create(this, "ordersTableName")
            .value(ordersTable)
            .description("DynamoDB global table of the orders")
            .build();
      }
      // The table the document means: its transactions table (001) or the sessions table.
      CfnOutput.Builder.create(this, "dynamoTableName")
          .value(orders.documentedTable() ? ordersTable : sessionsTable)
          .description("DynamoDB global table name")
          .build();
      if (!spec.data().buckets().isEmpty()) {
        ReplicatedBuckets buckets =
            new ReplicatedBuckets(
                this,
                "Buckets",
                new ReplicatedBuckets.Props(
                    spec.data().buckets(),
                    bucketNames(config, naming, region),
                    key,
                    accessLogs,
                    new ReplicatedBuckets.Replica(
                        bucketNames(config, naming, config.standbyRegion()),
                        config.standbyRegion(),
                        props.standbyKeyArn()),
                    naming.regional("s3-replication", role, region),
                    allowedRegions,
                    config.destroyable()));
        buckets
            .buckets()
            .forEach(
                (purpose, bucket) ->
                    CfnOutput.Builder.create(this, "bucket" + camel(purpose))
                        .value(bucket.getBucketName())
                        .description("Bucket " + purpose + " (replicated to the standby region)")
                        .build());
      }
    }
    List<PolicyStatement> serviceStatements = new ArrayList<>();
    serviceStatements.add(
        Iam.allow(
            SessionTable.DATA_ACTIONS, List.of(SessionTable.arn(region, account, sessionsTable))));
    serviceStatements.add(
        Iam.allow(
            List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"),
            List.of(key.getKeyArn())));
    Map<String, String> serviceEnv = new LinkedHashMap<>();
    serviceEnv.put("TDR_REGION", region);
    serviceEnv.put("TDR_AWS_REGION", region);
    serviceEnv.put("TDR_SESSIONS_TABLE", sessionsTable);
    serviceEnv.put("TDR_ORDER_STORE", orders.store().envValue());
    if (ordersTable != null) {
      serviceEnv.put("TDR_ORDERS_TABLE", ordersTable);
      // Each region's service uses its own replica.
      serviceStatements.add(
          Iam.allow(
              OrdersTable.SERVICE_TABLE_ACTIONS,
              List.of(SessionTable.arn(region, account, ordersTable))));
      serviceStatements.add(
          Iam.allow(
              OrdersTable.SERVICE_INDEX_ACTIONS,
              List.of(OrdersTable.indexArn(region, account, ordersTable))));
    }

    AuroraDatabase database = null;
    DatabaseKind dbKind = spec.data().database();
    if (dbKind != DatabaseKind.NONE) {
      List<String> clients = new ArrayList<>(List.of(cidr));
      if (net.peering()) {
        clients.add(primary ? net.standbyCidr() : net.primaryCidr());
      }
      database =
          new AuroraDatabase(
              this,
              "Database",
              new AuroraDatabase.Props(
                  role,
                  dbKind,
                  dbClusterId(naming, role, region),
                  globalClusterId(naming),
                  dbSecretName(naming),
                  spec.data().dbInstanceClass(),
                  primary ? spec.data().dbPrimaryInstances() : spec.data().dbStandbyInstances(),
                  spec.data().dbBackupRetentionDays(),
                  spec.data().dbPerformanceInsights(),
                  network.vpc(),
                  network.privateSubnets(),
                  clients,
                  key,
                  config.standbyRegion(),
                  props.standbyKeyArn(),
                  config.destroyable()));
      serviceEnv.put("TDR_DB_URL", database.jdbcUrl(dbKind));
      serviceEnv.put("TDR_DB_USER", AuroraDatabase.MASTER_USER);
      // Secrets Manager accepts the name; it is the same in both regions (replica).
      serviceEnv.put("TDR_DB_SECRET_ARN", dbSecretName(naming));
      serviceStatements.add(
          Iam.allow(
              List.of("secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"),
              List.of(
                  "arn:aws:secretsmanager:"
                      + region
                      + ":"
                      + account
                      + ":secret:"
                      + dbSecretName(naming)
                      + "-??????")));
      CfnOutput.Builder.create(this, role.word() + "DbClusterEndpoint")
          .value(database.cluster().getClusterEndpoint().getHostname())
          .description("Aurora cluster endpoint in the " + role.word() + " region")
          .build();
      if (primary) {
        CfnOutput.Builder.create(this, "globalClusterIdentifier")
            .value(globalClusterId(naming))
            .description("Aurora global cluster identifier")
            .build();
      }
    }
    boolean leaseFence = config.orchestrator() && net.natGatewaysPerRegion() > 0;
    if (leaseFence) {
      serviceEnv.put("TDR_CONTROL_TABLE", ControlStack.tableName(naming));
      serviceEnv.put("TDR_CONTROL_REGION", config.controlRegion());
      serviceEnv.putAll(writeLeaseEnv(spec));
      serviceStatements.add(
          Iam.allow(
              ControlTable.ACTIONS,
              List.of(
                  SessionTable.arn(
                      config.controlRegion(), account, ControlStack.tableName(naming)))));
      serviceStatements.add(
          Iam.allow(
              List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"),
              List.of(props.controlKeyArn())));
    } else {
      // Without a route to the control region the service uses the static fence.
      serviceEnv.put("TDR_WRITE_ROLE", primary ? "WRITER" : "STANDBY");
      if (primary) {
        serviceEnv.put("TDR_WRITE_EPOCH", "1");
      }
    }

    // Compute and the region's own name.
    List<IFunction> functions = new ArrayList<>();
    List<IFunction> supportFunctions = new ArrayList<>();
    String targetGroupFullName = null;
    String loadBalancerFullName = null;
    String apiName = null;
    String asgName = null;
    ComputeKind kind = spec.compute().kind();
    String regionalHost = config.regionalHost(role);
    if (kind == ComputeKind.AUTO_SCALING || kind == ComputeKind.LAMBDA_BEHIND_ALB) {
      PublicAlb alb =
          new PublicAlb(
              this,
              "Alb",
              new PublicAlb.Props(
                  naming.limited("alb", role, region),
                  network.vpc(),
                  zone,
                  config.applicationHost(),
                  regionalHost,
                  accessLogs,
                  naming.regional("waf", role, region),
                  key));
      loadBalancerFullName = alb.alb().getLoadBalancerFullName();
      String targetGroupArn;
      if (kind == ComputeKind.AUTO_SCALING) {
        ProfileSpec.ComputeSpec c = spec.compute();
        serviceEnv.put("TDR_HTTP_PORT", Integer.toString(AsgCompute.SERVICE_PORT));
        asgName = naming.regional("asg", role, region);
        AsgCompute compute =
            new AsgCompute(
                this,
                "Compute",
                new AsgCompute.Props(
                    asgName,
                    naming.limited("tg", role, region),
                    naming.regional("instance", role, region),
                    naming.regional("instance", role, region),
                    network.vpc(),
                    network.privateSubnets(),
                    alb,
                    c.instanceType(),
                    primary ? c.primaryMin() : c.standbyMin(),
                    primary ? c.primaryDesired() : c.standbyDesired(),
                    primary ? c.primaryMax() : c.standbyMax(),
                    c.cpuTargetPercent(),
                    c.albHealthCheckIntervalSeconds(),
                    config.serviceJar(),
                    region,
                    serviceEnv,
                    serviceStatements,
                    allowedRegions,
                    topic));
        if (database != null) {
          database
              .securityGroup()
              .addIngressRule(
                  compute.instanceSecurityGroup(),
                  Port.tcp(database.port()),
                  "Trading service instances");
        }
        targetGroupArn = compute.targetGroup().getTargetGroupArn();
        targetGroupFullName = compute.targetGroup().getTargetGroupFullName();
        CfnOutput.Builder.create(this, role.word() + "AsgName")
            .value(asgName)
            .description("Auto Scaling group name in the " + role.word() + " region")
            .build();
      } else {
        LambdaAlbCompute compute =
            new LambdaAlbCompute(
                this,
                "Compute",
                new LambdaAlbCompute.Props(
                    naming.regional("function", role, region),
                    naming.limited("tg", role, region),
                    config.lambdaJar(),
                    spec.compute().lambdaMemoryMb(),
                    spec.compute().reservedConcurrency(),
                    serviceEnv,
                    serviceStatements,
                    allowedRegions,
                    alb,
                    key,
                    region,
                    account,
                    config.destroyable()));
        functions.add(compute.function().function());
        targetGroupArn = compute.targetGroup().getTargetGroupArn();
        targetGroupFullName = compute.targetGroup().getTargetGroupFullName();
        CfnOutput.Builder.create(this, role.word() + "FunctionArn")
            .value(compute.function().function().getFunctionArn())
            .description("Trading API function in the " + role.word() + " region")
            .build();
      }
      CfnOutput.Builder.create(this, role.word() + "AlbDns")
          .value(alb.alb().getLoadBalancerDnsName())
          .description("ALB DNS name in the " + role.word() + " region")
          .build();
      CfnOutput.Builder.create(this, role.word() + "TargetGroupArn")
          .value(targetGroupArn)
          .description("ALB target group ARN in the " + role.word() + " region")
          .build();
      ARecord.Builder.create(this, "RegionalRecord")
          .zone(zone)
          .recordName(regionalHost)
          .target(RecordTarget.fromAlias(new LoadBalancerTarget(alb.alb())))
          .build();
      if (spec.data().endpointParameters()) {
        new EndpointParameters(
            this,
            "Endpoints",
            "/" + naming.regional("endpoints", role, region),
            Map.of(
                "url", "https://" + regionalHost,
                "alb-dns", alb.alb().getLoadBalancerDnsName(),
                "application-url", "https://" + config.applicationHost()));
      }
    } else {
      ApiCompute api =
          new ApiCompute(
              this,
              "Compute",
              new ApiCompute.Props(
                  naming.regional("api", role, region),
                  naming.regional("orders", role, region),
                  config.lambdaJar(),
                  spec.compute().lambdaMemoryMb(),
                  spec.compute().reservedConcurrency(),
                  serviceEnv,
                  serviceStatements,
                  allowedRegions,
                  network.vpc(),
                  network.privateSubnets(),
                  database,
                  zone,
                  config.applicationHost(),
                  regionalHost,
                  key,
                  region,
                  account,
                  config.destroyable()));
      functions.add(api.apiFunction().function());
      functions.add(api.orderFunction().function());
      apiName = api.api().getRestApiName();
      ARecord.Builder.create(this, "RegionalRecord")
          .zone(zone)
          .recordName(regionalHost)
          .target(RecordTarget.fromAlias(new ApiGatewayDomain(api.regionalDomain())))
          .build();
      CfnOutput.Builder.create(this, role.word() + "ApiEndpoint")
          .value(api.api().getUrl())
          .description("Regional REST API endpoint in the " + role.word() + " region")
          .build();
      CfnOutput.Builder.create(this, role.word() + "OrderQueueUrl")
          .value(api.queue().getQueueUrl())
          .description("Order queue in the " + role.word() + " region")
          .build();
      if (spec.observability().canaries()) {
        new TradingCanaries(
            this,
            "Canaries",
            new TradingCanaries.Props(
                naming,
                role,
                "https://" + regionalHost,
                spec.observability().canaryRateMinutes(),
                accessLogs,
                key,
                region,
                account,
                config.destroyable()));
      }
    }
    if (primary) {
      // The standby topic's output is in the standby base stack, which owns it.
      CfnOutput.Builder.create(this, "primarySnsTopicArn")
          .value(topic.getTopicArn())
          .description("SNS topic ARN in the primary region")
          .build();
    }

    // Orchestration.
    if (config.orchestrator()) {
      List<String> asgArns = new ArrayList<>();
      String globalArn =
          dbKind == DatabaseKind.NONE
              ? null
              : "arn:aws:rds::" + account + ":global-cluster:" + globalClusterId(naming);
      List<String> clusterArns = new ArrayList<>();
      Map<RegionRole, String> regions = new EnumMap<>(RegionRole.class);
      Map<RegionRole, String> baseUrls = new EnumMap<>(RegionRole.class);
      Map<RegionRole, String> healthAlarms = new EnumMap<>(RegionRole.class);
      Map<String, String> env = new LinkedHashMap<>();
      env.put("TDR_PRIMARY_REGION", config.primaryRegion());
      env.put("TDR_STANDBY_REGION", config.standbyRegion());
      env.put("TDR_CONTROL_TABLE", ControlStack.tableName(naming));
      env.put("TDR_CONTROL_REGION", config.controlRegion());
      env.put("TDR_HOSTED_ZONE_ID", zone.getHostedZoneId());
      env.put("TDR_RECORD_NAME", config.applicationHost());
      env.put("TDR_RECORD_TYPE", "CNAME");
      env.put("TDR_ROUTING_POLICY", spec.routing().policy().name());
      env.put("TDR_DRAIN_NAMESPACE", DrainSwitch.NAMESPACE);
      env.put("TDR_DRAIN_METRIC", DrainSwitch.METRIC);
      env.putAll(writeLeaseEnv(spec));
      List<String> ordersTableArns = new ArrayList<>();
      for (RegionRole r : RegionRole.values()) {
        String upper = r.word().toUpperCase(java.util.Locale.ROOT);
        String rRegion = config.region(r);
        regions.put(r, rRegion);
        baseUrls.put(r, "https://" + config.regionalHost(r));
        healthAlarms.put(r, naming.regional("unhealthy-" + r.word(), role, region));
        env.put("TDR_" + upper + "_SET_ID", r.word());
        env.put(
            "TDR_" + upper + "_TOPIC_ARN",
            AlertTopic.arn(rRegion, account, naming.regional("failover", r, rRegion)));
        env.put("TDR_DRAIN_ALARM_" + upper, drainAlarmName(naming, r));
        if (globalArn != null) {
          String clusterArn =
              "arn:aws:rds:"
                  + rRegion
                  + ":"
                  + account
                  + ":cluster:"
                  + dbClusterId(naming, r, rRegion);
          clusterArns.add(clusterArn);
          env.put("TDR_" + upper + "_DB_CLUSTER_ARN", clusterArn);
        }
        if (ordersTable != null) {
          ordersTableArns.add(SessionTable.arn(rRegion, account, ordersTable));
        }
        if (kind == ComputeKind.AUTO_SCALING) {
          String asg = naming.regional("asg", r, rRegion);
          env.put("TDR_" + upper + "_ASG", asg);
          asgArns.add(
              "arn:aws:autoscaling:"
                  + rRegion
                  + ":"
                  + account
                  + ":autoScalingGroup:*:autoScalingGroupName/"
                  + asg);
        }
      }
      if (globalArn != null) {
        env.put("TDR_GLOBAL_CLUSTER_ID", globalClusterId(naming));
      }
      if (ordersTable != null) {
        // Without TDR_GLOBAL_CLUSTER_ID this selects DynamoDbGlobalTableReplication.
        env.put("TDR_ORDERS_TABLE", ordersTable);
      }
      Orchestration orchestration =
          new Orchestration(
              this,
              "Orchestration",
              new Orchestration.Props(
                  role,
                  regions,
                  baseUrls,
                  naming.regional("orchestrator", role, region),
                  naming.regional("health-monitor", role, region),
                  healthAlarms,
                  naming.regional("peer-down", role, region),
                  impairedAlarmName(naming, role.other(), peerRegion),
                  config.orchestratorJar(),
                  spec.orchestration().orchestratorTimeoutSeconds(),
                  spec.orchestration().healthMonitorRateMinutes(),
                  account,
                  env,
                  new Orchestration.Targets(
                      zone.getHostedZoneId(),
                      config.applicationHost(),
                      globalArn,
                      clusterArns,
                      ordersTableArns,
                      asgArns,
                      List.of(env.get("TDR_PRIMARY_TOPIC_ARN"), env.get("TDR_STANDBY_TOPIC_ARN")),
                      List.of(key.getKeyArn(), peerKeyArn),
                      SessionTable.arn(
                          config.controlRegion(), account, ControlStack.tableName(naming)),
                      props.controlKeyArn(),
                      List.of(
                          DrainSwitch.arn(
                              config.standbyRegion(),
                              account,
                              drainAlarmName(naming, RegionRole.PRIMARY)),
                          DrainSwitch.arn(
                              config.primaryRegion(),
                              account,
                              drainAlarmName(naming, RegionRole.STANDBY)))),
                  topic,
                  key,
                  allowedRegions,
                  config.destroyable()));
      supportFunctions.add(orchestration.orchestrator().function());
      supportFunctions.add(orchestration.healthMonitor().function());
      CfnOutput.Builder.create(this, role.word() + "FailoverFunctionArn")
          .value(orchestration.orchestrator().function().getFunctionArn())
          .description("Failover orchestrator in the " + role.word() + " region")
          .build();
    }
    if (primary && config.failoverSwitch()) {
      // The reverse direction: the standby record's drain alarm lives here.
      new DrainSwitch(
          this,
          "StandbyDrain",
          drainAlarmName(naming, RegionRole.STANDBY),
          config.standbyRegion(),
          topic);
    }

    // Observability.
    if (spec.observability().fullAlarmSet()) {
      RegionAlarms alarms =
          new RegionAlarms(
              this,
              "Alarms",
              new RegionAlarms.Props(
                  naming.regional("alarm", role, region),
                  topic,
                  targetGroupFullName,
                  loadBalancerFullName,
                  database == null ? null : dbClusterId(naming, role, region),
                  !primary,
                  spec.observability().replicationLagSecondsThreshold(),
                  spec.observability().dbConnectionsThreshold(),
                  functions,
                  supportFunctions,
                  spec.observability().lambdaErrorRatePercent(),
                  apiName,
                  ApiCompute.STAGE,
                  spec.observability().compositeAlarm(),
                  impairedAlarmName(naming, role, region),
                  peerRegion,
                  account,
                  naming.regional("alarm-forward", role, region)));
      if (primary && spec.observability().dashboard()) {
        new CrossRegionDashboard(this, "Dashboard", config, naming);
      }
      if (alarms.impaired() != null) {
        CfnOutput.Builder.create(this, role.word() + "CompositeAlarmName")
            .value(impairedAlarmName(naming, role, region))
            .description("Composite alarm of the " + role.word() + " region")
            .build();
      }
    }

    // Peering: requested from the standby, after the primary VPC exists.
    if (!primary && net.peering()) {
      this.peering =
          new VpcPeering(
              this,
              "Peering",
              network.vpc(),
              props.primary().network().vpc().getVpcId(),
              config.primaryRegion(),
              net.primaryCidr(),
              naming.regional("peering", role, region));
    }
  }

  /**
   * The write lease numbers, explicit so that the orchestrator and the lease-fenced services agree
   * and the RTO budget reads them from the template.
   */
  static Map<String, String> writeLeaseEnv(ProfileSpec spec) {
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TDR_WRITE_LEASE_TTL", spec.orchestration().writeLeaseTtlSeconds() + "s");
    env.put(
        "TDR_WRITE_LEASE_SAFETY_MARGIN",
        spec.orchestration().writeLeaseSafetyMarginSeconds() + "s");
    return env;
  }

  static List<String> allowedRegions(InfraConfig config) {
    LinkedHashSet<String> regions = new LinkedHashSet<>();
    regions.add(config.primaryRegion());
    regions.add(config.standbyRegion());
    regions.add(config.controlRegion());
    // Route 53 and other global services are addressed through us-east-1.
    regions.add("us-east-1");
    return List.copyOf(regions);
  }

  static Map<String, String> bucketNames(InfraConfig config, Naming naming, String region) {
    Map<String, String> names = new LinkedHashMap<>();
    for (BucketSpec bucket : config.spec().data().buckets()) {
      names.put(bucket.purpose(), naming.bucket(bucket.purpose(), region));
    }
    return names;
  }

  /** The alarm that drains a region's record; it lives in the other region. */
  static String drainAlarmName(Naming naming, RegionRole regionToDrain) {
    return naming.global("drain-" + regionToDrain.word());
  }

  static String impairedAlarmName(Naming naming, RegionRole role, String region) {
    return naming.regional("impaired", role, region);
  }

  static String globalClusterId(Naming naming) {
    return naming.global("orders-global");
  }

  static String dbClusterId(Naming naming, RegionRole role, String region) {
    return naming.regional("orders", role, region);
  }

  static String dbSecretName(Naming naming) {
    return naming.global("db-credentials");
  }

  private static String camel(String purpose) {
    StringBuilder out = new StringBuilder();
    for (String part : purpose.split("-")) {
      out.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
    }
    return out.toString();
  }

  /** The region's customer-managed data key. */
  public IKey dataKey() {
    return dataKey;
  }

  public Network network() {
    return network;
  }

  public IHostedZone zone() {
    return zone;
  }

  /** The peering connection id (standby stack of a peered profile only). */
  public String peeringConnectionId() {
    return peering.connectionId();
  }
}

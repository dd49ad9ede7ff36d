package io.tradingdr.infra.constructs;

import io.tradingdr.infra.config.RegionRole;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmRule;
import software.amazon.awscdk.services.cloudwatch.AlarmState;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CompositeAlarm;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.events.targets.LambdaFunctionProps;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The failover orchestrator of one region and its health monitor, wired to the aws module's
 * contract (aws/README.md). The orchestrator fails over toward its own region, away from the other
 * one, so it survives that region's loss. The monitor probes both regions every minute and
 * publishes {@code TradingDR/Health RegionHealthy{Region, Observer=monitor-<this region>}}; one
 * alarm per region here on that metric feeds the orchestrator's {@code cloudwatch} observer, and
 * the peer's alarm feeds a composite. State changes of that composite, and of the peer's own
 * "impaired" composite (forwarded to this region's default bus), invoke the orchestrator.
 */
public final class Orchestration extends Construct {
  public static final String HEALTH_NAMESPACE = "TradingDR/Health";
  public static final String HEALTH_METRIC = "RegionHealthy";
  public static final String RUN_METRICS_NAMESPACE = "TradingDR/Orchestrator";
  public static final String READINESS_PATH = "/health/ready";
  public static final String ORCHESTRATOR_HANDLER =
      "io.tradingdr.aws.lambda.OrchestratorHandler::handleRequest";
  public static final String HEALTH_MONITOR_HANDLER =
      "io.tradingdr.aws.lambda.HealthMonitorHandler::handleRequest";

  private final JavaFunction orchestrator;
  private final JavaFunction healthMonitor;
  private final CompositeAlarm peerDown;

  /** What the orchestrator may touch, by exact name or ARN. */
  public record Targets(
      String hostedZoneId,
      String recordName,
      String globalClusterArn,
      List<String> dbClusterArns,
      List<String> ordersTableArns,
      List<String> asgArns,
      List<String> topicArns,
      List<String> topicKeyArns,
      String controlTableArn,
      String controlKeyArn,
      List<String> drainAlarmArns) {}

  /** Properties of the orchestration in one region. */
  public record Props(
      RegionRole role,
      Map<RegionRole, String> regions,
      Map<RegionRole, String> baseUrls,
      String orchestratorName,
      String healthMonitorName,
      Map<RegionRole, String> healthAlarmNames,
      String peerDownAlarmName,
      String peerImpairedAlarmName,
      Path jar,
      int timeoutSeconds,
      int healthMonitorRateMinutes,
      String account,
      Map<String, String> environment,
      Targets targets,
      ITopic topic,
      IKey key,
      List<String> allowedRegions,
      boolean destroyable) {}

  public Orchestration(Construct scope, String id, Props props) {
    super(scope, id);
    String region = props.regions().get(props.role());
    String peerRegion = props.regions().get(props.role().other());
    String observer = "monitor-" + region;

    // One health alarm per region, both here: the orchestrator's cloudwatch observer reads them.
    Map<RegionRole, Alarm> healthAlarms = new EnumMap<>(RegionRole.class);
    for (RegionRole watched : RegionRole.values()) {
      Alarm alarm =
          Alarm.Builder.create(this, "Unhealthy-" + watched.word())
              .alarmName(props.healthAlarmNames().get(watched))
              .alarmDescription(
                  "The health monitor in "
                      + region
                      + " sees "
                      + props.regions().get(watched)
                      + " not ready")
              .metric(
                  Metric.Builder.create()
                      .namespace(HEALTH_NAMESPACE)
                      .metricName(HEALTH_METRIC)
                      .dimensionsMap(
                          Map.of("Region", props.regions().get(watched), "Observer", observer))
                      .statistic("Minimum")
                      .period(Duration.minutes(1))
                      .build())
              .threshold(1)
              .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
              .evaluationPeriods(3)
              .treatMissingData(TreatMissingData.NOT_BREACHING)
              .build();
      alarm.addAlarmAction(new SnsAction(props.topic()));
      healthAlarms.put(watched, alarm);
    }
    this.peerDown =
        CompositeAlarm.Builder.create(this, "PeerDown")
            .compositeAlarmName(props.peerDownAlarmName())
            .alarmDescription(
                "Triggers the orchestrator in " + region + " to fail away from " + peerRegion)
            .alarmRule(
                AlarmRule.anyOf(
                    AlarmRule.fromAlarm(healthAlarms.get(props.role().other()), AlarmState.ALARM)))
            .build();
    peerDown.addAlarmAction(new SnsAction(props.topic()));

    Targets t = props.targets();
    List<PolicyStatement> statements = new ArrayList<>();
    if (t.globalClusterArn() != null) {
      List<String> rdsResources = new ArrayList<>(t.dbClusterArns());
      rdsResources.add(t.globalClusterArn());
      statements.add(
          Iam.allow(
              List.of(
                  "rds:FailoverGlobalCluster",
                  "rds:SwitchoverGlobalCluster",
                  "rds:DescribeGlobalClusters"),
              rdsResources));
    }
    if (!t.ordersTableArns().isEmpty()) {
      // Replication watermarks in the orders global table, one replica per region; each replica
      // is encrypted with its region's data key (the topic keys).
      statements.add(Iam.allow(OrdersTable.ORCHESTRATOR_ACTIONS, t.ordersTableArns()));
      statements.add(
          Iam.allow(
              List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"), t.topicKeyArns()));
    }
    String zoneArn = "arn:aws:route53:::hostedzone/" + t.hostedZoneId();
    statements.add(
        Iam.allow(
            List.of("route53:ChangeResourceRecordSets"),
            List.of(zoneArn),
            Map.of(
                "ForAllValues:StringEquals",
                Map.of(
                    "route53:ChangeResourceRecordSetsNormalizedRecordNames",
                    List.of(t.recordName()),
                    "route53:ChangeResourceRecordSetsRecordTypes",
                    List.of("CNAME")))));
    statements.add(Iam.allow(List.of("route53:ListResourceRecordSets"), List.of(zoneArn)));
    statements.add(Iam.allow(List.of("route53:GetChange"), List.of("arn:aws:route53:::change/*")));
    if (!t.asgArns().isEmpty()) {
      statements.add(
          Iam.allow(
              List.of("autoscaling:SetDesiredCapacity", "autoscaling:UpdateAutoScalingGroup"),
              t.asgArns()));
      statements.add(Iam.allow(List.of("autoscaling:DescribeAutoScalingGroups"), List.of("*")));
    }
    statements.add(Iam.allow(List.of("sns:Publish"), t.topicArns()));
    // Both topics are KMS-encrypted; publishing needs a data key from each region's key.
    statements.add(Iam.allow(List.of("kms:Decrypt", "kms:GenerateDataKey"), t.topicKeyArns()));
    statements.add(Iam.allow(ControlTable.ACTIONS, List.of(t.controlTableArn())));
    statements.add(
        Iam.allow(
            List.of("kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"),
            List.of(t.controlKeyArn())));
    List<String> alarmArns = new ArrayList<>(t.drainAlarmArns());
    healthAlarms.values().forEach(a -> alarmArns.add(a.getAlarmArn()));
    statements.add(Iam.allow(List.of("cloudwatch:DescribeAlarms"), alarmArns));
    statements.add(Iam.allow(List.of("cloudwatch:GetMetricData"), List.of("*")));
    statements.add(putMetricData(List.of(DrainSwitch.NAMESPACE, RUN_METRICS_NAMESPACE)));

    Map<String, String> env = new LinkedHashMap<>(props.environment());
    env.put("TDR_AWS_REGION", region);
    env.put("TDR_LOCAL_REGION", region);
    env.put("TDR_TRIGGER_ALARMS", props.peerDownAlarmName() + "," + props.peerImpairedAlarmName());
    env.put("TDR_MONITOR_TARGETS", monitorTargets(props));
    env.put("TDR_MONITOR_PATH", READINESS_PATH);
    env.put("TDR_HEALTH_ALARM_PRIMARY", props.healthAlarmNames().get(RegionRole.PRIMARY));
    env.put("TDR_HEALTH_ALARM_STANDBY", props.healthAlarmNames().get(RegionRole.STANDBY));
    env.put("TDR_RUN_METRICS_NAMESPACE", RUN_METRICS_NAMESPACE);
    this.orchestrator =
        new JavaFunction(
            this,
            "Orchestrator",
            new JavaFunction.Props(
                props.orchestratorName(),
                ORCHESTRATOR_HANDLER,
                props.jar(),
                1024,
                props.timeoutSeconds(),
                1,
                false,
                env,
                statements,
                props.allowedRegions(),
                null,
                null,
                null,
                props.key(),
                region,
                props.account(),
                props.destroyable()));
    Nag.suppressApplying(
        orchestrator,
        "Orchestrator "
            + props.orchestratorName()
            + ": Route 53 change ids are unknown until a change is made (GetChange only);"
            + " Auto Scaling group ARNs embed a generated id (the group names are exact);"
            + " DescribeAutoScalingGroups, GetMetricData (health metrics and the DynamoDB"
            + " ReplicationLatency of the orders table) and PutMetricData have no resource-level"
            + " permissions (PutMetricData is limited to the TradingDR/Routing and"
            + " TradingDR/Orchestrator namespaces).",
        List.of(
            "Resource::arn:aws:route53:::change/*",
            "Resource::*",
            Nag.regex(
                "^Resource::arn:aws:autoscaling:.*:autoScalingGroup:\\*:autoScalingGroupName/.*$")),
        "AwsSolutions-IAM5");

    Map<String, String> monitorEnv = new LinkedHashMap<>();
    monitorEnv.put("TDR_AWS_REGION", region);
    monitorEnv.put("TDR_MONITOR_TARGETS", monitorTargets(props));
    monitorEnv.put("TDR_MONITOR_PATH", READINESS_PATH);
    monitorEnv.put("TDR_MONITOR_OBSERVER", observer);
    monitorEnv.put("TDR_METRIC_NAMESPACE", HEALTH_NAMESPACE);
    this.healthMonitor =
        new JavaFunction(
            this,
            "HealthMonitor",
            new JavaFunction.Props(
                props.healthMonitorName(),
                HEALTH_MONITOR_HANDLER,
                props.jar(),
                512,
                60,
                1,
                false,
                monitorEnv,
                List.of(putMetricData(List.of(HEALTH_NAMESPACE))),
                props.allowedRegions(),
                null,
                null,
                null,
                props.key(),
                region,
                props.account(),
                props.destroyable()));
    Nag.suppressApplying(
        healthMonitor,
        "Health monitor "
            + props.healthMonitorName()
            + ": PutMetricData has no resource-level permissions; it is limited to the"
            + " TradingDR/Health namespace.",
        List.of("Resource::*"),
        "AwsSolutions-IAM5");
    Rule.Builder.create(this, "MonitorSchedule")
        .ruleName(props.healthMonitorName())
        .schedule(Schedule.rate(Duration.minutes(props.healthMonitorRateMinutes())))
        .targets(List.of(new LambdaFunction(healthMonitor.alias())))
        .build();

    Rule.Builder.create(this, "Trigger")
        .ruleName(props.orchestratorName())
        .description("Composite alarm state changes that start a failover run")
        .eventPattern(
            EventPattern.builder()
                .source(List.of("aws.cloudwatch"))
                .detailType(List.of("CloudWatch Alarm State Change"))
                .detail(
                    Map.of(
                        "alarmName",
                        List.of(props.peerDownAlarmName(), props.peerImpairedAlarmName()),
                        "state",
                        Map.of("value", List.of("ALARM"))))
                .build())
        .targets(
            List.of(
                // Two retries: a run stopped at a step boundary resumes on the next invocation.
                new LambdaFunction(
                    orchestrator.alias(), LambdaFunctionProps.builder().retryAttempts(2).build())))
        .build();
  }

  /** {@code us-east-1=https://primary.<domain>,us-east-2=https://standby.<domain>}. */
  private static String monitorTargets(Props props) {
    List<String> targets = new ArrayList<>();
    for (RegionRole role : RegionRole.values()) {
      targets.add(props.regions().get(role) + "=" + props.baseUrls().get(role));
    }
    return String.join(",", targets);
  }

  private static PolicyStatement putMetricData(List<String> namespaces) {
    return Iam.allow(
        List.of("cloudwatch:PutMetricData"),
        List.of("*"),
        Map.of("StringEquals", Map.of("cloudwatch:namespace", namespaces)));
  }

  public JavaFunction orchestrator() {
    return orchestrator;
  }

  public JavaFunction healthMonitor() {
    return healthMonitor;
  }

  public CompositeAlarm peerDown() {
    return peerDown;
  }
}

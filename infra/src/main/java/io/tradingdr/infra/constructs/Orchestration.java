package io.tradingdr.infra.constructs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmRule;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CompositeAlarm;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.Schedule;
import software.amazon.awscdk.services.events.targets.LambdaFunction;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The failover orchestrator of one region (it fails traffic and the database away from the other
 * region, so it survives that region's loss) and its health monitor. The monitor probes both
 * regions every minute and publishes {@code TradingDR/Health RegionReady{Region}}; an alarm here on
 * the peer's readiness feeds a composite alarm; state changes of that composite, and of the peer's
 * own "impaired" composite (forwarded to this region's default bus), invoke the orchestrator.
 */
public final class Orchestration extends Construct {
  public static final String HEALTH_NAMESPACE = "TradingDR/Health";
  public static final String HEALTH_METRIC = "RegionReady";
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
      List<String> asgNames,
      List<String> topicArns,
      String controlTableArn,
      String controlKeyArn,
      List<String> asgRegions,
      List<String> topicKeyArns) {}

  /** Properties of the orchestration in one region. */
  public record Props(
      String orchestratorName,
      String healthMonitorName,
      String peerUnreadyAlarmName,
      String peerDownAlarmName,
      String peerImpairedAlarmName,
      Path jar,
      int timeoutSeconds,
      int healthMonitorRateMinutes,
      String region,
      String peerRegion,
      String account,
      Map<String, String> environment,
      Targets targets,
      ITopic topic,
      IKey key,
      List<String> allowedRegions,
      boolean destroyable) {}

  public Orchestration(Construct scope, String id, Props props) {
    super(scope, id);
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
                  "rds:DescribeGlobalClusters",
                  "rds:DescribeDBClusters",
                  "rds:RemoveFromGlobalCluster"),
              rdsResources));
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
    if (!t.asgNames().isEmpty()) {
      List<String> asgArns = new ArrayList<>();
      for (int i = 0; i < t.asgNames().size(); i++) {
        asgArns.add(
            "arn:aws:autoscaling:"
                + t.asgRegions().get(i)
                + ":"
                + props.account()
                + ":autoScalingGroup:*:autoScalingGroupName/"
                + t.asgNames().get(i));
      }
      statements.add(
          Iam.allow(
              List.of("autoscaling:SetDesiredCapacity", "autoscaling:UpdateAutoScalingGroup"),
              asgArns));
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
    statements.add(putMetricData(FailoverSwitch.NAMESPACE));

    Map<String, String> env = new LinkedHashMap<>(props.environment());
    env.put("TDR_FAILOVER_METRIC_NAMESPACE", FailoverSwitch.NAMESPACE);
    env.put("TDR_FAILOVER_METRIC_NAME", FailoverSwitch.METRIC);
    env.put("TDR_FAILOVER_METRIC_DIMENSION", FailoverSwitch.DIMENSION);
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
                props.region(),
                props.account(),
                props.destroyable()));
    Nag.suppressApplying(
        orchestrator,
        "Orchestrator "
            + props.orchestratorName()
            + ": Route 53 change ids are unknown until a change is made (GetChange only);"
            + " Auto Scaling group ARNs embed a generated id (the group names are exact);"
            + " DescribeAutoScalingGroups and PutMetricData have no resource-level permissions"
            + " (PutMetricData is limited to the TradingDR/Failover namespace).",
        List.of(
            "Resource::arn:aws:route53:::change/*",
            "Resource::*",
            Nag.regex(
                "^Resource::arn:aws:autoscaling:.*:autoScalingGroup:\\*:autoScalingGroupName/.*$")),
        "AwsSolutions-IAM5");

    Map<String, String> monitorEnv = new LinkedHashMap<>(props.environment());
    monitorEnv.put("TDR_HEALTH_METRIC_NAMESPACE", HEALTH_NAMESPACE);
    monitorEnv.put("TDR_HEALTH_METRIC_NAME", HEALTH_METRIC);
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
                List.of(putMetricData(HEALTH_NAMESPACE)),
                props.allowedRegions(),
                null,
                null,
                null,
                props.key(),
                props.region(),
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

    Alarm peerUnready =
        Alarm.Builder.create(this, "PeerUnready")
            .alarmName(props.peerUnreadyAlarmName())
            .alarmDescription(
                "The health monitor in "
                    + props.region()
                    + " sees "
                    + props.peerRegion()
                    + " not ready")
            .metric(
                Metric.Builder.create()
                    .namespace(HEALTH_NAMESPACE)
                    .metricName(HEALTH_METRIC)
                    .dimensionsMap(Map.of("Region", props.peerRegion()))
                    .statistic("Minimum")
                    .period(Duration.minutes(1))
                    .build())
            .threshold(1)
            .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
            .evaluationPeriods(3)
            .treatMissingData(TreatMissingData.NOT_BREACHING)
            .build();
    peerUnready.addAlarmAction(new SnsAction(props.topic()));
    this.peerDown =
        CompositeAlarm.Builder.create(this, "PeerDown")
            .compositeAlarmName(props.peerDownAlarmName())
            .alarmDescription(
                "Triggers the orchestrator in "
                    + props.region()
                    + " to fail away from "
                    + props.peerRegion())
            .alarmRule(
                AlarmRule.anyOf(
                    AlarmRule.fromAlarm(
                        peerUnready, software.amazon.awscdk.services.cloudwatch.AlarmState.ALARM)))
            .build();
    peerDown.addAlarmAction(new SnsAction(props.topic()));

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
        .targets(List.of(new LambdaFunction(orchestrator.alias())))
        .build();
  }

  private static PolicyStatement putMetricData(String namespace) {
    return Iam.allow(
        List.of("cloudwatch:PutMetricData"),
        List.of("*"),
        Map.of("StringEquals", Map.of("cloudwatch:namespace", namespace)));
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

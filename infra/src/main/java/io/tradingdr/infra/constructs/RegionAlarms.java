package io.tradingdr.infra.constructs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.AlarmRule;
import software.amazon.awscdk.services.cloudwatch.AlarmState;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.CompositeAlarm;
import software.amazon.awscdk.services.cloudwatch.IAlarm;
import software.amazon.awscdk.services.cloudwatch.IAlarmRule;
import software.amazon.awscdk.services.cloudwatch.MathExpression;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.events.EventPattern;
import software.amazon.awscdk.services.events.Rule;
import software.amazon.awscdk.services.events.targets.EventBus;
import software.amazon.awscdk.services.events.targets.EventBusProps;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.lambda.IFunction;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The region's alarms, all notifying the region's topic: unhealthy ALB targets, Aurora writer
 * availability, global replication lag (standby side), connections near saturation, Lambda error
 * rate, API 5xx. A composite "impaired" alarm combines them, and its state changes are forwarded to
 * the other region's default event bus, where that region's orchestrator listens.
 */
public final class RegionAlarms extends Construct {
  private final List<Alarm> alarms = new ArrayList<>();
  private CompositeAlarm impaired;

  /** Alarms that notify but are not signs that the region cannot serve (lag, support functions). */
  private final List<Alarm> notImpairing = new ArrayList<>();

  /** What to watch in this region; null or empty members are skipped. */
  public record Props(
      String namePrefix,
      ITopic topic,
      String targetGroupFullName,
      String loadBalancerFullName,
      String dbClusterIdentifier,
      boolean dbIsSecondary,
      double replicationLagSeconds,
      int dbConnectionsThreshold,
      List<IFunction> serviceFunctions,
      List<IFunction> supportFunctions,
      double lambdaErrorRatePercent,
      String apiName,
      String apiStage,
      boolean composite,
      String impairedAlarmName,
      String peerRegion,
      String account,
      String forwardRoleName) {}

  public RegionAlarms(Construct scope, String id, Props props) {
    super(scope, id);
    if (props.targetGroupFullName() != null) {
      add(
          props,
          "UnhealthyTargets",
          props.namePrefix() + "-unhealthy-targets",
          metric(
              "AWS/ApplicationELB",
              "UnHealthyHostCount",
              Map.of(
                  "TargetGroup", props.targetGroupFullName(),
                  "LoadBalancer", props.loadBalancerFullName()),
              "Maximum"),
          0,
          ComparisonOperator.GREATER_THAN_THRESHOLD,
          TreatMissingData.NOT_BREACHING);
    }
    if (props.dbClusterIdentifier() != null) {
      Map<String, String> cluster = Map.of("DBClusterIdentifier", props.dbClusterIdentifier());
      if (props.dbIsSecondary()) {
        add(
            props,
            "ReplicationLag",
            props.namePrefix() + "-replication-lag",
            metric("AWS/RDS", "AuroraGlobalDBReplicationLag", cluster, "Maximum"),
            props.replicationLagSeconds() * 1000,
            ComparisonOperator.GREATER_THAN_THRESHOLD,
            TreatMissingData.NOT_BREACHING);
      } else {
        add(
            props,
            "WriterUnavailable",
            props.namePrefix() + "-writer-unavailable",
            metric(
                "AWS/RDS",
                "EngineUptime",
                Map.of("DBClusterIdentifier", props.dbClusterIdentifier(), "Role", "WRITER"),
                "Minimum"),
            1,
            ComparisonOperator.LESS_THAN_THRESHOLD,
            TreatMissingData.BREACHING);
      }
      add(
          props,
          "DbConnections",
          props.namePrefix() + "-db-connections",
          metric("AWS/RDS", "DatabaseConnections", cluster, "Maximum"),
          props.dbConnectionsThreshold(),
          ComparisonOperator.GREATER_THAN_THRESHOLD,
          TreatMissingData.NOT_BREACHING);
    }
    int i = 0;
    List<IFunction> functions = new ArrayList<>(props.serviceFunctions());
    functions.addAll(props.supportFunctions());
    for (IFunction function : functions) {
      MathExpression errorRate =
          MathExpression.Builder.create()
              .expression("100 * errors / MAX([invocations, 1])")
              .usingMetrics(
                  Map.of(
                      "errors", function.metricErrors(),
                      "invocations", function.metricInvocations()))
              .period(Duration.minutes(1))
              .label("error rate %")
              .build();
      Alarm alarm =
          Alarm.Builder.create(this, "LambdaErrors" + i)
              .alarmName(props.namePrefix() + "-lambda-errors-" + i++)
              .alarmDescription("Lambda error rate above " + props.lambdaErrorRatePercent() + " %")
              .metric(errorRate)
              .threshold(props.lambdaErrorRatePercent())
              .comparisonOperator(ComparisonOperator.GREATER_THAN_THRESHOLD)
              .evaluationPeriods(3)
              .treatMissingData(TreatMissingData.NOT_BREACHING)
              .build();
      alarm.addAlarmAction(new SnsAction(props.topic()));
      alarms.add(alarm);
      // Errors of the orchestrator or health monitor say nothing about whether this region
      // serves trading, so they notify but never count towards "impaired".
      if (props.supportFunctions().contains(function)) {
        notImpairing.add(alarm);
      }
    }
    if (props.apiName() != null) {
      add(
          props,
          "Api5xx",
          props.namePrefix() + "-api-5xx",
          metric(
              "AWS/ApiGateway",
              "5XXError",
              Map.of("ApiName", props.apiName(), "Stage", props.apiStage()),
              "Sum"),
          5,
          ComparisonOperator.GREATER_THAN_THRESHOLD,
          TreatMissingData.NOT_BREACHING);
    }
    if (props.composite() && !alarms.isEmpty()) {
      List<IAlarmRule> rules = new ArrayList<>();
      for (IAlarm alarm : alarms) {
        if (!notImpairing.contains(alarm)) {
          rules.add(AlarmRule.fromAlarm(alarm, AlarmState.ALARM));
        }
      }
      this.impaired =
          CompositeAlarm.Builder.create(this, "Impaired")
              .compositeAlarmName(props.impairedAlarmName())
              .alarmDescription("Any of this region's service alarms")
              .alarmRule(AlarmRule.anyOf(rules.toArray(new IAlarmRule[0])))
              .build();
      impaired.addAlarmAction(new SnsAction(props.topic()));

      Role forward =
          Role.Builder.create(this, "ForwardRole")
              .roleName(props.forwardRoleName())
              .assumedBy(new ServicePrincipal("events.amazonaws.com"))
              .description("Forwards alarm state changes to " + props.peerRegion())
              .build();
      String peerBus =
          "arn:aws:events:" + props.peerRegion() + ":" + props.account() + ":event-bus/default";
      Iam.policy(
          this,
          "ForwardPolicy",
          props.forwardRoleName(),
          forward,
          List.of(Iam.allow(List.of("events:PutEvents"), List.of(peerBus))),
          List.of());
      Rule.Builder.create(this, "ForwardImpaired")
          .ruleName(props.impairedAlarmName() + "-to-peer")
          .description("Tells the orchestrator in " + props.peerRegion() + " about this region")
          .eventPattern(
              EventPattern.builder()
                  .source(List.of("aws.cloudwatch"))
                  .detailType(List.of("CloudWatch Alarm State Change"))
                  .detail(Map.of("alarmName", List.of(props.impairedAlarmName())))
                  .build())
          .targets(
              List.of(
                  new EventBus(
                      software.amazon.awscdk.services.events.EventBus.fromEventBusArn(
                          this, "PeerBus", peerBus),
                      EventBusProps.builder().role(forward.withoutPolicyUpdates()).build())))
          .build();
    }
  }

  private static Metric metric(
      String namespace, String name, Map<String, String> dimensions, String statistic) {
    return Metric.Builder.create()
        .namespace(namespace)
        .metricName(name)
        .dimensionsMap(dimensions)
        .statistic(statistic)
        .period(Duration.minutes(1))
        .build();
  }

  private void add(
      Props props,
      String id,
      String name,
      Metric metric,
      double threshold,
      ComparisonOperator operator,
      TreatMissingData missing) {
    Alarm alarm =
        Alarm.Builder.create(this, id)
            .alarmName(name)
            .metric(metric)
            .threshold(threshold)
            .comparisonOperator(operator)
            .evaluationPeriods(3)
            .treatMissingData(missing)
            .build();
    alarm.addAlarmAction(new SnsAction(props.topic()));
    alarms.add(alarm);
    if (id.equals("ReplicationLag")) {
      notImpairing.add(alarm);
    }
  }

  public List<Alarm> alarms() {
    return alarms;
  }

  /** The composite alarm, or null when the profile has none. */
  public CompositeAlarm impaired() {
    return impaired;
  }
}

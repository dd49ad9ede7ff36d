package io.tradingdr.infra.constructs;

import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The drain alarm behind a record's CLOUDWATCH_METRIC health check (aws/README.md, "Routing"). It
 * lives in the other region, so the orchestrator there can drain traffic away from this region
 * through the Route 53 data plane, without the control plane in us-east-1: it publishes {@code
 * TradingDR/Routing RegionDrained{Region=<region to drain>}} = 1, and 0 to lift the drain. Missing
 * data keeps the last state, so a quiet orchestrator never flips traffic back by itself. The period
 * is 60 s because Route 53 does not accept alarms on high-resolution metrics.
 */
public final class DrainSwitch extends Construct {
  public static final String NAMESPACE = "TradingDR/Routing";
  public static final String METRIC = "RegionDrained";
  public static final String DIMENSION = "Region";
  public static final int PERIOD_SECONDS = 60;

  private final Alarm alarm;

  public DrainSwitch(
      Construct scope, String id, String alarmName, String regionToDrain, ITopic topic) {
    super(scope, id);
    this.alarm =
        Alarm.Builder.create(this, "Alarm")
            .alarmName(alarmName)
            .alarmDescription(
                "Set by the Trading DR orchestrator to drain traffic away from " + regionToDrain)
            .metric(
                Metric.Builder.create()
                    .namespace(NAMESPACE)
                    .metricName(METRIC)
                    .dimensionsMap(Map.of(DIMENSION, regionToDrain))
                    .statistic("Maximum")
                    .period(Duration.seconds(PERIOD_SECONDS))
                    .build())
            .threshold(1)
            .comparisonOperator(ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD)
            .evaluationPeriods(1)
            .treatMissingData(TreatMissingData.IGNORE)
            .build();
    alarm.addAlarmAction(new SnsAction(topic));
    alarm.addOkAction(new SnsAction(topic));
  }

  public Alarm alarm() {
    return alarm;
  }

  /** The ARN an alarm of this name has (for policies in stacks that do not own it). */
  public static String arn(String region, String account, String alarmName) {
    return "arn:aws:cloudwatch:" + region + ":" + account + ":alarm:" + alarmName;
  }
}

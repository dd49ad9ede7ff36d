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
 * The alarm behind a record's CLOUDWATCH_METRIC health check. It lives in the region that takes
 * over, so the orchestrator there can fail traffic away from the other region through the Route 53
 * data plane (health checks), without the control plane in us-east-1: it publishes {@code
 * TradingDR/Failover FailAway{Region=<region to leave>}} = 1 (high resolution) to force failover
 * and 0 to release it. Missing data keeps the last state, so a quiet orchestrator never flips
 * traffic back by itself.
 */
public final class FailoverSwitch extends Construct {
  public static final String NAMESPACE = "TradingDR/Failover";
  public static final String METRIC = "FailAway";
  public static final String DIMENSION = "Region";
  public static final int PERIOD_SECONDS = 10;

  private final Alarm alarm;

  public FailoverSwitch(
      Construct scope, String id, String alarmName, String regionToLeave, ITopic topic) {
    super(scope, id);
    this.alarm =
        Alarm.Builder.create(this, "Alarm")
            .alarmName(alarmName)
            .alarmDescription(
                "Set by the Trading DR orchestrator to fail traffic away from " + regionToLeave)
            .metric(
                Metric.Builder.create()
                    .namespace(NAMESPACE)
                    .metricName(METRIC)
                    .dimensionsMap(Map.of(DIMENSION, regionToLeave))
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
}

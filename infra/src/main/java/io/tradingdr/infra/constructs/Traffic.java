package io.tradingdr.infra.constructs;

import io.tradingdr.infra.config.ProfileSpec.RoutingPolicy;
import io.tradingdr.infra.config.ProfileSpec.RoutingSpec;
import io.tradingdr.infra.config.RegionRole;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Alarm;
import software.amazon.awscdk.services.cloudwatch.ComparisonOperator;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.amazon.awscdk.services.cloudwatch.TreatMissingData;
import software.amazon.awscdk.services.cloudwatch.actions.SnsAction;
import software.amazon.awscdk.services.route53.CfnHealthCheck;
import software.amazon.awscdk.services.route53.CfnRecordSet;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * Route 53: per region an HTTPS health check of the deep readiness path on the region's own name;
 * where the failover switch is on, a CLOUDWATCH_METRIC check on the switch alarm in the other
 * region and a CALCULATED check that needs both; the application record ({@code app.<domain>}) as
 * weighted or failover CNAMEs with the profile's TTL; and an alarm (in us-east-1, where Route 53
 * publishes HealthCheckStatus) on each HTTP check, notifying SNS.
 */
public final class Traffic extends Construct {
  public static final String READINESS_PATH = "/health/ready";

  private final Map<RegionRole, CfnHealthCheck> httpChecks = new EnumMap<>(RegionRole.class);
  private final Map<RegionRole, CfnHealthCheck> recordChecks = new EnumMap<>(RegionRole.class);

  /** The failover switch alarm a record's health check follows. */
  public record SwitchAlarm(String alarmName, String region) {}

  /** Properties of the routing. */
  public record Props(
      String hostedZoneId,
      String applicationHost,
      Map<RegionRole, String> regionalHosts,
      Map<RegionRole, String> healthPaths,
      RoutingSpec routing,
      Map<RegionRole, SwitchAlarm> switchAlarms,
      String namePrefix,
      ITopic alarmTopic) {}

  public Traffic(Construct scope, String id, Props props) {
    super(scope, id);
    RoutingSpec routing = props.routing();
    for (RegionRole role : RegionRole.values()) {
      boolean checked =
          role == RegionRole.PRIMARY
              || routing.healthCheckStandby()
              || props.switchAlarms().containsKey(role);
      String name = props.namePrefix() + "-" + role.word();
      CfnHealthCheck http = null;
      if (checked) {
        http =
            CfnHealthCheck.Builder.create(this, "Http-" + role.word())
                .healthCheckConfig(
                    CfnHealthCheck.HealthCheckConfigProperty.builder()
                        .type("HTTPS")
                        .fullyQualifiedDomainName(props.regionalHosts().get(role))
                        .port(443)
                        .resourcePath(props.healthPaths().get(role))
                        .enableSni(true)
                        .requestInterval(routing.healthCheckIntervalSeconds())
                        .failureThreshold(routing.healthCheckFailureThreshold())
                        .build())
                .healthCheckTags(
                    List.of(
                        CfnHealthCheck.HealthCheckTagProperty.builder()
                            .key("Name")
                            .value(name + "-http")
                            .build()))
                .build();
        httpChecks.put(role, http);
        Alarm alarm =
            Alarm.Builder.create(this, "HealthAlarm-" + role.word())
                .alarmName(name + "-health-check")
                .alarmDescription("Route 53 health check of " + props.regionalHosts().get(role))
                .metric(
                    Metric.Builder.create()
                        .namespace("AWS/Route53")
                        .metricName("HealthCheckStatus")
                        .dimensionsMap(Map.of("HealthCheckId", http.getAttrHealthCheckId()))
                        .statistic("Minimum")
                        .period(Duration.minutes(1))
                        .region("us-east-1")
                        .build())
                .threshold(1)
                .comparisonOperator(ComparisonOperator.LESS_THAN_THRESHOLD)
                .evaluationPeriods(routing.healthCheckAlarmEvaluationPeriods())
                .treatMissingData(TreatMissingData.BREACHING)
                .build();
        alarm.addAlarmAction(new SnsAction(props.alarmTopic()));
        alarm.addOkAction(new SnsAction(props.alarmTopic()));
      }
      CfnHealthCheck recordCheck = http;
      SwitchAlarm switchAlarm = props.switchAlarms().get(role);
      if (switchAlarm != null) {
        CfnHealthCheck alarmCheck =
            CfnHealthCheck.Builder.create(this, "Drain-" + role.word())
                .healthCheckConfig(
                    CfnHealthCheck.HealthCheckConfigProperty.builder()
                        .type("CLOUDWATCH_METRIC")
                        .alarmIdentifier(
                            CfnHealthCheck.AlarmIdentifierProperty.builder()
                                .name(switchAlarm.alarmName())
                                .region(switchAlarm.region())
                                .build())
                        .insufficientDataHealthStatus("LastKnownStatus")
                        .build())
                .healthCheckTags(
                    List.of(
                        CfnHealthCheck.HealthCheckTagProperty.builder()
                            .key("Name")
                            .value(name + "-switch")
                            .build()))
                .build();
        recordCheck =
            CfnHealthCheck.Builder.create(this, "Calculated-" + role.word())
                .healthCheckConfig(
                    CfnHealthCheck.HealthCheckConfigProperty.builder()
                        .type("CALCULATED")
                        .childHealthChecks(
                            List.of(http.getAttrHealthCheckId(), alarmCheck.getAttrHealthCheckId()))
                        .healthThreshold(2)
                        .build())
                .healthCheckTags(
                    List.of(
                        CfnHealthCheck.HealthCheckTagProperty.builder()
                            .key("Name")
                            .value(name + "-record")
                            .build()))
                .build();
      }
      if (recordCheck != null) {
        recordChecks.put(role, recordCheck);
      }
      CfnRecordSet.Builder record =
          CfnRecordSet.Builder.create(this, "Record-" + role.word())
              .hostedZoneId(props.hostedZoneId())
              .name(props.applicationHost())
              .type("CNAME")
              .ttl(Integer.toString(routing.recordTtlSeconds()))
              .resourceRecords(List.of(props.regionalHosts().get(role)))
              .setIdentifier(role.word());
      if (routing.policy() == RoutingPolicy.WEIGHTED) {
        record.weight(
            role == RegionRole.PRIMARY ? routing.primaryWeight() : routing.standbyWeight());
      } else {
        record.failover(role == RegionRole.PRIMARY ? "PRIMARY" : "SECONDARY");
      }
      if (recordCheck != null) {
        record.healthCheckId(recordCheck.getAttrHealthCheckId());
      }
      record.build();
    }
  }

  public CfnHealthCheck httpCheck(RegionRole role) {
    return httpChecks.get(role);
  }

  /** The check attached to the record (CALCULATED where the failover switch is on). */
  public CfnHealthCheck recordCheck(RegionRole role) {
    return recordChecks.get(role);
  }
}

package io.tradingdr.infra.stacks;

import io.tradingdr.infra.config.InfraConfig;
import io.tradingdr.infra.config.Naming;
import io.tradingdr.infra.config.ProfileSpec.ComputeKind;
import io.tradingdr.infra.config.RegionRole;
import io.tradingdr.infra.constructs.AlertTopic;
import io.tradingdr.infra.constructs.DataKey;
import io.tradingdr.infra.constructs.Traffic;
import java.util.EnumMap;
import java.util.Map;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.sns.ITopic;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * Deployed last, in us-east-1 (where Route 53 publishes health check metrics): health checks, the
 * application records and the health check alarms. Every target it names (regional records, switch
 * alarms, the topic) exists by then.
 */
public final class GlobalStack extends Stack {
  public static final String REGION = "us-east-1";

  private final Traffic traffic;

  /** Typed inputs: the hosted zone id from the primary stack. */
  public record Props(InfraConfig config, Naming naming, String hostedZoneId) {}

  public GlobalStack(Construct scope, String id, Props props) {
    super(
        scope,
        id,
        StackProps.builder()
            .stackName(id)
            .description("Trading DR routing: health checks and records")
            .env(Environment.builder().account(props.config().account()).region(REGION).build())
            .crossRegionReferences(true)
            .build());
    // Strong references (Fn::ImportValue) are intended: they pin the deploy order.
    Annotations.of(this)
        .acknowledgeWarning(
            "@aws-cdk/core:crossStackReferencesDefaultStrong",
            "Strong cross-stack references keep the one-directional deploy order");
    InfraConfig config = props.config();
    Naming naming = props.naming();
    Map<RegionRole, String> hosts = new EnumMap<>(RegionRole.class);
    Map<RegionRole, String> paths = new EnumMap<>(RegionRole.class);
    Map<RegionRole, Traffic.SwitchAlarm> switches = new EnumMap<>(RegionRole.class);
    for (RegionRole role : RegionRole.values()) {
      hosts.put(role, config.regionalHost(role));
      paths.put(role, Traffic.READINESS_PATH);
      if (config.failoverSwitch()) {
        switches.put(
            role,
            new Traffic.SwitchAlarm(
                RegionStack.drainAlarmName(naming, role), config.region(role.other())));
      }
    }
    this.traffic =
        new Traffic(
            this,
            "Traffic",
            new Traffic.Props(
                props.hostedZoneId(),
                config.applicationHost(),
                hosts,
                paths,
                config.spec().routing(),
                switches,
                naming.global("route53"),
                alarmTopic(config, naming)));
    CfnOutput.Builder.create(this, "primaryHealthCheckId")
        .value(traffic.httpCheck(RegionRole.PRIMARY).getAttrHealthCheckId())
        .description("Route 53 health check ID (HTTPS readiness of the primary)")
        .build();
    if (traffic.httpCheck(RegionRole.STANDBY) != null) {
      CfnOutput.Builder.create(this, "standbyHealthCheckId")
          .value(traffic.httpCheck(RegionRole.STANDBY).getAttrHealthCheckId())
          .description("Route 53 health check ID (HTTPS readiness of the standby)")
          .build();
    }
    CfnOutput.Builder.create(this, "applicationUrl")
        .value("https://" + config.applicationHost())
        .description(
            "Application URL"
                + (config.spec().compute().kind() == ComputeKind.API_GATEWAY_LAMBDA
                    ? " (regional API custom domains)"
                    : ""))
        .build();
  }

  /** The us-east-1 topic of the pair, or a topic of its own when neither region is us-east-1. */
  private ITopic alarmTopic(InfraConfig config, Naming naming) {
    for (RegionRole role : RegionRole.values()) {
      if (config.region(role).equals(REGION)) {
        return Topic.fromTopicArn(
            this,
            "AlarmTopic",
            AlertTopic.arn(REGION, config.account(), naming.regional("failover", role, REGION)));
      }
    }
    DataKey key =
        new DataKey(
            this,
            "AlarmKey",
            new DataKey.Props(
                "alias/" + naming.global("route53-alarms"),
                REGION,
                config.account(),
                config.destroyable()));
    return new AlertTopic(
            this, "AlarmTopic", naming.global("route53-alarms"), key.key(), config.account())
        .topic();
  }
}

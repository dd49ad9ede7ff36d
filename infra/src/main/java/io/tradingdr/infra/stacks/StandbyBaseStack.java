package io.tradingdr.infra.stacks;

import io.tradingdr.infra.config.InfraConfig;
import io.tradingdr.infra.config.Naming;
import io.tradingdr.infra.config.RegionRole;
import io.tradingdr.infra.constructs.AccessLogBucket;
import io.tradingdr.infra.constructs.AlertTopic;
import io.tradingdr.infra.constructs.DataKey;
import io.tradingdr.infra.constructs.DrainSwitch;
import io.tradingdr.infra.constructs.ReplicatedBuckets;
import java.util.List;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.s3.IBucket;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * Deployed first, in the standby region: what the primary stack points at before the standby stack
 * exists (the replica buckets and the key that encrypts the table replica, the secret replica and
 * the bucket replicas), the standby topic, and the drain alarm that the primary record's health
 * check follows.
 */
public final class StandbyBaseStack extends Stack {
  private final DataKey key;
  private final AlertTopic topic;
  private final AccessLogBucket accessLogs;

  /** Typed inputs of the stack. */
  public record Props(InfraConfig config, Naming naming) {}

  public StandbyBaseStack(Construct scope, String id, Props props) {
    super(
        scope,
        id,
        StackProps.builder()
            .stackName(id)
            .description("Trading DR standby base (" + props.config().profile().id() + ")")
            .env(
                Environment.builder()
                    .account(props.config().account())
                    .region(props.config().standbyRegion())
                    .build())
            .crossRegionReferences(true)
            .build());
    InfraConfig config = props.config();
    Naming naming = props.naming();
    String region = config.standbyRegion();
    this.key =
        new DataKey(
            this,
            "DataKey",
            new DataKey.Props(
                "alias/" + naming.regional("data", RegionRole.STANDBY, region),
                region,
                config.account(),
                config.destroyable()));
    this.topic =
        new AlertTopic(
            this,
            "Topic",
            naming.regional("failover", RegionRole.STANDBY, region),
            key.key(),
            config.account());
    this.accessLogs =
        new AccessLogBucket(
            this, "AccessLogs", naming.bucket("access-logs", region), config.destroyable());
    if (!config.spec().data().buckets().isEmpty()) {
      new ReplicatedBuckets(
          this,
          "ReplicaBuckets",
          new ReplicatedBuckets.Props(
              config.spec().data().buckets(),
              RegionStack.bucketNames(config, naming, region),
              key.key(),
              accessLogs.bucket(),
              null,
              null,
              List.of(),
              config.destroyable()));
    }
    if (config.failoverSwitch()) {
      new DrainSwitch(
          this,
          "PrimaryDrain",
          RegionStack.drainAlarmName(naming, RegionRole.PRIMARY),
          config.primaryRegion(),
          topic.topic());
    }
    CfnOutput.Builder.create(this, "standbySnsTopicArn")
        .value(topic.topic().getTopicArn())
        .description("Standby SNS topic ARN")
        .build();
  }

  public IKey key() {
    return key.key();
  }

  public ITopic topic() {
    return topic.topic();
  }

  public IBucket accessLogs() {
    return accessLogs.bucket();
  }
}

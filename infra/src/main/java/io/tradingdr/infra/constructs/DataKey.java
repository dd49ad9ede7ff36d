package io.tradingdr.infra.constructs;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.iam.AnyPrincipal;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * The region's customer-managed key (rotated yearly) for logs, topics, buckets, tables and the
 * database. The services that write encrypted data on our behalf get only data-key use.
 */
public final class DataKey extends Construct {
  private final Key key;

  /** Properties of the data key. */
  public record Props(String aliasName, String region, String account, boolean destroyable) {}

  public DataKey(Construct scope, String id, Props props) {
    super(scope, id);
    this.key =
        Key.Builder.create(this, "Key")
            .alias(props.aliasName())
            .description("Trading DR data key " + props.aliasName())
            .enableKeyRotation(true)
            .rotationPeriod(Duration.days(365))
            .pendingWindow(Duration.days(7))
            .removalPolicy(props.destroyable() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
            .build();
    key.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("LogsEncryptLogGroups")
            .effect(Effect.ALLOW)
            .principals(List.of(new ServicePrincipal("logs." + props.region() + ".amazonaws.com")))
            .actions(
                List.of(
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:ReEncryptFrom",
                    "kms:ReEncryptTo",
                    "kms:GenerateDataKey",
                    "kms:GenerateDataKeyWithoutPlaintext",
                    "kms:DescribeKey"))
            .resources(List.of("*"))
            .conditions(
                Map.of(
                    "ArnLike",
                    Map.of(
                        "kms:EncryptionContext:aws:logs:arn",
                        "arn:aws:logs:" + props.region() + ":" + props.account() + ":log-group:*")))
            .build());
    key.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("ServicesPublishToEncryptedTopicsAndQueues")
            .effect(Effect.ALLOW)
            .principals(
                List.of(
                    new ServicePrincipal("cloudwatch.amazonaws.com"),
                    new ServicePrincipal("events.amazonaws.com")))
            .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
            .resources(List.of("*"))
            .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", props.account())))
            .build());
    // Auto Scaling publishes group notifications with its service-linked role, which may not
    // exist yet on a fresh account; a principal condition does not require it to.
    key.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("AutoScalingPublishesToEncryptedTopics")
            .effect(Effect.ALLOW)
            .principals(List.of(new AnyPrincipal()))
            .actions(List.of("kms:Decrypt", "kms:GenerateDataKey"))
            .resources(List.of("*"))
            .conditions(
                Map.of(
                    "ArnEquals",
                    Map.of(
                        "aws:PrincipalArn",
                        "arn:aws:iam::"
                            + props.account()
                            + ":role/aws-service-role/autoscaling.amazonaws.com/"
                            + "AWSServiceRoleForAutoScaling"),
                    "StringEquals",
                    Map.of("kms:ViaService", "sns." + props.region() + ".amazonaws.com")))
            .build());
  }

  public Key key() {
    return key;
  }
}

package io.tradingdr.infra.constructs;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.sns.Topic;
import software.constructs.Construct;

/**
 * The region's notification topic: KMS-encrypted, TLS only, and open to CloudWatch alarms,
 * EventBridge rules and Lambda functions of this account.
 */
public final class AlertTopic extends Construct {
  private final Topic topic;

  public AlertTopic(Construct scope, String id, String topicName, IKey key, String account) {
    super(scope, id);
    this.topic =
        Topic.Builder.create(this, "Topic")
            .topicName(topicName)
            .displayName("Trading DR " + topicName)
            .masterKey(key)
            .enforceSsl(true)
            .build();
    topic.addToResourcePolicy(
        PolicyStatement.Builder.create()
            .sid("AlarmsRulesAndFunctionsPublish")
            .effect(Effect.ALLOW)
            .principals(
                List.of(
                    new ServicePrincipal("cloudwatch.amazonaws.com"),
                    new ServicePrincipal("events.amazonaws.com"),
                    new ServicePrincipal("lambda.amazonaws.com")))
            .actions(List.of("sns:Publish"))
            .resources(List.of(topic.getTopicArn()))
            .conditions(Map.of("StringEquals", Map.of("aws:SourceAccount", account)))
            .build());
  }

  public Topic topic() {
    return topic;
  }

  /** The ARN a topic of this name has, for stacks that must not reference it directly. */
  public static String arn(String region, String account, String topicName) {
    return "arn:aws:sns:" + region + ":" + account + ":" + topicName;
  }
}

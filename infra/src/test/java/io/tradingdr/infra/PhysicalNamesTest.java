package io.tradingdr.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.Stack;

/** Every physical name the app sets carries the environment suffix. */
class PhysicalNamesTest {
  private static final Set<String> NAME_PROPERTIES =
      Set.of(
          "TableName",
          "TopicName",
          "BucketName",
          "FunctionName",
          "RoleName",
          "ManagedPolicyName",
          "AlarmName",
          "AutoScalingGroupName",
          "LaunchTemplateName",
          "DBClusterIdentifier",
          "GlobalClusterIdentifier",
          "LogGroupName",
          "QueueName",
          "DashboardName",
          "AliasName",
          "Name");

  @ParameterizedTest(name = "{0}")
  @NullSource
  @ValueSource(strings = {"warm-standby", "active-passive", "serverless-alb", "serverless-api"})
  void everyPhysicalName_containsTheEnvironmentSuffix(String profile) {
    Synth synth = Synth.of(profile);
    List<String> names = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (Stack stack : Stacks.all(synth.stacks)) {
      Map<?, ?> resources = (Map<?, ?>) synth.template(stack).toJSON().get("Resources");
      for (Map.Entry<?, ?> resource : resources.entrySet()) {
        Map<?, ?> body = (Map<?, ?>) resource.getValue();
        String type = String.valueOf(body.get("Type"));
        if (type.startsWith("Custom::") || !(body.get("Properties") instanceof Map<?, ?> props)) {
          continue;
        }
        for (Map.Entry<?, ?> property : props.entrySet()) {
          if (NAME_PROPERTIES.contains(property.getKey())
              && property.getValue() instanceof String name
              && !isRecordOrCertificate(type)) {
            names.add(name);
            if (!name.contains("test")) {
              missing.add(stack.getStackName() + " " + type + " " + name);
            }
          }
        }
      }
    }
    assertThat(names).hasSizeGreaterThan(10);
    assertThat(missing).isEmpty();
  }

  /** Record, alias and certificate names are DNS names or fixed words, not resource names. */
  private static boolean isRecordOrCertificate(String type) {
    return type.startsWith("AWS::Route53::")
        || type.equals("AWS::Lambda::Alias")
        || type.startsWith("AWS::CertificateManager::");
  }
}

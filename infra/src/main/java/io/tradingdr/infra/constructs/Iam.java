package io.tradingdr.infra.constructs;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import software.amazon.awscdk.services.iam.Effect;
import software.amazon.awscdk.services.iam.IRole;
import software.amazon.awscdk.services.iam.ManagedPolicy;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.constructs.Construct;

/**
 * Customer-managed policies built from explicit actions (never wildcards), optionally with an
 * explicit deny of the same actions outside the regions the deployment uses.
 */
public final class Iam {
  private Iam() {}

  public static PolicyStatement allow(List<String> actions, List<String> resources) {
    return PolicyStatement.Builder.create()
        .effect(Effect.ALLOW)
        .actions(actions)
        .resources(resources)
        .build();
  }

  public static PolicyStatement allow(
      List<String> actions, List<String> resources, Map<String, Object> conditions) {
    return PolicyStatement.Builder.create()
        .effect(Effect.ALLOW)
        .actions(actions)
        .resources(resources)
        .conditions(conditions)
        .build();
  }

  /**
   * A managed policy for {@code role}. When {@code allowedRegions} is not empty the same actions
   * are explicitly denied for requests to any other region.
   */
  public static ManagedPolicy policy(
      Construct scope,
      String id,
      String name,
      IRole role,
      List<PolicyStatement> statements,
      List<String> allowedRegions) {
    List<PolicyStatement> all = new ArrayList<>(statements);
    if (!allowedRegions.isEmpty()) {
      Set<String> actions = new LinkedHashSet<>();
      for (PolicyStatement statement : statements) {
        actions.addAll(statement.getActions());
      }
      all.add(
          PolicyStatement.Builder.create()
              .sid("DenyUnusedRegions")
              .effect(Effect.DENY)
              .actions(List.copyOf(actions))
              .resources(List.of("*"))
              .conditions(Map.of("StringNotEquals", Map.of("aws:RequestedRegion", allowedRegions)))
              .build());
    }
    return ManagedPolicy.Builder.create(scope, id)
        .managedPolicyName(name)
        .statements(all)
        .roles(List.of(role))
        .build();
  }

  /** Write access to exactly one log group. */
  public static PolicyStatement writeLogs(String logGroupArn) {
    return allow(
        List.of("logs:CreateLogStream", "logs:PutLogEvents"),
        List.of(logGroupArn, logGroupArn + ":log-stream:*"));
  }
}

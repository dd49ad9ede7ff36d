package io.tradingdr.infra.constructs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.CfnResource;
import software.constructs.IConstruct;

/**
 * Records cdk-nag suppressions as the {@code cdk_nag} metadata cdk-nag reads, on the resource and
 * its children. The app does not load cdk-nag itself (the checks run in the tests), so a reviewer
 * sees each reason next to the resource it excuses.
 */
public final class Nag {
  private Nag() {}

  /** Suppresses {@code rules} on {@code scope} and every CloudFormation resource below it. */
  public static void suppress(IConstruct scope, String reason, String... rules) {
    suppressApplying(scope, reason, List.of(), rules);
  }

  /** Suppresses only the findings whose subject (e.g. a wildcard resource) is in appliesTo. */
  public static void suppressApplying(
      IConstruct scope, String reason, List<?> appliesTo, String... rules) {
    for (IConstruct child : scope.getNode().findAll()) {
      if (child instanceof CfnResource resource) {
        add(resource, reason, appliesTo, rules);
      }
    }
  }

  /** An applies_to entry matched as a regular expression (cdk-nag's {@code {regex: ...}}). */
  public static Map<String, Object> regex(String pattern) {
    return Map.of("regex", "/" + pattern + "/");
  }

  @SuppressWarnings("unchecked")
  private static void add(CfnResource resource, String reason, List<?> appliesTo, String... rules) {
    Object existing = resource.getCfnOptions().getMetadata();
    Map<String, Object> metadata =
        existing instanceof Map<?, ?> map
            ? new LinkedHashMap<>((Map<String, Object>) map)
            : new LinkedHashMap<>();
    Map<String, Object> nag =
        metadata.get("cdk_nag") instanceof Map<?, ?> m
            ? new LinkedHashMap<>((Map<String, Object>) m)
            : new LinkedHashMap<>();
    List<Object> list =
        nag.get("rules_to_suppress") instanceof List<?> l ? new ArrayList<>(l) : new ArrayList<>();
    for (String rule : rules) {
      Map<String, Object> entry = new LinkedHashMap<>();
      entry.put("id", rule);
      entry.put("reason", reason);
      if (!appliesTo.isEmpty()) {
        entry.put("applies_to", appliesTo);
      }
      list.add(entry);
    }
    nag.put("rules_to_suppress", list);
    metadata.put("cdk_nag", nag);
    resource.getCfnOptions().setMetadata(metadata);
  }
}

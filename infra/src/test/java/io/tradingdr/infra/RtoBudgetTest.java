package io.tradingdr.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradingdr.infra.config.ProfileSpec.RtoSpec;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Template;

/**
 * Worst-case RTO from the synthesized settings: the primary record's HTTP health check (request
 * interval x failure threshold) + the record TTL + the documented database promotion and standby
 * scale-up allowances. Fails when the sum exceeds the profile's target.
 */
class RtoBudgetTest {

  @ParameterizedTest(name = "{0}")
  @NullSource
  @ValueSource(strings = {"warm-standby", "active-passive", "serverless-alb", "serverless-api"})
  void worstCaseRto_staysWithinTheProfilesTarget(String profile) {
    Synth synth = Synth.of(profile);
    Template global = synth.global();
    Map<String, Map<String, Object>> checks = resources(global, "AWS::Route53::HealthCheck");
    Map<String, Object> http =
        checks.values().stream()
            .map(c -> config(c))
            .filter(c -> "HTTPS".equals(c.get("Type")))
            .filter(c -> String.valueOf(c.get("FullyQualifiedDomainName")).startsWith("primary."))
            .findFirst()
            .orElseThrow();
    int interval = ((Number) http.get("RequestInterval")).intValue();
    int threshold = ((Number) http.get("FailureThreshold")).intValue();
    int ttl =
        resources(global, "AWS::Route53::RecordSet").values().stream()
            .map(r -> properties(r))
            .mapToInt(p -> Integer.parseInt(String.valueOf(p.get("TTL"))))
            .max()
            .orElseThrow();
    RtoSpec rto = synth.stacks.config().spec().rto();
    int detection = interval * threshold;
    int total = detection + ttl + rto.dbPromotionAllowanceSeconds() + rto.scaleUpAllowanceSeconds();
    System.out.printf(
        "RTO %s: detection %d s (%d s x %d) + DNS TTL %d s + DB promotion %d s + scale-up %d s"
            + " = %d s (target %d s)%n",
        synth.stacks.config().profile().id(),
        detection,
        interval,
        threshold,
        ttl,
        rto.dbPromotionAllowanceSeconds(),
        rto.scaleUpAllowanceSeconds(),
        total,
        rto.targetSeconds());
    assertThat(total).isLessThanOrEqualTo(rto.targetSeconds());
  }

  @ParameterizedTest(name = "{0}")
  @NullSource
  @ValueSource(strings = {"active-passive", "serverless-api"})
  void replicationLagAlarm_firesWellWithinTheRpoTarget(String profile) {
    Synth synth = Synth.of(profile);
    double thresholdMs =
        resources(synth.standby(), "AWS::CloudWatch::Alarm").values().stream()
            .map(a -> properties(a))
            .filter(p -> "AuroraGlobalDBReplicationLag".equals(p.get("MetricName")))
            .mapToDouble(p -> ((Number) p.get("Threshold")).doubleValue())
            .findFirst()
            .orElseThrow();
    int rpo = synth.stacks.config().spec().rto().rpoTargetSeconds();
    System.out.printf(
        "RPO %s: Aurora global replication lag alarm at %.0f ms (target %d s)%n",
        synth.stacks.config().profile().id(), thresholdMs, rpo);
    assertThat(thresholdMs / 1000).isLessThan(rpo);
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Map<String, Object>> resources(Template template, String type) {
    Map<String, ?> found = template.findResources(type);
    return (Map<String, Map<String, Object>>) (Map<String, ?>) found;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> properties(Map<String, Object> resource) {
    return (Map<String, Object>) resource.get("Properties");
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> config(Map<String, Object> resource) {
    return (Map<String, Object>) properties(resource).get("HealthCheckConfig");
  }
}

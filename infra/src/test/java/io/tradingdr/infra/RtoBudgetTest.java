package io.tradingdr.infra;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradingdr.infra.config.InfraConfig;
import io.tradingdr.infra.config.ProfileSpec.OrderStore;
import io.tradingdr.infra.config.ProfileSpec.RtoSpec;
import io.tradingdr.infra.constructs.Orchestration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awscdk.assertions.Template;

/**
 * Worst-case RTO from the synthesized settings: the primary record's HTTP health check (request
 * interval x failure threshold) + the record TTL + the documented database promotion and standby
 * scale-up allowances; for orders in a DynamoDB global table no promotion, but with an orchestrator
 * the write lease wait from its environment. Fails when the sum exceeds the profile's target.
 */
class RtoBudgetTest {

  static Stream<Arguments> budgets() {
    return Stream.of(
        Arguments.of("warm-standby", new String[0], 270),
        Arguments.of("warm-standby", new String[] {"failoverSwitch", "true"}, 282),
        Arguments.of("active-passive", new String[0], 210),
        Arguments.of("serverless-alb", new String[0], 150),
        Arguments.of("serverless-api", new String[0], 270),
        Arguments.of(null, new String[0], 210));
  }

  @ParameterizedTest(name = "{0} {1}: {2} s")
  @MethodSource("budgets")
  void worstCaseRto_staysWithinTheProfilesTarget(String profile, String[] extra, int expected) {
    Synth synth = Synth.of(profile, extra);
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
    InfraConfig config = synth.stacks.config();
    RtoSpec rto = config.spec().rto();
    boolean dynamoDbOrders = config.spec().data().orders().store() == OrderStore.DYNAMODB;
    // Multi-active orders tables are never promoted; the orchestrator waits out the revoked
    // write lease instead (TTL + safety margin, as its environment sets them).
    int leaseWait = dynamoDbOrders && config.orchestrator() ? writeLeaseWait(synth.standby()) : 0;
    int promotion = dynamoDbOrders ? 0 : rto.dbPromotionAllowanceSeconds();
    int detection = interval * threshold;
    int total = detection + ttl + promotion + leaseWait + rto.scaleUpAllowanceSeconds();
    System.out.printf(
        "RTO %s%s: detection %d s (%d s x %d) + DNS TTL %d s + DB promotion %d s + write lease"
            + " wait %d s + scale-up %d s = %d s (target %d s)%n",
        config.profile().id(),
        config.orchestrator() ? " (orchestrator)" : "",
        detection,
        interval,
        threshold,
        ttl,
        promotion,
        leaseWait,
        rto.scaleUpAllowanceSeconds(),
        total,
        rto.targetSeconds());
    assertThat(total).isEqualTo(expected).isLessThanOrEqualTo(rto.targetSeconds());
  }

  /** TTL + safety margin from the standby orchestrator's environment, in seconds. */
  @SuppressWarnings("unchecked")
  private static int writeLeaseWait(Template standby) {
    Map<String, Object> variables =
        resources(standby, "AWS::Lambda::Function").values().stream()
            .map(f -> properties(f))
            .filter(
                p -> String.valueOf(p.get("Handler")).equals(Orchestration.ORCHESTRATOR_HANDLER))
            .map(
                p ->
                    (Map<String, Object>)
                        ((Map<String, Object>) p.get("Environment")).get("Variables"))
            .findFirst()
            .orElseThrow();
    return seconds(variables.get("TDR_WRITE_LEASE_TTL"))
        + seconds(variables.get("TDR_WRITE_LEASE_SAFETY_MARGIN"));
  }

  private static int seconds(Object value) {
    String text = String.valueOf(value);
    assertThat(text).matches("[0-9]+s");
    return Integer.parseInt(text.substring(0, text.length() - 1));
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

package io.tradingdr.aws.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.core.config.AutomaticFailover;
import io.tradingdr.core.port.HealthProbe;
import io.tradingdr.core.port.ProbeResult;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.core.rpo.OrderReconciliation;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class OrchestratorWiringTest {

  private static HealthProbe probe(String observer) {
    return new HealthProbe() {
      @Override
      public String observer() {
        return observer;
      }

      @Override
      public ProbeResult probe(RegionId region) {
        return new ProbeResult(observer, region, Instant.EPOCH, true, Duration.ZERO, "ok");
      }
    };
  }

  private static final List<HealthProbe> AWS_PROBES =
      List.of(probe("standby-side"), probe("cloudwatch"));

  @Test
  void variableOf_isTheSettingInUpperSnakeCase() {
    assertThat(OrchestratorWiring.variableOf("maxLagOnFailover"))
        .isEqualTo("TDR_MAX_LAG_ON_FAILOVER");
    assertThat(OrchestratorWiring.variableOf("writeLeaseTtl")).isEqualTo("TDR_WRITE_LEASE_TTL");
  }

  @Test
  void config_readsGuardsFromTheirVariables_andRequiresTheConfiguredObserversByDefault() {
    var config =
        OrchestratorWiring.config(
            Map.of(
                "TDR_MAX_LAG_ON_FAILOVER", "5s",
                "TDR_MIN_FAILOVER_INTERVAL", "30m",
                "TDR_AUTOMATIC_FAILOVER", "paused"),
            AWS_PROBES);

    assertThat(config.maxLagOnFailover()).isEqualTo(Duration.ofSeconds(5));
    assertThat(config.minFailoverInterval()).isEqualTo(Duration.ofMinutes(30));
    assertThat(config.automaticFailover()).isEqualTo(AutomaticFailover.PAUSED);
    assertThat(config.detectionObservers()).containsExactly("standby-side", "cloudwatch");
  }

  @Test
  void config_refusesAnInvalidValue_namingTheVariable() {
    assertThatThrownBy(
            () -> OrchestratorWiring.config(Map.of("TDR_FAILURE_THRESHOLD", "0"), AWS_PROBES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "orchestrator settings (TDR_<SETTING> variables): failureThreshold must be between 1"
                + " and 20, was 0");
    assertThatThrownBy(
            () -> OrchestratorWiring.config(Map.of("TDR_MAX_LAG_ON_FAILOVER", "soon"), AWS_PROBES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("TDR_MAX_LAG_ON_FAILOVER: maxLagOnFailover must be a duration");
  }

  @Test
  void requireObservers_refusesAnObserverWithoutAProbe_sayingWhichVariableAddsIt() {
    var config =
        OrchestratorWiring.config(
            Map.of("TDR_DETECTION_OBSERVERS", "entry-point,standby-side"), AWS_PROBES);

    assertThatThrownBy(() -> OrchestratorWiring.requireObservers(config, AWS_PROBES))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no probe is configured for entry-point")
        .hasMessageContaining("configured: cloudwatch, standby-side");
  }

  private static final CommittedOrder LOST =
      new CommittedOrder(
          "o-1",
          "c-1",
          "acct-1",
          Instant.parse("2026-11-22T06:00:00Z"),
          3,
          "{\"clientOrderId\":\"c-1\"}");

  @Test
  void reconciliation_refusesWithTheSettingToSet_whenNoServiceUrlIsConfigured() {
    OrderReconciliation reconciliation = OrchestratorWiring.reconciliation(Map.of());

    assertThatThrownBy(() -> reconciliation.replay(RegionId.of("us-east-2"), LOST))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("TDR_MONITOR_TARGETS");
  }

  @Test
  void reconciliation_refusesARegionWithoutAServiceUrl_beforeAnyRequest() {
    OrderReconciliation reconciliation =
        OrchestratorWiring.reconciliation(
            Map.of("TDR_MONITOR_TARGETS", "us-east-1=https://primary.example.com"));

    assertThatThrownBy(() -> reconciliation.replay(RegionId.of("us-east-2"), LOST))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("no trading service URL for us-east-2");
  }

  @Test
  void reconciliation_rejectsAMalformedTargetList_namingTheEntry() {
    assertThatThrownBy(
            () -> OrchestratorWiring.reconciliation(Map.of("TDR_MONITOR_TARGETS", "us-east-1")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'us-east-1'")
        .hasMessageContaining("region=https://service-url");
  }
}

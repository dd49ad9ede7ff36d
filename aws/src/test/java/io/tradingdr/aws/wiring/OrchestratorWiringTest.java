package io.tradingdr.aws.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.core.config.AutomaticFailover;
import io.tradingdr.core.port.HealthProbe;
import io.tradingdr.core.port.ProbeResult;
import io.tradingdr.core.region.RegionId;
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
}

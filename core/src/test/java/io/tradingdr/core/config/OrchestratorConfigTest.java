package io.tradingdr.core.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class OrchestratorConfigTest {

  @Test
  void defaults_matchTheDocumentedAwsProfile() {
    OrchestratorConfig c = OrchestratorConfig.defaults();

    assertThat(c.healthCheckInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.failureThreshold()).isEqualTo(3);
    assertThat(c.recoveryThreshold()).isEqualTo(3);
    assertThat(c.detectionObservers()).containsExactly("entry-point", "standby-side");
    assertThat(c.maxLagOnFailover()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.minFailoverInterval()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.writeLeaseTtl()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.writeLeaseRenewInterval()).isEqualTo(Duration.ofSeconds(10).dividedBy(3));
    assertThat(c.automaticFailover()).isEqualTo(AutomaticFailover.ON);
    assertThat(c.automaticFailback()).isFalse();
  }

  @Test
  void localPreset_checksEverySecond() {
    assertThat(OrchestratorConfig.localBuilder().build().healthCheckInterval())
        .isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void build_refusesOutOfRangeValue_namingTheSettingAndRange() {
    assertThatThrownBy(() -> OrchestratorConfig.builder().failureThreshold(0).build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("failureThreshold must be between 1 and 20, was 0");
    assertThatThrownBy(
            () -> OrchestratorConfig.builder().maxLagOnFailover(Duration.ofHours(1)).build())
        .hasMessage("maxLagOnFailover must be between 0s and 10m, was 1h");
    assertThatThrownBy(() -> OrchestratorConfig.builder().standbyCapacity(5).build())
        .hasMessage("standbyCapacity must be between 0 and 2, was 5");
  }

  @Test
  void build_refusesSafetyMarginOfHalfTheTtlOrMore() {
    assertThatThrownBy(
            () ->
                OrchestratorConfig.builder()
                    .writeLeaseTtl(Duration.ofSeconds(4))
                    .writeLeaseSafetyMargin(Duration.ofSeconds(2))
                    .build())
        .hasMessageContaining("writeLeaseSafetyMargin must be >= 0 and < writeLeaseTtl/2 (2s)");
  }

  @Test
  void build_refusesFewerThanTwoObservers() {
    assertThatThrownBy(
            () -> OrchestratorConfig.builder().detectionObservers(List.of("entry-point")).build())
        .hasMessageContaining("detectionObservers must name at least 2 distinct");
  }

  @Test
  void set_parsesTextValues() {
    OrchestratorConfig c =
        OrchestratorConfig.builder()
            .set("healthCheckInterval", "1s")
            .set("maxLagOnFailover", "1.5s")
            .set("minFailoverInterval", "PT30M")
            .set("automaticFailover", "paused")
            .set("automaticFailback", "true")
            .set("writerCapacity", "3")
            .build();

    assertThat(c.healthCheckInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(c.maxLagOnFailover()).isEqualTo(Duration.ofMillis(1500));
    assertThat(c.minFailoverInterval()).isEqualTo(Duration.ofMinutes(30));
    assertThat(c.automaticFailover()).isEqualTo(AutomaticFailover.PAUSED);
    assertThat(c.automaticFailback()).isTrue();
    assertThat(c.writerCapacity()).isEqualTo(3);
  }

  @Test
  void set_refusesUnknownSettingAndBadText_withAllowedValues() {
    assertThatThrownBy(() -> OrchestratorConfig.builder().set("maxLag", "1s"))
        .hasMessageStartingWith("unknown setting 'maxLag'; allowed: healthCheckInterval,");
    assertThatThrownBy(() -> OrchestratorConfig.builder().set("maxLagOnFailover", "soon"))
        .hasMessageStartingWith("maxLagOnFailover must be a duration such as 500ms, 10s");
    assertThatThrownBy(() -> OrchestratorConfig.builder().set("automaticFailover", "maybe"))
        .hasMessage("automaticFailover must be one of ON, PAUSED, was 'maybe'");
  }

  @Test
  void describe_listsEverySettingWithItsDefault() {
    List<String> lines =
        OrchestratorConfig.builder().maxLagOnFailover(Duration.ofSeconds(1)).build().describe();

    assertThat(lines).hasSize(18);
    assertThat(lines).contains("maxLagOnFailover = 1s (default 10s)");
    assertThat(lines).contains("automaticFailback = false (default false)");
  }
}

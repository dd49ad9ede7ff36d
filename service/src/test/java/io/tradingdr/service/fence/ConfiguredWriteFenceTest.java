package io.tradingdr.service.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.core.fence.WritePermit;
import io.tradingdr.core.fence.WriteRefusedException;
import io.tradingdr.core.region.Epoch;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.region.RegionRole;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class ConfiguredWriteFenceTest {

  private final Clock clock = Clock.fixed(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);

  @Test
  void writer_admitsWithItsEpoch_forThePermitWindow() {
    ConfiguredWriteFence fence =
        new ConfiguredWriteFence(RegionId.of("region-a"), RegionRole.WRITER, new Epoch(4), clock);

    WritePermit permit = fence.admit();

    assertThat(permit.epoch()).isEqualTo(new Epoch(4));
    assertThat(permit.region()).isEqualTo(RegionId.of("region-a"));
    assertThat(permit.validUntil()).isEqualTo(clock.instant().plusSeconds(5));
  }

  @Test
  void standby_refusesNamingTheGuard_withRetryAfter() {
    ConfiguredWriteFence fence =
        new ConfiguredWriteFence(RegionId.of("region-b"), RegionRole.STANDBY, Epoch.ZERO, clock);

    assertThatThrownBy(fence::admit)
        .isInstanceOf(WriteRefusedException.class)
        .hasMessageStartingWith("writeRole: region region-b is configured as STANDBY")
        .satisfies(
            e ->
                assertThat(((WriteRefusedException) e).retryAfter())
                    .isEqualTo(Duration.ofSeconds(5)));
  }

  @Test
  void otherRoles_areRefusedAtConstruction() {
    assertThatThrownBy(
            () ->
                new ConfiguredWriteFence(
                    RegionId.of("region-a"), RegionRole.FENCED, Epoch.ZERO, clock))
        .hasMessageContaining("WRITER or STANDBY");
  }
}

package io.tradingdr.core.region;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.core.fence.WriteLease;
import io.tradingdr.core.port.ReplicationStatus;
import io.tradingdr.core.port.Watermark;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RegionTopologyTest {

  private final RegionTopology topology = RegionTopology.of("us-east-1", "us-east-2");
  private final RegionId east1 = RegionId.of("us-east-1");
  private final RegionId east2 = RegionId.of("us-east-2");
  private final Instant now = Instant.parse("2026-01-05T09:00:00Z");

  @Test
  void other_isTheRemainingRegion() {
    assertThat(topology.other(east1)).isEqualTo(east2);
    assertThat(topology.other(east2)).isEqualTo(east1);
  }

  @Test
  void other_refusesARegionOutsideTheSystem_namingTheAllowedOnes() {
    assertThatThrownBy(() -> topology.other(RegionId.of("eu-west-1")))
        .hasMessage("region eu-west-1 is not part of this system; allowed: us-east-1, us-east-2");
  }

  @Test
  void topology_refusesTheSameRegionTwice() {
    assertThatThrownBy(() -> RegionTopology.of("us-east-1", "us-east-1"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void roles_followTheLeaseAndTheDatabase() {
    ReplicationStatus status =
        new ReplicationStatus(
            Optional.of(east1),
            east2,
            Optional.of(Duration.ofMillis(5)),
            Optional.of(new Watermark(10, "10", now)),
            Optional.of(new Watermark(9, "9", now)),
            false);
    WriteLease lease = WriteLease.held(east1, new Epoch(4), now.plusSeconds(10));

    assertThat(RegionView.of(east1, lease, status, now).role()).isEqualTo(RegionRole.WRITER);
    assertThat(RegionView.of(east2, lease, status, now).role()).isEqualTo(RegionRole.STANDBY);
    WriteLease moved = WriteLease.held(east2, new Epoch(6), now.plusSeconds(10));
    assertThat(RegionView.of(east1, moved, status, now).role()).isEqualTo(RegionRole.FENCED);
  }
}

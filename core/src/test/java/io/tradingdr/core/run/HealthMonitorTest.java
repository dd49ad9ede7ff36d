package io.tradingdr.core.run;

import static io.tradingdr.core.testing.FakeRegions.A;
import static io.tradingdr.core.testing.FakeRegions.B;
import static org.assertj.core.api.Assertions.assertThat;

import io.tradingdr.core.testing.FakeRegions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HealthMonitorTest {

  private final FakeRegions r = new FakeRegions();
  private final HealthMonitor monitor =
      new HealthMonitor(r.orchestrator("monitor"), "health-monitor");

  private List<HealthMonitor.Tick> ticks(int n) {
    List<HealthMonitor.Tick> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      r.clock.advance(r.config.healthCheckInterval());
      out.add(monitor.tick());
    }
    return out;
  }

  private static long failovers(List<HealthMonitor.Tick> ticks) {
    return ticks.stream().filter(t -> t.failover().isPresent()).count();
  }

  @Test
  void flappingWriter_neverTriggersAFailover() {
    for (int i = 0; i < 10; i++) {
      r.entryPoint.script(A, false, false, true);
      r.standbySide.script(A, false, false, true);
    }

    List<HealthMonitor.Tick> ticks = ticks(30);

    assertThat(failovers(ticks)).isZero();
    assertThat(r.replication.promotions()).isZero();
  }

  @Test
  void writerDownForOneObserverOnly_neverTriggersAFailover() {
    r.entryPoint.healthy(A, false);

    assertThat(failovers(ticks(10))).isZero();
  }

  @Test
  void writerThatStaysDown_triggersExactlyOneFailover_onTheThirdCheck() {
    r.replication.commit(5);
    r.clock.advance(Duration.ofSeconds(1));
    r.regionDown(A);
    r.replication.lagWhenWriterDown(Optional.of(Duration.ofMillis(300)));

    List<HealthMonitor.Tick> ticks = ticks(10);

    assertThat(ticks.get(2).failover())
        .hasValueSatisfying(f -> assertThat(f.outcome()).isEqualTo(RunOutcome.COMPLETED));
    assertThat(failovers(ticks)).isEqualTo(1);
    assertThat(r.replication.promotions()).isEqualTo(1);
    assertThat(r.replication.writer()).contains(B);
  }

  @Test
  void refusedFailover_isRetriedOncePerFailureThreshold_notOnEveryCheck() {
    r.orchestrator("drctl").pauseAutomaticFailover("alice");
    r.regionDown(A);
    r.replication.lagWhenWriterDown(Optional.of(Duration.ofMillis(300)));

    List<HealthMonitor.Tick> ticks = ticks(10);

    assertThat(failovers(ticks)).isEqualTo(3);
    assertThat(ticks.get(2).failover().orElseThrow().reason())
        .isEqualTo("automaticFailover: paused by alice");
    r.orchestrator("drctl").resumeAutomaticFailover("alice");
    assertThat(ticks(3).stream().filter(t -> t.failover().isPresent()).findFirst())
        .hasValueSatisfying(
            t -> assertThat(t.failover().get().outcome()).isEqualTo(RunOutcome.COMPLETED));
  }

  @Test
  void newWriterFlappingRightAfterAFailover_isHeldBackByMinFailoverInterval() {
    r.regionDown(A);
    r.replication.lagWhenWriterDown(Optional.of(Duration.ofMillis(300)));
    ticks(3);
    r.regionUp(A);
    r.replication.unreachable(B, true);
    r.entryPoint.healthy(B, false);
    r.standbySide.healthy(B, false);

    List<HealthMonitor.Tick> ticks = ticks(6);

    assertThat(ticks)
        .filteredOn(t -> t.failover().isPresent())
        .isNotEmpty()
        .allSatisfy(
            t -> assertThat(t.failover().get().reason()).startsWith("minFailoverInterval:"));
    assertThat(r.replication.promotions()).isEqualTo(1);
  }
}

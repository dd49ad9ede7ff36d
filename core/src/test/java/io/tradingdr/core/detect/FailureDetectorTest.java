package io.tradingdr.core.detect;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.port.ProbeResult;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureDetectorTest {

  private static final RegionId A = RegionId.of("region-a");
  private final MutableClock clock = MutableClock.start();
  private final FailureDetector detector =
      new FailureDetector(OrchestratorConfig.defaults(), clock);

  private void check(boolean entryPointUp, boolean standbySideUp) {
    clock.advance(Duration.ofSeconds(10));
    detector.record(result("entry-point", entryPointUp));
    detector.record(result("standby-side", standbySideUp));
  }

  private ProbeResult result(String observer, boolean up) {
    return new ProbeResult(
        observer, A, clock.instant(), up, Duration.ofMillis(5), up ? "200" : "503");
  }

  @Test
  void region_isDown_afterThreeFailedChecksByEveryObserver() {
    check(false, false);
    check(false, false);
    assertThat(detector.assess(A).health()).isEqualTo(RegionHealth.UP);

    check(false, false);

    DetectionVerdict v = detector.assess(A);
    assertThat(v.health()).isEqualTo(RegionHealth.DOWN);
    assertThat(v.reason())
        .startsWith("detection: all observers agree region-a is down: entry-point=down");
    assertThat(v.facts())
        .containsEntry("observer.entry-point", "entry-point=down (3 failures, last: 503)")
        .containsEntry("observer.standby-side", "standby-side=down (3 failures, last: 503)");
  }

  @Test
  void region_isNotDown_whenObserversDisagree() {
    check(false, true);
    check(false, true);
    check(false, true);

    DetectionVerdict v = detector.assess(A);
    assertThat(v.health()).isEqualTo(RegionHealth.DISPUTED);
    assertThat(v.reason())
        .startsWith(
            "detection: observers disagree about region-a: entry-point=down, standby-side=up");
  }

  @Test
  void flappingRegion_isNeverDown_whenFailuresAreNotConsecutive() {
    for (int i = 0; i < 30; i++) {
      check(i % 3 == 2, i % 3 == 2);
      assertThat(detector.assess(A).isDown()).isFalse();
    }
  }

  @Test
  void downRegion_staysDown_untilThreeConsecutiveGoodChecks() {
    check(false, false);
    check(false, false);
    check(false, false);

    check(true, true);
    check(true, true);
    assertThat(detector.assess(A).health()).isEqualTo(RegionHealth.DOWN);
    check(false, false);
    check(true, true);
    check(true, true);
    assertThat(detector.assess(A).health()).isEqualTo(RegionHealth.DOWN);

    check(true, true);

    assertThat(detector.assess(A).health()).isEqualTo(RegionHealth.UP);
  }

  @Test
  void staleObserver_countsAsUnknown_soTheRegionIsNotDown() {
    check(false, false);
    check(false, false);
    check(false, false);
    clock.advance(Duration.ofSeconds(20));
    detector.record(result("entry-point", false));
    clock.advance(Duration.ofSeconds(20));

    DetectionVerdict v = detector.assess(A);

    assertThat(v.health()).isEqualTo(RegionHealth.DISPUTED);
    assertThat(v.reason()).contains("standby-side=unknown");
  }

  @Test
  void unknownObserver_isIgnored() {
    detector.record(result("someone-else", false));

    assertThat(detector.assess(A).observers())
        .extracting(ObserverView::observer)
        .containsExactly("entry-point", "standby-side");
  }
}

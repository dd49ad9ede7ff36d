package io.tradingdr.core.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.core.region.Epoch;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.testing.FakeControlStore;
import io.tradingdr.core.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.Test;

class LeaseWriteFenceTest {

  private static final RegionId A = RegionId.of("region-a");
  private static final RegionId B = RegionId.of("region-b");
  private static final Duration TTL = Duration.ofSeconds(10);
  private static final Duration MARGIN = Duration.ofSeconds(2);

  private final MutableClock clock = MutableClock.start();
  private final FakeControlStore store = new FakeControlStore(clock);
  private final LeaseWriteFence fenceA = new LeaseWriteFence(A, store, clock, TTL, MARGIN);

  @Test
  void admit_issuesAPermitWithTheEpoch_whileTheLeaseIsValid() {
    store.grant(A, Epoch.ZERO, TTL);
    fenceA.refresh();

    WritePermit permit = fenceA.admit();

    assertThat(permit.region()).isEqualTo(A);
    assertThat(permit.epoch()).isEqualTo(new Epoch(1));
    assertThat(permit.validUntil()).isEqualTo(clock.instant().plus(TTL).minus(MARGIN));
  }

  @Test
  void admit_refuses_inARegionThatIsNotTheWriter() {
    store.grant(A, Epoch.ZERO, TTL);
    LeaseWriteFence fenceB = new LeaseWriteFence(B, store, clock, TTL, MARGIN);
    fenceB.refresh();

    assertThatThrownBy(fenceB::admit)
        .isInstanceOf(WriteRefusedException.class)
        .hasMessage("writeLease: region-b is not the writer (held by region-a at epoch 1)");
  }

  @Test
  void regionWhoseLeaseCannotBeRenewed_stopsAcknowledgingBeforeTheLeaseExpires() {
    store.grant(A, Epoch.ZERO, TTL);
    fenceA.refresh();
    Instant storedExpiry = store.read().expiresAt();
    store.leaseUnreachable(true);

    clock.advance(Duration.ofSeconds(4));
    fenceA.refresh();
    assertThat(fenceA.admit().epoch()).isEqualTo(new Epoch(1));
    clock.advance(Duration.ofSeconds(4));
    fenceA.refresh();

    assertThat(clock.instant()).isBefore(storedExpiry);
    assertThatThrownBy(fenceA::admit)
        .isInstanceOf(WriteRefusedException.class)
        .hasMessageContaining("within the 2s safety margin")
        .hasMessageContaining("renewal failing since");
  }

  @Test
  void regionCutOffLongerThanTheTtl_writesAgainOnceTheStoreAnswers_whenNobodyRevokedIt() {
    store.grant(A, Epoch.ZERO, TTL);
    fenceA.refresh();
    store.leaseUnreachable(true);
    clock.advance(TTL.plusSeconds(5));
    fenceA.refresh();
    assertThatThrownBy(fenceA::admit).isInstanceOf(WriteRefusedException.class);

    store.leaseUnreachable(false);
    fenceA.refresh();

    assertThat(fenceA.admit().epoch()).isEqualTo(new Epoch(1));
  }

  @Test
  void admit_neverCallsTheStore() {
    store.grant(A, Epoch.ZERO, TTL);
    fenceA.refresh();
    store.leaseUnreachable(true);

    assertThat(fenceA.admit()).isNotNull();
  }

  @Test
  void revokedLease_stopsAdmissionsAtTheNextRenewal() {
    store.grant(A, Epoch.ZERO, TTL);
    fenceA.refresh();
    store.revoke(new Epoch(1));

    fenceA.refresh();

    assertThatThrownBy(fenceA::admit).hasMessageStartingWith("writeLease: lost (renew refused");
  }

  @Test
  void renewals_keepTheRegionWriting_pastTheFirstTtl() {
    store.grant(A, Epoch.ZERO, TTL);
    for (int i = 0; i < 10; i++) {
      fenceA.refresh();
      clock.advance(Duration.ofMillis(3333));
      assertThat(fenceA.admit().epoch()).isEqualTo(new Epoch(1));
    }
  }

  @Test
  void newlyGrantedRegion_adoptsTheLease_atTheNewEpoch() {
    store.grant(A, Epoch.ZERO, TTL);
    store.revoke(new Epoch(1));
    store.grant(B, new Epoch(2), TTL);
    LeaseWriteFence fenceB = new LeaseWriteFence(B, store, clock, TTL, MARGIN);

    fenceB.refresh();

    assertThat(fenceB.admit().epoch()).isEqualTo(new Epoch(3));
  }

  @Test
  void start_renewsOnTheScheduler() throws Exception {
    store.grant(A, Epoch.ZERO, TTL);
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try (LeaseWriteFence fence =
        new LeaseWriteFence(A, store, clock, Duration.ofSeconds(1), Duration.ofMillis(100))) {
      fence.start(scheduler);
      long deadline = System.nanoTime() + 5_000_000_000L;
      while (true) {
        try {
          assertThat(fence.admit().region()).isEqualTo(A);
          break;
        } catch (WriteRefusedException e) {
          if (System.nanoTime() > deadline) {
            throw e;
          }
          Thread.sleep(10);
        }
      }
    } finally {
      scheduler.shutdownNow();
    }
  }

  @Test
  void constructor_refusesAMarginOfHalfTheTtl() {
    assertThatThrownBy(() -> new LeaseWriteFence(A, store, clock, TTL, Duration.ofSeconds(5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("safetyMargin must be >= 0 and < ttl/2");
  }
}

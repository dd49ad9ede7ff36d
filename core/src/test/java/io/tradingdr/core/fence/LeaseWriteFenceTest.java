package io.tradingdr.core.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.core.port.ConflictException;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.Epoch;
import io.tradingdr.core.region.RegionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class LeaseWriteFenceTest {

  static final RegionId EAST = RegionId.of("region-a");
  static final RegionId WEST = RegionId.of("region-b");
  static final Duration TTL = Duration.ofSeconds(9);
  static final Duration MARGIN = Duration.ofSeconds(2);

  private final TestClock clock = new TestClock(Instant.parse("2026-01-05T10:00:00Z"));
  private final InMemoryLeaseStore store = new InMemoryLeaseStore(clock);
  private final LeaseWriteFence fence = new LeaseWriteFence(EAST, store, TTL, MARGIN, clock);

  @Test
  void admit_refuses_beforeAnyLeaseIsHeld() {
    assertThatThrownBy(fence::admit)
        .isInstanceOf(WriteRefusedException.class)
        .hasMessageStartingWith("writeLease: region-a holds no write lease (no lease read yet)");
  }

  @Test
  void renewOnce_adoptsALeaseGrantedToThisRegion_andAdmitIssuesPermitsWithItsEpoch() {
    store.grant(EAST, Epoch.ZERO, TTL);

    fence.renewOnce();
    WritePermit permit = fence.admit();

    assertThat(permit.epoch()).isEqualTo(new Epoch(1));
    assertThat(permit.validUntil()).isEqualTo(clock.instant().plus(TTL).minus(MARGIN));
  }

  @Test
  void admit_stopsBeforeExpiry_whenRenewalsCannotReachTheStore() {
    store.grant(EAST, Epoch.ZERO, TTL);
    fence.renewOnce();
    store.unreachable = true;

    clock.advance(Duration.ofSeconds(3));
    fence.renewOnce();
    assertThat(fence.admit()).isNotNull();

    clock.advance(Duration.ofSeconds(4));
    fence.renewOnce();
    assertThatThrownBy(fence::admit)
        .isInstanceOf(WriteRefusedException.class)
        .hasMessageContaining("within PT2S of its expiry")
        .hasMessageContaining("control store unreachable");
    store.unreachable = false;
    assertThat(clock.instant()).isBefore(store.read().expiresAt());
  }

  @Test
  void renewOnce_dropsTheLease_atOnce_whenItWasRevoked() {
    store.grant(EAST, Epoch.ZERO, TTL);
    fence.renewOnce();

    store.revoke(new Epoch(1));
    fence.renewOnce();

    assertThat(fence.currentLease()).isEmpty();
    assertThatThrownBy(fence::admit).hasMessageContaining("renewal refused");
  }

  @Test
  void renewOnce_doesNotAdoptAnotherRegionsLease() {
    store.grant(WEST, Epoch.ZERO, TTL);

    fence.renewOnce();

    assertThatThrownBy(fence::admit).hasMessageContaining("held by region-b at epoch 1");
  }

  @Test
  void constructor_refusesAMarginThatWouldStopAHealthyRegion() {
    assertThatThrownBy(() -> new LeaseWriteFence(EAST, store, TTL, Duration.ofSeconds(6), clock))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "safetyMargin must be >= 0 and shorter than two thirds of writeLeaseTtl");
  }

  /** The port's semantics in memory, including "an expired lease cannot be renewed". */
  static final class InMemoryLeaseStore implements WriteLeaseStore {
    private final Clock clock;
    private WriteLease lease = WriteLease.revoked(Epoch.ZERO, Instant.EPOCH);
    boolean unreachable;

    InMemoryLeaseStore(Clock clock) {
      this.clock = clock;
    }

    private void reach() {
      if (unreachable) {
        throw new UnreachableException("timeout");
      }
    }

    @Override
    public synchronized WriteLease read() {
      reach();
      return lease;
    }

    @Override
    public synchronized WriteLease renew(RegionId holder, Epoch epoch, Duration ttl) {
      reach();
      if (!lease.epoch().equals(epoch) || !lease.isValidFor(holder, clock.instant())) {
        throw new ConflictException("not held");
      }
      lease = WriteLease.held(holder, epoch, clock.instant().plus(ttl));
      return lease;
    }

    @Override
    public synchronized WriteLease revoke(Epoch expected) {
      reach();
      if (!lease.epoch().equals(expected)) {
        throw new ConflictException("epoch");
      }
      lease = WriteLease.revoked(expected.next(), clock.instant());
      return lease;
    }

    @Override
    public synchronized WriteLease grant(RegionId region, Epoch expected, Duration ttl) {
      reach();
      if (!lease.epoch().equals(expected) || lease.holder().isPresent()) {
        throw new ConflictException("held");
      }
      lease = WriteLease.held(region, expected.next(), clock.instant().plus(ttl));
      return lease;
    }
  }

  static final class TestClock extends Clock {
    private Instant now;

    TestClock(Instant start) {
      now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}

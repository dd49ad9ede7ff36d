package io.tradingdr.core.fence;

import io.tradingdr.core.port.ConflictException;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The write fence of one region, backed by the write lease in the control store ({@link
 * WriteLeaseStore}).
 *
 * <p>{@link #admit()} never touches the network: it uses the lease this region last read or
 * renewed, and admits only while that lease is this region's and {@code now} is before {@code
 * expiresAt - safetyMargin}. The permit is valid until that instant. So a region whose renewals
 * fail (store unreachable, cut off) stops acknowledging writes {@code safetyMargin} before its
 * lease expires, which is before the orchestrator, waiting for expiry, may revoke it and grant it
 * to the other region.
 *
 * <p>{@link #renewOnce()} is called every {@link #renewInterval()} (see {@link #scheduleRenewals}):
 * when this region holds the lease it renews it; a {@link ConflictException} (revoked, another
 * epoch, expired) drops the lease at once; an {@link UnreachableException} keeps it until it runs
 * out by itself. When it holds nothing it reads the store and adopts a lease that was granted to
 * this region (by the orchestrator, or before a restart).
 *
 * <p>Thread-safe: admit runs on request threads, renewOnce on the scheduler.
 */
public final class LeaseWriteFence implements WriteFence {

  private final RegionId region;
  private final WriteLeaseStore store;
  private final Duration ttl;
  private final Duration safetyMargin;
  private final Clock clock;
  private volatile Optional<WriteLease> lease = Optional.empty();
  private volatile String lastProblem = "no lease read yet";

  /**
   * @param ttl the lease duration each renewal asks for
   * @param safetyMargin how long before expiry this region stops admitting writes; must be shorter
   *     than {@code ttl - renewInterval} (ttl / 3) so a healthy region never stops
   */
  public LeaseWriteFence(
      RegionId region, WriteLeaseStore store, Duration ttl, Duration safetyMargin, Clock clock) {
    this.region = Objects.requireNonNull(region, "region");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalArgumentException("writeLeaseTtl must be at least 1 s, was " + ttl);
    }
    if (safetyMargin == null
        || safetyMargin.isNegative()
        || safetyMargin.compareTo(ttl.minus(ttl.dividedBy(3))) >= 0) {
      throw new IllegalArgumentException(
          "safetyMargin must be >= 0 and shorter than two thirds of writeLeaseTtl ("
              + ttl
              + "), was "
              + safetyMargin);
    }
    this.ttl = ttl;
    this.safetyMargin = safetyMargin;
  }

  /** How often {@link #renewOnce()} should run: a third of the TTL. */
  public Duration renewInterval() {
    return ttl.dividedBy(3);
  }

  @Override
  public WritePermit admit() {
    Instant now = clock.instant();
    Optional<WriteLease> current = lease;
    if (current.isEmpty()) {
      throw new WriteRefusedException(
          "writeLease: " + region + " holds no write lease (" + lastProblem + ")", renewInterval());
    }
    WriteLease held = current.get();
    Instant validUntil = held.expiresAt().minus(safetyMargin);
    if (!now.isBefore(validUntil)) {
      throw new WriteRefusedException(
          "writeLease: lease of "
              + region
              + " at epoch "
              + held.epoch()
              + " is within "
              + safetyMargin
              + " of its expiry at "
              + held.expiresAt()
              + " and was not renewed ("
              + lastProblem
              + ")",
          renewInterval());
    }
    return new WritePermit(region, held.epoch(), validUntil);
  }

  /** The lease this fence currently acts on, if any. */
  public Optional<WriteLease> currentLease() {
    return lease;
  }

  /**
   * One renewal round; never throws for store failures (they are remembered and shown in refusals).
   */
  public void renewOnce() {
    Optional<WriteLease> current = lease;
    try {
      if (current.isPresent()) {
        lease = Optional.of(store.renew(region, current.get().epoch(), ttl));
        lastProblem = "renewed";
        return;
      }
      WriteLease stored = store.read();
      if (stored.isValidFor(region, clock.instant())) {
        lease = Optional.of(store.renew(region, stored.epoch(), ttl));
        lastProblem = "adopted epoch " + stored.epoch();
      } else {
        lastProblem =
            stored.holder().map(h -> "held by " + h).orElse("revoked")
                + " at epoch "
                + stored.epoch();
      }
    } catch (ConflictException e) {
      lease = Optional.empty();
      lastProblem = "renewal refused: " + e.getMessage();
    } catch (UnreachableException e) {
      lastProblem = "control store unreachable: " + e.getMessage();
    } catch (RefusedException e) {
      lastProblem = "control store refused: " + e.getMessage();
    }
  }

  /** Runs {@link #renewOnce()} now and then every {@link #renewInterval()} on {@code executor}. */
  public ScheduledFuture<?> scheduleRenewals(ScheduledExecutorService executor) {
    long periodMs = renewInterval().toMillis();
    return executor.scheduleWithFixedDelay(this::renewOnce, 0, periodMs, TimeUnit.MILLISECONDS);
  }
}

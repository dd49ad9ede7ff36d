package io.tradingdr.core.fence;

import io.tradingdr.core.config.Durations;
import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.port.ConflictException;
import io.tradingdr.core.region.RegionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The write fence backed by the control store's write lease: a region acknowledges writes only
 * while it holds the lease and the lease is still valid a safety margin from now.
 *
 * <p>A background task ({@link #start}) renews the lease every third of its TTL. {@link #admit()}
 * only reads the last renewal in memory, so it never waits on the network; when renewals fail, the
 * lease held in memory runs out and admissions stop {@code safetyMargin} before the store would
 * consider it expired. A renewal refused by the store (the lease was revoked or moved) stops
 * admissions at once.
 */
public final class LeaseWriteFence implements WriteFence, AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseWriteFence.class);

  private final RegionId region;
  private final WriteLeaseStore store;
  private final Clock clock;
  private final Duration ttl;
  private final Duration safetyMargin;

  /** The last lease this region held, with the expiry this process may rely on. */
  private volatile Held held;

  private volatile String lastProblem = "no lease read yet";
  private ScheduledFuture<?> renewals;

  private record Held(WriteLease lease, Instant validUntil) {}

  public LeaseWriteFence(
      RegionId region, WriteLeaseStore store, Clock clock, Duration ttl, Duration safetyMargin) {
    this.region = Objects.requireNonNull(region, "region");
    this.store = Objects.requireNonNull(store, "store");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    this.safetyMargin = Objects.requireNonNull(safetyMargin, "safetyMargin");
    if (safetyMargin.isNegative() || safetyMargin.compareTo(ttl.dividedBy(2)) >= 0) {
      throw new IllegalArgumentException(
          "safetyMargin must be >= 0 and < ttl/2, was " + Durations.format(safetyMargin));
    }
  }

  /** Uses {@code writeLeaseTtl} and {@code writeLeaseSafetyMargin} of {@code config}. */
  public LeaseWriteFence(
      RegionId region, WriteLeaseStore store, Clock clock, OrchestratorConfig config) {
    this(region, store, clock, config.writeLeaseTtl(), config.writeLeaseSafetyMargin());
  }

  /**
   * Renews now, then every third of the TTL on {@code scheduler}. The scheduler belongs to the
   * caller (it may run other tasks); {@link #close()} cancels only this fence's renewals.
   */
  public synchronized void start(ScheduledExecutorService scheduler) {
    if (renewals != null) {
      return;
    }
    long period = Math.max(1, ttl.dividedBy(3).toMillis());
    renewals =
        scheduler.scheduleWithFixedDelay(this::refreshQuietly, 0, period, TimeUnit.MILLISECONDS);
  }

  /**
   * One renewal attempt: renews the lease this region holds, or adopts a lease newly granted to it.
   * Called by the scheduler; public so tests and the service's readiness check can drive it.
   * Serialized, so that a renewal answered before a revocation cannot be adopted after a concurrent
   * refresh saw the revocation and dropped the lease.
   */
  public synchronized void refresh() {
    Instant sentAt = clock.instant();
    Held current = held;
    try {
      if (current != null) {
        WriteLease renewed = store.renew(region, current.lease().epoch(), ttl);
        adopt(renewed, sentAt);
        return;
      }
      WriteLease read = store.read();
      // Expired but not revoked is still ours: nothing else is granted without a revocation.
      if (read.isHeldBy(region)) {
        adopt(store.renew(region, read.epoch(), ttl), sentAt);
      } else {
        lastProblem =
            "writeLease: "
                + region
                + " is not the writer ("
                + read.holder().map(h -> "held by " + h).orElse("revoked")
                + " at epoch "
                + read.epoch()
                + ")";
      }
    } catch (ConflictException e) {
      // The lease was revoked or moved: stop at once, then look whether it came back to us.
      held = null;
      lastProblem = "writeLease: lost (" + e.getMessage() + ")";
      LOG.warn("{} write lease: {}", region, lastProblem);
    } catch (RuntimeException e) {
      // Unreachable or unknown: keep what we hold; admit() stops when it runs out.
      lastProblem = "writeLease: renewal failing since " + sentAt + " (" + e.getMessage() + ")";
      LOG.warn("{} write lease: {}", region, lastProblem);
    }
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.warn("{} write lease refresh failed: {}", region, e.toString());
    }
  }

  /**
   * Keeps {@code lease} when it is ours; relies on it no longer than {@code sentAt + ttl}, since
   * the store counted the TTL from a moment after the request was sent.
   */
  private void adopt(WriteLease lease, Instant sentAt) {
    if (!lease.isHeldBy(region)) {
      held = null;
      lastProblem = "writeLease: " + region + " is not the holder";
      return;
    }
    Instant localExpiry = sentAt.plus(ttl);
    Instant validUntil = lease.expiresAt().isBefore(localExpiry) ? lease.expiresAt() : localExpiry;
    held = new Held(lease, validUntil);
    lastProblem = "";
  }

  @Override
  public WritePermit admit() {
    Held current = held;
    Instant now = clock.instant();
    if (current != null && now.plus(safetyMargin).isBefore(current.validUntil())) {
      return new WritePermit(
          region, current.lease().epoch(), current.validUntil().minus(safetyMargin));
    }
    String reason =
        current == null
            ? lastProblem
            : "writeLease: lease of "
                + region
                + " at epoch "
                + current.lease().epoch()
                + " is valid until "
                + current.validUntil()
                + ", within the "
                + Durations.format(safetyMargin)
                + " safety margin"
                + (lastProblem.isEmpty() ? "" : "; " + lastProblem);
    throw new WriteRefusedException(reason, ttl.dividedBy(3));
  }

  @Override
  public synchronized void close() {
    if (renewals != null) {
      renewals.cancel(false);
      renewals = null;
    }
  }
}

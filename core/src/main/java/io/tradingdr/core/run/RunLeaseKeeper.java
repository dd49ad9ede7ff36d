package io.tradingdr.core.run;

import io.tradingdr.core.port.ConflictException;
import io.tradingdr.core.port.RunLease;
import io.tradingdr.core.port.RunLeaseStore;
import io.tradingdr.core.port.UnreachableException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the run lease while a run goes on: renewed at every step boundary and, during long blocking
 * steps, by a background thread every third of the TTL. Once lost (another token stored, or
 * unrenewable until expiry) it stays lost and the run stops at its next boundary.
 */
final class RunLeaseKeeper implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RunLeaseKeeper.class);

  private final RunLeaseStore store;
  private final Duration ttl;
  private final Clock clock;
  private final ScheduledExecutorService background;
  private RunLease lease;
  private String lostBecause;

  RunLeaseKeeper(RunLeaseStore store, RunLease lease, Duration ttl, Clock clock) {
    this.store = store;
    this.lease = lease;
    this.ttl = ttl;
    this.clock = clock;
    this.background =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "run-lease-keeper");
              t.setDaemon(true);
              return t;
            });
    long period = Math.max(1, ttl.dividedBy(3).toMillis());
    background.scheduleWithFixedDelay(this::renewQuietly, period, period, TimeUnit.MILLISECONDS);
  }

  /** Renews now; throws {@link RunStoppedException} when the lease is lost. */
  synchronized void renewOrThrow() {
    if (lostBecause != null) {
      throw new RunStoppedException(lostBecause);
    }
    try {
      lease = store.renewRunLease(lease, ttl);
    } catch (ConflictException e) {
      lostBecause = "runLease: lost (" + e.getMessage() + ")" + heldBy();
    } catch (UnreachableException e) {
      if (!clock.instant().isBefore(lease.expiresAt())) {
        lostBecause =
            "runLease: could not be renewed before it expired at "
                + lease.expiresAt()
                + " ("
                + e.getMessage()
                + ")";
      } else {
        LOG.warn(
            "run lease renewal failed, still valid until {}: {}", lease.expiresAt(), e.toString());
      }
    }
    if (lostBecause != null) {
      throw new RunStoppedException(lostBecause);
    }
  }

  private String heldBy() {
    try {
      return store
          .currentRunLease()
          .map(l -> "; now held by " + l.owner() + " until " + l.expiresAt())
          .orElse("");
    } catch (RuntimeException e) {
      return "";
    }
  }

  private void renewQuietly() {
    try {
      renewOrThrow();
    } catch (RunStoppedException e) {
      LOG.warn("{}", e.getMessage());
    } catch (RuntimeException e) {
      LOG.warn("run lease renewal failed: {}", e.toString());
    }
  }

  /** Releases the lease (normal end of a run). */
  synchronized void release() {
    close();
    if (lostBecause == null) {
      try {
        store.releaseRunLease(lease);
      } catch (RuntimeException e) {
        LOG.warn("run lease release failed; it expires at {}: {}", lease.expiresAt(), e.toString());
      }
    }
  }

  @Override
  public void close() {
    background.shutdownNow();
  }

  /**
   * This instance must stop the run where it is: the run lease is gone, or the journal cannot be
   * written. The run stays unfinished and the next lease holder resumes it.
   */
  static final class RunStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RunStoppedException(String reason) {
      super(reason);
    }
  }
}

package io.tradingdr.core.port;

import io.tradingdr.core.region.RegionId;
import java.time.Duration;

/**
 * Port: the replicated order database across the two regions (Aurora Global Database in AWS,
 * PostgreSQL streaming replication locally).
 *
 * <p>Errors on every method: {@link UnreachableException} when the engine or its control plane
 * could not be reached or timed out (outcome unknown: observe with {@link #status()} before acting
 * again); {@link RefusedException} when it answered no (access denied, invalid state).
 */
public interface DatabaseReplication {

  /** Observes replication. Read-only; never throws for a down region, it reports it as absent. */
  ReplicationStatus status();

  /**
   * Stops the database in {@code region} from accepting writes, where that region can be reached.
   * Idempotent. Not a hard fence on its own (a reachable node can be made writable again); the
   * write lease is the fence the service honours.
   */
  void fenceWriter(RegionId region);

  /**
   * Blocks until the standby in {@code standby} has replayed at least what the fenced writer
   * committed, or {@code timeout} passes ({@link UnreachableException}). Used by switchover only.
   */
  Watermark awaitCaughtUp(RegionId standby, Duration timeout);

  /**
   * Makes {@code standby} the writer and waits until it accepts writes or {@code timeout} passes.
   * Idempotent: promoting the region that already is the writer returns at once. Not atomic across
   * regions: a crash mid-call leaves the state for {@link #status()} to report.
   */
  void promote(RegionId standby, PromotionMode mode, Duration timeout);

  /**
   * Re-protects {@code oldWriter} as a standby of {@code newWriter} (rewind, re-clone, or Aurora's
   * own rejoin) and waits until it streams. Idempotent. Discards what {@code oldWriter} had that
   * {@code newWriter} lacks: callers record the RPO ledger first.
   */
  void rejoinAsStandby(RegionId oldWriter, RegionId newWriter, Duration timeout);
}

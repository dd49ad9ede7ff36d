package io.tradingdr.core.port;

import java.time.Duration;
import java.util.Optional;

/**
 * Port: the orchestrator lease in the control store. Every method is one atomic conditional write
 * or strongly consistent read.
 *
 * <p>{@link UnreachableException}: the store did not answer (outcome unknown); {@link
 * ConflictException}: the lease is held by someone else, or was lost.
 */
public interface RunLeaseStore {

  /** The lease as stored, expired or not; empty when never taken or released. */
  Optional<RunLease> currentRunLease();

  /**
   * Takes the lease for {@code owner} when it is free or expired. Refused with {@link
   * ConflictException} while another owner holds an unexpired lease.
   */
  RunLease acquireRunLease(String owner, Duration ttl);

  /**
   * Extends {@code lease}; refused with {@link ConflictException} when its token is no longer
   * stored.
   */
  RunLease renewRunLease(RunLease lease, Duration ttl);

  /** Gives the lease up. Idempotent: releasing a lease that is gone does nothing. */
  void releaseRunLease(RunLease lease);
}

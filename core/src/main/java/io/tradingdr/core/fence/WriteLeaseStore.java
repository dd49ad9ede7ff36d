package io.tradingdr.core.fence;

import io.tradingdr.core.port.ConflictException;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.Epoch;
import io.tradingdr.core.region.RegionId;
import java.time.Duration;

/**
 * Port: the write lease in the control store, which lives outside both regions' fate (a third
 * region, or a multi-region strongly consistent table).
 *
 * <p>Every method is atomic: a single conditional write or a strongly consistent read. Expiry is
 * judged by the store's caller with its own clock plus a safety margin; the store records {@code
 * expiresAt} but never lets an unexpired lease move without a revocation.
 *
 * <p>Errors: {@link UnreachableException} means the store did not answer (outcome unknown; a
 * renewal that ends this way must be treated as lost once the lease expires); {@link
 * ConflictException} means the condition failed (another epoch or holder) and nothing was written.
 */
public interface WriteLeaseStore {

  /** Strongly consistent read. Before any grant it returns a revoked lease at epoch 0. */
  WriteLease read();

  /**
   * Extends the lease of {@code holder} at {@code epoch} to now + {@code ttl}. Idempotent. Refused
   * with {@link ConflictException} when the stored epoch or holder differs.
   */
  WriteLease renew(RegionId holder, Epoch epoch, Duration ttl);

  /**
   * Fences whoever holds the lease: the epoch moves to {@code expected + 1} and no region holds it.
   * Conditional on the stored epoch being {@code expected}; refused with {@link ConflictException}
   * otherwise. The caller must have waited for the lease to expire, or fenced the old writer by
   * other means, before a revocation counts as a fence.
   */
  WriteLease revoke(Epoch expected);

  /**
   * Grants the lease to {@code region} at epoch {@code expected + 1}. Conditional on the stored
   * epoch being {@code expected} and the lease being revoked (no holder); refused with {@link
   * ConflictException} otherwise. Retrying a grant that already happened is detected by reading.
   */
  WriteLease grant(RegionId region, Epoch expected, Duration ttl);
}

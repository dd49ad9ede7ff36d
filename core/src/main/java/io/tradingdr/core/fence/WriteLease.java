package io.tradingdr.core.fence;

import io.tradingdr.core.region.Epoch;
import io.tradingdr.core.region.RegionId;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The single, global right to acknowledge order writes. At most one region holds it; {@code holder}
 * is empty after a revocation (the old writer is fenced and no new one is granted yet).
 *
 * @param holder the region allowed to write, empty when revoked
 * @param epoch grows by one on every grant and every revocation
 * @param expiresAt after this instant the holder must not acknowledge writes, renewed or not
 */
public record WriteLease(Optional<RegionId> holder, Epoch epoch, Instant expiresAt) {

  public WriteLease {
    Objects.requireNonNull(holder, "holder");
    Objects.requireNonNull(epoch, "epoch");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }

  public static WriteLease held(RegionId holder, Epoch epoch, Instant expiresAt) {
    return new WriteLease(Optional.of(holder), epoch, expiresAt);
  }

  public static WriteLease revoked(Epoch epoch, Instant at) {
    return new WriteLease(Optional.empty(), epoch, at);
  }

  public boolean isHeldBy(RegionId region) {
    return holder.filter(region::equals).isPresent();
  }

  /** True when {@code region} holds the lease and it is unexpired at {@code now}. */
  public boolean isValidFor(RegionId region, Instant now) {
    return isHeldBy(region) && now.isBefore(expiresAt);
  }

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}

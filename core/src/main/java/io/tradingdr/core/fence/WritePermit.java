package io.tradingdr.core.fence;

import io.tradingdr.core.region.Epoch;
import io.tradingdr.core.region.RegionId;
import java.time.Instant;

/**
 * Permission to acknowledge one write, issued by a {@link WriteFence}. The write must be committed
 * before {@code validUntil}; the permit's epoch is stored with the order.
 */
public record WritePermit(RegionId region, Epoch epoch, Instant validUntil) {}

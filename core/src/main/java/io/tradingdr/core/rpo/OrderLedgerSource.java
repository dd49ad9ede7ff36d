package io.tradingdr.core.rpo;

import io.tradingdr.core.region.RegionId;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * Port: reads the orders a region's database committed, for the RPO ledger. Read-only and
 * idempotent; reads the region's own database directly (the old primary after a failover, once it
 * can be read again).
 *
 * <p>{@link io.tradingdr.core.port.UnreachableException}: the region's database cannot be read.
 */
public interface OrderLedgerSource {

  /** Every order {@code region} committed at or after {@code since}, oldest first. */
  List<CommittedOrder> committedSince(RegionId region, Instant since);

  /**
   * The {@link CommittedOrder#orderId()}s among {@code orders} that {@code region}'s database
   * holds, matched by order id or by (account, client order id), so that an order already replayed
   * under a new id counts as present.
   */
  Set<String> present(RegionId region, Collection<CommittedOrder> orders);
}

package io.tradingdr.service.orders;

import io.tradingdr.core.fence.WriteFence;
import io.tradingdr.core.fence.WritePermit;
import io.tradingdr.core.fence.WriteRefusedException;
import io.tradingdr.service.api.ApiException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

/**
 * Order use cases over any {@link OrderStore}. Every write first asks the {@link WriteFence} for a
 * permit, stores the permit's region and epoch with the order, and must commit before the permit's
 * {@code validUntil}: the store's write is bounded by the permit's remaining life, and a commit
 * that ends after it is not acknowledged.
 */
public final class OrderService {

  /** A permit with less life left than this is not worth starting a transaction for. */
  static final Duration MIN_WRITE_WINDOW = Duration.ofMillis(50);

  /** Upper bound on one write transaction, whatever the permit allows. */
  static final Duration MAX_WRITE_TIMEOUT = Duration.ofSeconds(5);

  private static final Duration RETRY_SOON = Duration.ofSeconds(1);

  private final OrderStore store;
  private final WriteFence fence;
  private final Clock clock;

  public OrderService(OrderStore store, WriteFence fence, Clock clock) {
    this.store = store;
    this.fence = fence;
    this.clock = clock;
  }

  /** Places the order, or returns the one already stored under its clientOrderId. */
  public OrderStore.Stored place(OrderRequest request) {
    WritePermit permit = fence.admit();
    Duration timeout = writeTimeout(permit);
    OrderStore.Stored stored =
        store.insertIfAbsent(
            request, UUID.randomUUID(), permit.region().value(), permit.epoch().value(), timeout);
    if (stored.created()) {
      requireCommittedInTime(permit);
    }
    return stored;
  }

  public Optional<Order> find(UUID orderId) {
    return store.find(orderId);
  }

  /** A page of the account's orders, newest first; 400 for a cursor the store did not issue. */
  public OrderPage list(String accountId, int limit, Optional<String> cursor) {
    try {
      return store.list(accountId, limit, cursor);
    } catch (InvalidCursorException e) {
      throw ApiException.invalid("cursor", e.getMessage());
    }
  }

  /** Cancels the account's order; empty when the account has no such order. Idempotent. */
  public Optional<Order> cancel(UUID orderId, String accountId) {
    WritePermit permit = fence.admit();
    Optional<Order> cancelled =
        store.cancel(
            orderId,
            accountId,
            permit.region().value(),
            permit.epoch().value(),
            writeTimeout(permit));
    requireCommittedInTime(permit);
    return cancelled;
  }

  private Duration writeTimeout(WritePermit permit) {
    Duration left = Duration.between(clock.instant(), permit.validUntil());
    if (left.compareTo(MIN_WRITE_WINDOW) < 0) {
      throw new WriteRefusedException(
          "writePermit: the permit for epoch "
              + permit.epoch()
              + " has "
              + Math.max(0, left.toMillis())
              + " ms left, too little to commit",
          RETRY_SOON);
    }
    return left.compareTo(MAX_WRITE_TIMEOUT) > 0 ? MAX_WRITE_TIMEOUT : left;
  }

  private void requireCommittedInTime(WritePermit permit) {
    Instant now = clock.instant();
    if (now.isAfter(permit.validUntil())) {
      throw new WriteRefusedException(
          "writePermit: the commit finished after the permit for epoch "
              + permit.epoch()
              + " expired; the write may exist: retry with the same clientOrderId",
          RETRY_SOON);
    }
  }
}

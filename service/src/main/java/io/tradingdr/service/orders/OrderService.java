package io.tradingdr.service.orders;

import io.tradingdr.core.fence.WriteFence;
import io.tradingdr.core.fence.WritePermit;
import io.tradingdr.core.fence.WriteRefusedException;
import io.tradingdr.service.api.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Order use cases. Every write first asks the {@link WriteFence} for a permit, stores the permit's
 * region and epoch with the row, and must commit before the permit's {@code validUntil}: the
 * transaction is bounded by the permit's remaining life, and a commit that ends after it is not
 * acknowledged.
 */
public final class OrderService {

  /** A permit with less life left than this is not worth starting a transaction for. */
  static final Duration MIN_WRITE_WINDOW = Duration.ofMillis(50);

  /** Upper bound on one write transaction, whatever the permit allows. */
  static final Duration MAX_WRITE_TIMEOUT = Duration.ofSeconds(5);

  private static final Duration RETRY_SOON = Duration.ofSeconds(1);

  private final PostgresOrderRepository repository;
  private final WriteFence fence;
  private final Clock clock;

  public OrderService(PostgresOrderRepository repository, WriteFence fence, Clock clock) {
    this.repository = repository;
    this.fence = fence;
    this.clock = clock;
  }

  /** Places the order, or returns the one already stored under its clientOrderId. */
  public PostgresOrderRepository.Stored place(OrderRequest request) {
    WritePermit permit = fence.admit();
    Duration timeout = writeTimeout(permit);
    PostgresOrderRepository.Stored stored =
        repository.insertIfAbsent(
            request, UUID.randomUUID(), permit.region().value(), permit.epoch().value(), timeout);
    if (stored.created()) {
      requireCommittedInTime(permit);
    }
    return stored;
  }

  public Optional<Order> find(UUID orderId) {
    return repository.find(orderId);
  }

  /** A page of the account's orders, newest first. */
  public OrderPage list(String accountId, int limit, Optional<String> cursor) {
    Optional<Long> beforeSeq = cursor.map(OrderService::decodeCursor);
    List<PostgresOrderRepository.Row> rows = repository.list(accountId, limit + 1, beforeSeq);
    boolean more = rows.size() > limit;
    List<PostgresOrderRepository.Row> page = more ? rows.subList(0, limit) : rows;
    Optional<String> next =
        more ? Optional.of(encodeCursor(page.get(page.size() - 1).seq())) : Optional.empty();
    return new OrderPage(page.stream().map(PostgresOrderRepository.Row::order).toList(), next);
  }

  /** Cancels the account's order; empty when the account has no such order. Idempotent. */
  public Optional<Order> cancel(UUID orderId, String accountId) {
    WritePermit permit = fence.admit();
    Optional<Order> cancelled =
        repository.cancel(
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

  static String encodeCursor(long seq) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(("s" + seq).getBytes(StandardCharsets.UTF_8));
  }

  static long decodeCursor(String cursor) {
    try {
      String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      if (raw.startsWith("s")) {
        long seq = Long.parseLong(raw.substring(1));
        if (seq > 0) {
          return seq;
        }
      }
    } catch (IllegalArgumentException e) {
      // falls through to the 400 below (NumberFormatException is an IllegalArgumentException)
    }
    throw ApiException.invalid("cursor", "cursor is not one this service returned as nextCursor");
  }
}

package io.tradingdr.core.rpo;

import java.time.Instant;
import java.util.Objects;

/**
 * An order as one region's database committed it, with everything needed to replay it.
 *
 * @param orderId the id the writer assigned
 * @param clientOrderId the client's idempotency key, unique per account
 * @param account the trading account
 * @param committedAt the commit time the database recorded
 * @param epoch the write epoch the order was accepted under
 * @param body the order as submitted (JSON text), replayed as is
 */
public record CommittedOrder(
    String orderId,
    String clientOrderId,
    String account,
    Instant committedAt,
    long epoch,
    String body) {

  public CommittedOrder {
    Objects.requireNonNull(orderId, "orderId");
    Objects.requireNonNull(clientOrderId, "clientOrderId");
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(committedAt, "committedAt");
    Objects.requireNonNull(body, "body");
  }
}

package io.tradingdr.service.orders;

import io.tradingdr.service.db.DatabaseReadOnlyException;
import io.tradingdr.service.db.DatabaseUnavailableException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;

/**
 * Where orders live: PostgreSQL ({@link PostgresOrderStore}), MySQL / Aurora MySQL ({@link
 * MySqlOrderStore}) or a DynamoDB table ({@link DynamoDbOrderStore}). Every implementation keeps
 * this contract, and one test suite runs against all three.
 *
 * <ul>
 *   <li><b>Writes are atomic and idempotent.</b> {@link #insertIfAbsent} stores at most one order
 *       per (accountId, clientOrderId): the same request again returns the stored order with {@code
 *       created = false}; the caller compares {@link Order#fingerprint()} to tell a retry (same
 *       body) from a conflict (other body). {@link #cancel} is idempotent too. A write either
 *       happens completely or not at all.
 *   <li><b>Writes are bounded.</b> A write ends within its {@code timeout} (the write permit's
 *       remaining life, see {@link OrderService}); one that ends by timeout or by a lost connection
 *       has an unknown outcome and throws {@link DatabaseUnavailableException}: retrying with the
 *       same clientOrderId is safe.
 *   <li><b>Unreachable:</b> {@link DatabaseUnavailableException} (answered 503 with Retry-After).
 *       <b>Read-only</b> (a standby, an Aurora reader or secondary, a fenced writer): {@link
 *       DatabaseReadOnlyException}, nothing written (503 with Retry-After). DynamoDB has no
 *       read-only mode: there the write fence is the only guard.
 *   <li><b>Reads:</b> {@link #find} reads the latest committed state where the engine allows it;
 *       {@link #list} may lag behind writes where the engine pages from an eventually consistent
 *       index (DynamoDB's GSI). Each implementation says which.
 *   <li><b>Cursors are opaque:</b> {@link #list} returns and accepts a cursor whose form belongs to
 *       the store; a cursor the store did not issue throws {@link InvalidCursorException}.
 * </ul>
 */
public interface OrderStore {

  /** A stored order and whether this call created it. */
  record Stored(Order order, boolean created) {}

  /** The engine's name as reported by readiness: postgresql, mysql or dynamodb. */
  String engine();

  /**
   * Inserts the order, accepted by {@code region} at {@code epoch}, unless the account already has
   * one with this clientOrderId; returns the stored one either way. Atomic and idempotent.
   */
  Stored insertIfAbsent(
      OrderRequest request, UUID orderId, String region, long epoch, Duration timeout);

  /** The order with this id, if any. */
  Optional<Order> find(UUID orderId);

  /**
   * Up to {@code limit} orders of the account, newest first, after {@code cursor} (a previous
   * page's {@link OrderPage#nextCursor()}); the next cursor is present when more orders follow.
   *
   * @throws InvalidCursorException when the cursor is not one this store issued
   */
  OrderPage list(String accountId, int limit, Optional<String> cursor);

  /**
   * Cancels the order if it belongs to {@code accountId}, recording the cancelling region and
   * epoch. Idempotent: an already cancelled order is returned unchanged. Empty when the account has
   * no such order.
   */
  Optional<Order> cancel(
      UUID orderId, String accountId, String region, long epoch, Duration timeout);

  /** What {@code /health/ready} reports about the store; never throws. */
  StoreHealth health();
}

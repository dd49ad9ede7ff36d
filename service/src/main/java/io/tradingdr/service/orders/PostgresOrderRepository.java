package io.tradingdr.service.orders;

import io.tradingdr.service.db.Database;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Orders in PostgreSQL. Every write is one short transaction whose statements and commit are
 * bounded by the caller's timeout (the remaining life of the write permit): {@code
 * statement_timeout} and {@code lock_timeout} inside, the JDBC network timeout around the commit. A
 * write that ends by timeout has an unknown outcome; callers retry with the same clientOrderId.
 */
public final class PostgresOrderRepository {

  private static final String COLUMNS =
      "seq, order_id, client_order_id, account_id, symbol, side, order_type, quantity,"
          + " limit_price, status, region, epoch, request_hash, created_at, updated_at";

  private static final int READ_TIMEOUT_SECONDS = 5;

  private final Database database;

  public PostgresOrderRepository(Database database) {
    this.database = database;
  }

  /** A stored order and whether this call created it. */
  public record Stored(Order order, boolean created) {}

  /** One row with its paging key. */
  public record Row(long seq, Order order) {}

  /**
   * Inserts the order unless the account already has one with this clientOrderId; returns the
   * stored one either way. Atomic: one INSERT ... ON CONFLICT DO NOTHING, then a read in the same
   * transaction.
   */
  public Stored insertIfAbsent(
      OrderRequest request, UUID orderId, String region, long epoch, Duration timeout) {
    return inWriteTransaction(
        "insert order",
        timeout,
        c -> {
          try (PreparedStatement insert =
              c.prepareStatement(
                  "insert into orders (order_id, client_order_id, account_id, symbol, side,"
                      + " order_type, quantity, limit_price, status, region, epoch, request_hash)"
                      + " values (?, ?, ?, ?, ?, ?, ?, ?, 'NEW', ?, ?, ?)"
                      + " on conflict (account_id, client_order_id) do nothing"
                      + " returning "
                      + COLUMNS)) {
            insert.setObject(1, orderId);
            insert.setString(2, request.clientOrderId());
            insert.setString(3, request.accountId());
            insert.setString(4, request.symbol());
            insert.setString(5, request.side().name());
            insert.setString(6, request.type().name());
            insert.setLong(7, request.quantity());
            insert.setBigDecimal(8, request.limitPrice().orElse(null));
            insert.setString(9, region);
            insert.setLong(10, epoch);
            insert.setString(11, request.fingerprint());
            try (ResultSet rs = insert.executeQuery()) {
              if (rs.next()) {
                return new Stored(map(rs).order(), true);
              }
            }
          }
          try (PreparedStatement select =
              c.prepareStatement(
                  "select "
                      + COLUMNS
                      + " from orders where account_id = ? and client_order_id = ?")) {
            select.setString(1, request.accountId());
            select.setString(2, request.clientOrderId());
            try (ResultSet rs = select.executeQuery()) {
              if (!rs.next()) {
                throw new SQLException("order vanished after an insert conflict", "40001");
              }
              return new Stored(map(rs).order(), false);
            }
          }
        });
  }

  public Optional<Order> find(UUID orderId) {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement("select " + COLUMNS + " from orders where order_id = ?")) {
      s.setQueryTimeout(READ_TIMEOUT_SECONDS);
      s.setObject(1, orderId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(map(rs).order()) : Optional.empty();
      }
    } catch (SQLException e) {
      throw database.translate("read order", e);
    }
  }

  /** Up to {@code limit} orders of the account, newest first, older than {@code beforeSeq}. */
  public List<Row> list(String accountId, int limit, Optional<Long> beforeSeq) {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select "
                    + COLUMNS
                    + " from orders where account_id = ? and seq < ? order by seq desc limit ?")) {
      s.setQueryTimeout(READ_TIMEOUT_SECONDS);
      s.setString(1, accountId);
      s.setLong(2, beforeSeq.orElse(Long.MAX_VALUE));
      s.setInt(3, limit);
      List<Row> rows = new ArrayList<>();
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(map(rs));
        }
      }
      return rows;
    } catch (SQLException e) {
      throw database.translate("list orders", e);
    }
  }

  /**
   * Cancels the order if it belongs to {@code accountId}. Idempotent: an already cancelled order is
   * returned unchanged. Empty when there is no such order of that account.
   */
  public Optional<Order> cancel(
      UUID orderId, String accountId, String region, long epoch, Duration timeout) {
    return inWriteTransaction(
        "cancel order",
        timeout,
        c -> {
          Order current;
          try (PreparedStatement s =
              c.prepareStatement(
                  "select " + COLUMNS + " from orders where order_id = ? for update")) {
            s.setObject(1, orderId);
            try (ResultSet rs = s.executeQuery()) {
              if (!rs.next()) {
                return Optional.empty();
              }
              current = map(rs).order();
            }
          }
          if (!current.accountId().equals(accountId)) {
            return Optional.empty();
          }
          if (current.status() == OrderStatus.CANCELLED) {
            return Optional.of(current);
          }
          OrderStatus.Transition transition =
              OrderStatus.Transition.of(current.status(), OrderStatus.CANCELLED);
          try (PreparedStatement u =
              c.prepareStatement(
                  "update orders set status = ?, updated_at = now(), cancel_region = ?,"
                      + " cancel_epoch = ? where order_id = ? and status = ? returning "
                      + COLUMNS)) {
            u.setString(1, transition.to().name());
            u.setString(2, region);
            u.setLong(3, epoch);
            u.setObject(4, orderId);
            u.setString(5, transition.from().name());
            try (ResultSet rs = u.executeQuery()) {
              rs.next();
              return Optional.of(map(rs).order());
            }
          }
        });
  }

  @FunctionalInterface
  private interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  private <T> T inWriteTransaction(String action, Duration timeout, SqlWork<T> work) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try (Connection c = database.dataSource().getConnection()) {
      try {
        c.setAutoCommit(false);
        // Bounds the commit too (a synchronous-replication wait ignores statement_timeout).
        c.setNetworkTimeout(database.networkTimeoutExecutor(), millis);
        try (Statement s = c.createStatement()) {
          s.execute("set local statement_timeout = " + millis);
          s.execute("set local lock_timeout = " + millis);
        }
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException e) {
      throw database.translate(action, e);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      if (!c.isClosed()) {
        c.rollback();
      }
    } catch (SQLException ignored) {
      // The connection is broken; the pool discards it. The original failure is what matters.
    }
  }

  private static Row map(ResultSet rs) throws SQLException {
    BigDecimal price = rs.getBigDecimal("limit_price");
    Order order =
        new Order(
            rs.getObject("order_id", UUID.class),
            rs.getString("client_order_id"),
            rs.getString("account_id"),
            rs.getString("symbol"),
            Side.valueOf(rs.getString("side")),
            OrderType.valueOf(rs.getString("order_type")),
            rs.getLong("quantity"),
            Optional.ofNullable(price),
            OrderStatus.valueOf(rs.getString("status")),
            rs.getString("region"),
            rs.getLong("epoch"),
            rs.getString("request_hash"),
            rs.getObject("created_at", java.time.OffsetDateTime.class).toInstant(),
            rs.getObject("updated_at", java.time.OffsetDateTime.class).toInstant());
    return new Row(rs.getLong("seq"), order);
  }
}

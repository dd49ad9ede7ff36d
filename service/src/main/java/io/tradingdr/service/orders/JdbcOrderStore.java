package io.tradingdr.service.orders;

import io.tradingdr.service.db.Database;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What the SQL order stores share: the orders table's columns and row mapping, find, list (paged by
 * seq, the insert order), the cancel flow and the readiness check's connection handling. A dialect
 * states only how an order id and a timestamp travel, the current time in SQL, how an insert and a
 * cancelling update return the stored row, and how to read its health.
 */
abstract sealed class JdbcOrderStore implements OrderStore
    permits PostgresOrderStore, MySqlOrderStore {

  static final String COLUMNS =
      "seq, order_id, client_order_id, account_id, symbol, side, order_type, quantity,"
          + " limit_price, status, region, epoch, request_hash, created_at, updated_at";

  /** The columns an insert sets, and their values: parameters 1-11 and status NEW. */
  static final String INSERT_COLUMNS =
      "order_id, client_order_id, account_id, symbol, side, order_type, quantity, limit_price,"
          + " status, region, epoch, request_hash";

  static final String INSERT_VALUES = "?, ?, ?, ?, ?, ?, ?, ?, 'NEW', ?, ?, ?";

  private static final int READ_TIMEOUT_SECONDS = 5;

  final Database database;

  JdbcOrderStore(Database database) {
    this.database = database;
  }

  /** One row with its paging key. */
  record Row(long seq, Order order) {}

  /**
   * Inserts a NEW order, parameters bound by {@link #bindInsert}, unless the account already holds
   * one under the request's clientOrderId; runs inside the write transaction.
   */
  abstract Stored insert(
      Connection c, OrderRequest request, UUID orderId, String region, long epoch)
      throws SQLException;

  /** Binds an order id as the dialect stores it (UUID or CHAR(36)). */
  abstract void bindId(PreparedStatement s, int index, UUID orderId) throws SQLException;

  abstract UUID readId(ResultSet rs) throws SQLException;

  abstract Instant readInstant(ResultSet rs, String column) throws SQLException;

  /** The SQL expression for the current time, e.g. {@code now()}. */
  abstract String nowSql();

  /** Appended to the cancelling update; the dialect's way to return the updated row, if any. */
  abstract String returningSuffix();

  /** Executes the cancelling update (already bound) and returns the row it changed. */
  abstract Optional<Order> updatedRow(Connection c, PreparedStatement update, UUID orderId)
      throws SQLException;

  /** The readiness query and how to read its single row. */
  abstract String healthQuery();

  abstract StoreHealth health(ResultSet rs) throws SQLException;

  /** Binds parameters 1-11 of the orders insert (all columns but seq, status and the times). */
  final void bindInsert(
      PreparedStatement insert, OrderRequest request, UUID orderId, String region, long epoch)
      throws SQLException {
    bindId(insert, 1, orderId);
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
  }

  /** The first row matching {@code where}; UUID values bind as order ids, others as strings. */
  final Optional<Order> select(Connection c, String where, Object... values) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("select " + COLUMNS + " from orders where " + where)) {
      for (int i = 0; i < values.length; i++) {
        if (values[i] instanceof UUID id) {
          bindId(s, i + 1, id);
        } else {
          s.setString(i + 1, (String) values[i]);
        }
      }
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(map(rs).order()) : Optional.empty();
      }
    }
  }

  @Override
  public Stored insertIfAbsent(
      OrderRequest request, UUID orderId, String region, long epoch, Duration timeout) {
    return database.inWriteTransaction(
        "insert order", timeout, c -> insert(c, request, orderId, region, epoch));
  }

  @Override
  public Optional<Order> find(UUID orderId) {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement("select " + COLUMNS + " from orders where order_id = ?")) {
      s.setQueryTimeout(READ_TIMEOUT_SECONDS);
      bindId(s, 1, orderId);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(map(rs).order()) : Optional.empty();
      }
    } catch (SQLException e) {
      throw database.translate("read order", e);
    }
  }

  /** Pages by seq (the insert order), so the cursor is the last row's seq. */
  @Override
  public OrderPage list(String accountId, int limit, Optional<String> cursor) {
    Optional<Long> beforeSeq = cursor.map(OrderCursor::decodeSeq);
    List<Row> rows = rows(accountId, limit + 1, beforeSeq);
    boolean more = rows.size() > limit;
    List<Row> page = more ? rows.subList(0, limit) : rows;
    Optional<String> next =
        more
            ? Optional.of(OrderCursor.encodeSeq(page.get(page.size() - 1).seq()))
            : Optional.empty();
    return new OrderPage(page.stream().map(Row::order).toList(), next);
  }

  /** Up to {@code limit} orders of the account, newest first, older than {@code beforeSeq}. */
  private List<Row> rows(String accountId, int limit, Optional<Long> beforeSeq) {
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

  /** Locks the row (select ... for update), then moves it along {@link OrderStatus.Transition}. */
  @Override
  public Optional<Order> cancel(
      UUID orderId, String accountId, String region, long epoch, Duration timeout) {
    return database.inWriteTransaction(
        "cancel order",
        timeout,
        c -> {
          Optional<Order> found = select(c, "order_id = ? for update", orderId);
          if (found.isEmpty() || !found.get().accountId().equals(accountId)) {
            return Optional.empty();
          }
          Order current = found.get();
          if (current.status() == OrderStatus.CANCELLED) {
            return Optional.of(current);
          }
          OrderStatus.Transition transition =
              OrderStatus.Transition.of(current.status(), OrderStatus.CANCELLED);
          try (PreparedStatement u =
              c.prepareStatement(
                  "update orders set status = ?, updated_at = "
                      + nowSql()
                      + ", cancel_region = ?, cancel_epoch = ? where order_id = ? and status = ?"
                      + returningSuffix())) {
            u.setString(1, transition.to().name());
            u.setString(2, region);
            u.setLong(3, epoch);
            bindId(u, 4, orderId);
            u.setString(5, transition.from().name());
            return updatedRow(c, u, orderId);
          }
        });
  }

  @Override
  public StoreHealth health() {
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(2);
      try (ResultSet rs = s.executeQuery(healthQuery())) {
        rs.next();
        return health(rs);
      }
    } catch (SQLException e) {
      return StoreHealth.unreachable(
          engine(), database.translate("readiness check", e).getMessage());
    }
  }

  final Row map(ResultSet rs) throws SQLException {
    BigDecimal price = rs.getBigDecimal("limit_price");
    Order order =
        new Order(
            readId(rs),
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
            readInstant(rs, "created_at"),
            readInstant(rs, "updated_at"));
    return new Row(rs.getLong("seq"), order);
  }
}

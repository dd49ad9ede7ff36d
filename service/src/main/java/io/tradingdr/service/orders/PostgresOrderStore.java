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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Orders in PostgreSQL (Aurora PostgreSQL in AWS), schema db/migration/postgresql. Every write is
 * one short transaction whose statements and commit are bounded by the caller's timeout (the
 * remaining life of the write permit): {@code statement_timeout} and {@code lock_timeout} inside,
 * the JDBC network timeout around the commit ({@link Database#inWriteTransaction}). A write that
 * ends by timeout has an unknown outcome; callers retry with the same clientOrderId. Reads, list
 * included, see every committed write. A standby or a read-only database answers SQLState 25006:
 * {@link io.tradingdr.service.db.DatabaseReadOnlyException}.
 */
public final class PostgresOrderStore implements OrderStore {

  private static final String COLUMNS =
      "seq, order_id, client_order_id, account_id, symbol, side, order_type, quantity,"
          + " limit_price, status, region, epoch, request_hash, created_at, updated_at";

  private static final int READ_TIMEOUT_SECONDS = 5;

  private final Database database;

  public PostgresOrderStore(Database database) {
    this.database = database;
  }

  /** One row with its paging key. */
  private record Row(long seq, Order order) {}

  @Override
  public String engine() {
    return "postgresql";
  }

  /** Atomic: one INSERT ... ON CONFLICT DO NOTHING, then a read in the same transaction. */
  @Override
  public Stored insertIfAbsent(
      OrderRequest request, UUID orderId, String region, long epoch, Duration timeout) {
    return database.inWriteTransaction(
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

  @Override
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

  /**
   * Standby (in recovery, with its replay lag), read-only ({@code default_transaction_read_only})
   * or read-write.
   */
  @Override
  public StoreHealth health() {
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(2);
      try (ResultSet rs =
          s.executeQuery(
              "select pg_is_in_recovery(), current_setting('default_transaction_read_only'),"
                  + " case when not pg_is_in_recovery() then null"
                  + " when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0.0"
                  + " else extract(epoch from now() - pg_last_xact_replay_timestamp())::float8"
                  + " end")) {
        rs.next();
        boolean standby = rs.getBoolean(1);
        boolean readOnly = "on".equals(rs.getString(2));
        double lag = rs.getDouble(3);
        boolean lagKnown = !rs.wasNull();
        Map<String, Object> details = new LinkedHashMap<>();
        if (standby) {
          details.put("replicationLagSeconds", lagKnown ? lag : null);
        }
        return StoreHealth.reachable(
            engine(),
            standby
                ? StoreHealth.Mode.STANDBY
                : readOnly ? StoreHealth.Mode.READ_ONLY : StoreHealth.Mode.READ_WRITE,
            details);
      }
    } catch (SQLException e) {
      return StoreHealth.unreachable(
          engine(), database.translate("readiness check", e).getMessage());
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

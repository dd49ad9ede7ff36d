package io.tradingdr.service.orders;

import io.tradingdr.service.db.Database;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Orders in MySQL 8.0 (Aurora MySQL in profile active-passive), schema db/migration/mysql: the
 * PostgreSQL schema's columns, order_id as CHAR(36), times as DATETIME(6) in UTC.
 *
 * <p>Writes run in one READ COMMITTED transaction bounded like PostgreSQL's ({@link
 * Database#inWriteTransaction}: the JDBC network timeout around everything, {@code
 * innodb_lock_wait_timeout} inside). MySQL has no {@code INSERT ... RETURNING} and {@code INSERT
 * IGNORE} would also swallow data errors, so {@link #insertIfAbsent} inserts and treats a duplicate
 * key on (account_id, client_order_id) as "already there", re-reading the stored row in the same
 * transaction (MySQL, unlike PostgreSQL, keeps a transaction usable after a failed statement). An
 * Aurora reader or secondary, or a writer demoted by a failover, refuses writes with error 1290
 * (--read-only, --super-read-only) or 1836 (read-only mode): {@link
 * io.tradingdr.service.db.DatabaseReadOnlyException}. Reads see every committed write.
 */
public final class MySqlOrderStore implements OrderStore {

  private static final String COLUMNS =
      "seq, order_id, client_order_id, account_id, symbol, side, order_type, quantity,"
          + " limit_price, status, region, epoch, request_hash, created_at, updated_at";

  private static final int READ_TIMEOUT_SECONDS = 5;

  /** ER_DUP_ENTRY. */
  private static final int DUPLICATE_KEY = 1062;

  private final Database database;

  public MySqlOrderStore(Database database) {
    if (database.engine() != Database.Engine.MYSQL) {
      throw new IllegalArgumentException("MySqlOrderStore needs a jdbc:mysql:// database");
    }
    this.database = database;
  }

  private record Row(long seq, Order order) {}

  @Override
  public String engine() {
    return "mysql";
  }

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
                      + " order_type, quantity, limit_price, status, region, epoch, request_hash,"
                      + " created_at, updated_at)"
                      + " values (?, ?, ?, ?, ?, ?, ?, ?, 'NEW', ?, ?, ?, utc_timestamp(6),"
                      + " utc_timestamp(6))")) {
            insert.setString(1, orderId.toString());
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
            insert.executeUpdate();
            return new Stored(select(c, "order_id = ?", orderId.toString()).orElseThrow(), true);
          } catch (SQLIntegrityConstraintViolationException e) {
            if (e.getErrorCode() != DUPLICATE_KEY) {
              throw e;
            }
          }
          Optional<Order> existing =
              select(
                  c,
                  "account_id = ? and client_order_id = ?",
                  request.accountId(),
                  request.clientOrderId());
          if (existing.isEmpty()) {
            // A duplicate order_id (a UUID collision) and nothing under this clientOrderId.
            throw new SQLException("order id collision on insert", "40001");
          }
          return new Stored(existing.get(), false);
        });
  }

  private static Optional<Order> select(Connection c, String where, String... values)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("select " + COLUMNS + " from orders where " + where)) {
      for (int i = 0; i < values.length; i++) {
        s.setString(i + 1, values[i]);
      }
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(map(rs).order()) : Optional.empty();
      }
    }
  }

  @Override
  public Optional<Order> find(UUID orderId) {
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement("select " + COLUMNS + " from orders where order_id = ?")) {
      s.setQueryTimeout(READ_TIMEOUT_SECONDS);
      s.setString(1, orderId.toString());
      try (ResultSet rs = s.executeQuery()) {
        return rs.next() ? Optional.of(map(rs).order()) : Optional.empty();
      }
    } catch (SQLException e) {
      throw database.translate("read order", e);
    }
  }

  /** Pages by seq (the insert order, AUTO_INCREMENT), so the cursor is the last row's seq. */
  @Override
  public OrderPage list(String accountId, int limit, Optional<String> cursor) {
    long beforeSeq = cursor.map(OrderCursor::decodeSeq).orElse(Long.MAX_VALUE);
    List<Row> rows = new ArrayList<>();
    try (Connection c = database.dataSource().getConnection();
        PreparedStatement s =
            c.prepareStatement(
                "select "
                    + COLUMNS
                    + " from orders where account_id = ? and seq < ? order by seq desc limit ?")) {
      s.setQueryTimeout(READ_TIMEOUT_SECONDS);
      s.setString(1, accountId);
      s.setLong(2, beforeSeq);
      s.setInt(3, limit + 1);
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          rows.add(map(rs));
        }
      }
    } catch (SQLException e) {
      throw database.translate("list orders", e);
    }
    boolean more = rows.size() > limit;
    List<Row> page = more ? rows.subList(0, limit) : rows;
    Optional<String> next =
        more
            ? Optional.of(OrderCursor.encodeSeq(page.get(page.size() - 1).seq()))
            : Optional.empty();
    return new OrderPage(page.stream().map(Row::order).toList(), next);
  }

  /** Locks the row (select ... for update), then moves it along {@link OrderStatus.Transition}. */
  @Override
  public Optional<Order> cancel(
      UUID orderId, String accountId, String region, long epoch, Duration timeout) {
    return database.inWriteTransaction(
        "cancel order",
        timeout,
        c -> {
          Optional<Order> found = select(c, "order_id = ? for update", orderId.toString());
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
                  "update orders set status = ?, updated_at = utc_timestamp(6), cancel_region = ?,"
                      + " cancel_epoch = ? where order_id = ? and status = ?")) {
            u.setString(1, transition.to().name());
            u.setString(2, region);
            u.setLong(3, epoch);
            u.setString(4, orderId.toString());
            u.setString(5, transition.from().name());
            u.executeUpdate();
          }
          return select(c, "order_id = ?", orderId.toString());
        });
  }

  /**
   * Read-only when {@code @@global.read_only} (a demoted writer, --super-read-only implies it) is
   * set; a standby when {@code @@innodb_read_only} is (Aurora readers and secondary clusters).
   */
  @Override
  public StoreHealth health() {
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement()) {
      s.setQueryTimeout(2);
      try (ResultSet rs =
          s.executeQuery("select @@global.read_only, @@innodb_read_only, version()")) {
        rs.next();
        boolean readOnly = rs.getBoolean(1);
        boolean innodbReadOnly = rs.getBoolean(2);
        StoreHealth.Mode mode =
            innodbReadOnly
                ? StoreHealth.Mode.STANDBY
                : readOnly ? StoreHealth.Mode.READ_ONLY : StoreHealth.Mode.READ_WRITE;
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("readOnly", readOnly);
        details.put("innodbReadOnly", innodbReadOnly);
        details.put("version", rs.getString(3));
        return StoreHealth.reachable(engine(), mode, details);
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
            UUID.fromString(rs.getString("order_id")),
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
            rs.getObject("created_at", LocalDateTime.class).toInstant(ZoneOffset.UTC),
            rs.getObject("updated_at", LocalDateTime.class).toInstant(ZoneOffset.UTC));
    return new Row(rs.getLong("seq"), order);
  }
}

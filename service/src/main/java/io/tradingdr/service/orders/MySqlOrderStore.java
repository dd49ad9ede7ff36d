package io.tradingdr.service.orders;

import io.tradingdr.service.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLIntegrityConstraintViolationException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
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
public final class MySqlOrderStore extends JdbcOrderStore {

  /** ER_DUP_ENTRY. */
  private static final int DUPLICATE_KEY = 1062;

  public MySqlOrderStore(Database database) {
    super(requireMySql(database));
  }

  private static Database requireMySql(Database database) {
    if (database.engine() != Database.Engine.MYSQL) {
      throw new IllegalArgumentException("MySqlOrderStore needs a jdbc:mysql:// database");
    }
    return database;
  }

  @Override
  public String engine() {
    return "mysql";
  }

  @Override
  Stored insert(Connection c, OrderRequest request, UUID orderId, String region, long epoch)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "insert into orders ("
                + INSERT_COLUMNS
                + ", created_at, updated_at) values ("
                + INSERT_VALUES
                + ", utc_timestamp(6), utc_timestamp(6))")) {
      bindInsert(insert, request, orderId, region, epoch);
      insert.executeUpdate();
      return new Stored(select(c, "order_id = ?", orderId).orElseThrow(), true);
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
  }

  @Override
  void bindId(PreparedStatement s, int index, UUID orderId) throws SQLException {
    s.setString(index, orderId.toString());
  }

  @Override
  UUID readId(ResultSet rs) throws SQLException {
    return UUID.fromString(rs.getString("order_id"));
  }

  /** DATETIME(6) columns hold UTC. */
  @Override
  Instant readInstant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, LocalDateTime.class).toInstant(ZoneOffset.UTC);
  }

  @Override
  String nowSql() {
    return "utc_timestamp(6)";
  }

  /** No UPDATE ... RETURNING in MySQL: the row is read again in the same transaction. */
  @Override
  String returningSuffix() {
    return "";
  }

  @Override
  Optional<Order> updatedRow(Connection c, PreparedStatement update, UUID orderId)
      throws SQLException {
    update.executeUpdate();
    return select(c, "order_id = ?", orderId);
  }

  /**
   * Read-only when {@code @@global.read_only} (a demoted writer, --super-read-only implies it) is
   * set; a standby when {@code @@innodb_read_only} is (Aurora readers and secondary clusters).
   */
  @Override
  String healthQuery() {
    return "select @@global.read_only, @@innodb_read_only, version()";
  }

  @Override
  StoreHealth health(ResultSet rs) throws SQLException {
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
}

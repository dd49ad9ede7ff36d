package io.tradingdr.service.orders;

import io.tradingdr.service.db.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
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
public final class PostgresOrderStore extends JdbcOrderStore {

  public PostgresOrderStore(Database database) {
    super(database);
  }

  @Override
  public String engine() {
    return "postgresql";
  }

  /** Atomic: one INSERT ... ON CONFLICT DO NOTHING, then a read in the same transaction. */
  @Override
  Stored insert(Connection c, OrderRequest request, UUID orderId, String region, long epoch)
      throws SQLException {
    try (PreparedStatement insert =
        c.prepareStatement(
            "insert into orders ("
                + INSERT_COLUMNS
                + ") values ("
                + INSERT_VALUES
                + ") on conflict (account_id, client_order_id) do nothing returning "
                + COLUMNS)) {
      bindInsert(insert, request, orderId, region, epoch);
      try (ResultSet rs = insert.executeQuery()) {
        if (rs.next()) {
          return new Stored(map(rs).order(), true);
        }
      }
    }
    Order existing =
        select(
                c,
                "account_id = ? and client_order_id = ?",
                request.accountId(),
                request.clientOrderId())
            .orElseThrow(
                () -> new SQLException("order vanished after an insert conflict", "40001"));
    return new Stored(existing, false);
  }

  @Override
  void bindId(PreparedStatement s, int index, UUID orderId) throws SQLException {
    s.setObject(index, orderId);
  }

  @Override
  UUID readId(ResultSet rs) throws SQLException {
    return rs.getObject("order_id", UUID.class);
  }

  @Override
  Instant readInstant(ResultSet rs, String column) throws SQLException {
    return rs.getObject(column, OffsetDateTime.class).toInstant();
  }

  @Override
  String nowSql() {
    return "now()";
  }

  @Override
  String returningSuffix() {
    return " returning " + COLUMNS;
  }

  @Override
  Optional<Order> updatedRow(Connection c, PreparedStatement update, UUID orderId)
      throws SQLException {
    try (ResultSet rs = update.executeQuery()) {
      rs.next();
      return Optional.of(map(rs).order());
    }
  }

  /**
   * Standby (in recovery, with its replay lag), read-only ({@code default_transaction_read_only})
   * or read-write.
   */
  @Override
  String healthQuery() {
    return "select pg_is_in_recovery(), current_setting('default_transaction_read_only'),"
        + " case when not pg_is_in_recovery() then null"
        + " when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0.0"
        + " else extract(epoch from now() - pg_last_xact_replay_timestamp())::float8"
        + " end";
  }

  @Override
  StoreHealth health(ResultSet rs) throws SQLException {
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
}

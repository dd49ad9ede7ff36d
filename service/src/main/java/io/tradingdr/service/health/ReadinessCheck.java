package io.tradingdr.service.health;

import io.tradingdr.core.fence.WriteFence;
import io.tradingdr.core.fence.WritePermit;
import io.tradingdr.core.fence.WriteRefusedException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.service.db.Database;
import io.tradingdr.service.sessions.DynamoDbSessionStore;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The deep readiness check behind {@code GET /health/ready}: is the database reachable, and is it
 * writable, read-only or a standby (with its replication lag); is the session store reachable; does
 * the write fence admit writes now. Ready (200) when both stores answer; a standby region is ready
 * too, it serves reads and refuses writes.
 */
public final class ReadinessCheck {

  private final RegionId region;
  private final Database database;
  private final DynamoDbSessionStore sessions;
  private final WriteFence fence;

  public ReadinessCheck(
      RegionId region, Database database, DynamoDbSessionStore sessions, WriteFence fence) {
    this.region = region;
    this.database = database;
    this.sessions = sessions;
    this.fence = fence;
  }

  /** The report; {@code "status"} is READY or NOT_READY. */
  public Map<String, Object> check() {
    Map<String, Object> db = database();
    boolean sessionStore = sessions.isReachable();
    Map<String, Object> report = new LinkedHashMap<>();
    boolean ready = Boolean.TRUE.equals(db.get("reachable")) && sessionStore;
    report.put("status", ready ? "READY" : "NOT_READY");
    report.put("region", region.value());
    report.put("database", db);
    report.put("sessionStore", Map.of("reachable", sessionStore));
    report.put("writeFence", fence());
    return report;
  }

  private Map<String, Object> database() {
    Map<String, Object> db = new LinkedHashMap<>();
    long started = System.nanoTime();
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
        db.put("reachable", true);
        db.put("mode", standby ? "STANDBY" : readOnly ? "READ_ONLY" : "READ_WRITE");
        db.put("writable", !standby && !readOnly);
        if (standby) {
          db.put("replicationLagSeconds", lagKnown ? lag : null);
        }
      }
    } catch (SQLException e) {
      RuntimeException translated = database.translate("readiness check", e);
      db.put("reachable", false);
      db.put("error", translated.getMessage());
    }
    db.put("checkMillis", (System.nanoTime() - started) / 1_000_000);
    return db;
  }

  private Map<String, Object> fence() {
    Map<String, Object> result = new LinkedHashMap<>();
    try {
      WritePermit permit = fence.admit();
      result.put("admits", true);
      result.put("epoch", permit.epoch().value());
    } catch (WriteRefusedException e) {
      result.put("admits", false);
      result.put("reason", e.getMessage());
    }
    return result;
  }
}

package io.tradingdr.service.health;

import io.tradingdr.core.fence.WriteFence;
import io.tradingdr.core.fence.WritePermit;
import io.tradingdr.core.fence.WriteRefusedException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.service.orders.OrderStore;
import io.tradingdr.service.orders.StoreHealth;
import io.tradingdr.service.sessions.DynamoDbSessionStore;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The deep readiness check behind {@code GET /health/ready}: is the order store ("database":
 * PostgreSQL, MySQL or DynamoDB) reachable, and is it writable, read-only or a standby (with the
 * engine's details, e.g. PostgreSQL's replication lag); is the session store reachable; does the
 * write fence admit writes now. Ready (200) when both stores answer; a standby region is ready too,
 * it serves reads and refuses writes.
 */
public final class ReadinessCheck {

  private final RegionId region;
  private final OrderStore orders;
  private final DynamoDbSessionStore sessions;
  private final WriteFence fence;

  public ReadinessCheck(
      RegionId region, OrderStore orders, DynamoDbSessionStore sessions, WriteFence fence) {
    this.region = region;
    this.orders = orders;
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
    long started = System.nanoTime();
    StoreHealth health = orders.health();
    Map<String, Object> db = new LinkedHashMap<>();
    db.put("reachable", health.reachable());
    db.put("engine", health.engine());
    health.mode().ifPresent(mode -> db.put("mode", mode.name()));
    if (health.reachable()) {
      db.put("writable", health.writable());
    }
    db.putAll(health.details());
    health.error().ifPresent(error -> db.put("error", error));
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

package io.tradingdr.service.orders;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The order store's state for the readiness check: reachable or not, its write mode when reachable,
 * engine-specific details (replication lag, table status, ...; in the order given) and the error
 * when unreachable.
 */
public record StoreHealth(
    String engine,
    boolean reachable,
    Optional<Mode> mode,
    Map<String, Object> details,
    Optional<String> error) {

  /** Whether the store takes writes. */
  public enum Mode {
    /** Takes writes (subject to the write fence). */
    READ_WRITE,
    /** Reachable but refuses writes: read_only set, a fenced old writer. */
    READ_ONLY,
    /** A replica that follows another writer: PostgreSQL in recovery, an Aurora reader. */
    STANDBY
  }

  public static StoreHealth reachable(String engine, Mode mode, Map<String, Object> details) {
    return new StoreHealth(
        engine,
        true,
        Optional.of(mode),
        Collections.unmodifiableMap(new LinkedHashMap<>(details)),
        Optional.empty());
  }

  public static StoreHealth unreachable(String engine, String error) {
    return new StoreHealth(engine, false, Optional.empty(), Map.of(), Optional.of(error));
  }

  public boolean writable() {
    return mode.map(Mode.READ_WRITE::equals).orElse(false);
  }
}

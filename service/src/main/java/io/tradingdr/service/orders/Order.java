package io.tradingdr.service.orders;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** A stored order, with the region and write epoch that accepted it. */
public record Order(
    UUID orderId,
    String clientOrderId,
    String accountId,
    String symbol,
    Side side,
    OrderType type,
    long quantity,
    Optional<BigDecimal> limitPrice,
    OrderStatus status,
    String region,
    long epoch,
    String fingerprint,
    Instant createdAt,
    Instant updatedAt) {

  /** The JSON shape returned by the API. */
  public Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("orderId", orderId.toString());
    json.put("clientOrderId", clientOrderId);
    json.put("accountId", accountId);
    json.put("symbol", symbol);
    json.put("side", side.name());
    json.put("type", type.name());
    json.put("quantity", quantity);
    limitPrice.ifPresent(p -> json.put("limitPrice", p.stripTrailingZeros()));
    json.put("status", status.name());
    json.put("region", region);
    json.put("epoch", epoch);
    json.put("createdAt", createdAt.toString());
    json.put("updatedAt", updatedAt.toString());
    return json;
  }
}

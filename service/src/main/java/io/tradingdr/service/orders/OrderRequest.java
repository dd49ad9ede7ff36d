package io.tradingdr.service.orders;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * A validated order request. {@link #fingerprint()} identifies its content for idempotency: the
 * same clientOrderId with the same fingerprint is a retry, with another fingerprint a conflict.
 */
public record OrderRequest(
    String clientOrderId,
    String accountId,
    String symbol,
    Side side,
    OrderType type,
    long quantity,
    Optional<BigDecimal> limitPrice) {

  /** SHA-256 over the canonical form of every field (numbers normalized, so 10.50 == 10.5). */
  public String fingerprint() {
    String canonical =
        String.join(
            "\u0000",
            clientOrderId,
            accountId,
            symbol,
            side.name(),
            type.name(),
            Long.toString(quantity),
            limitPrice.map(p -> p.stripTrailingZeros().toPlainString()).orElse(""));
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(canonical.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}

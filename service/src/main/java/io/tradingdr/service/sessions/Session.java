package io.tradingdr.service.sessions;

import java.time.Instant;

/** A trader's session for one account; valid until {@code expiresAt}. */
public record Session(String sessionId, String accountId, Instant createdAt, Instant expiresAt) {

  public boolean isExpiredAt(Instant now) {
    return !now.isBefore(expiresAt);
  }
}

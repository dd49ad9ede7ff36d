package io.tradingdr.core.port;

import java.time.Instant;
import java.util.Objects;

/**
 * The orchestrator's lease: whoever holds it is the only one running a switchover, failover or
 * failback.
 *
 * @param owner who holds it (e.g. {@code lambda:us-east-2:<request id>}, {@code drctl:host:pid})
 * @param token changes on every acquisition, so a renewal by an old holder is refused
 */
public record RunLease(String owner, String token, Instant expiresAt) {

  public RunLease {
    Objects.requireNonNull(owner, "owner");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(expiresAt, "expiresAt");
  }
}

package io.tradingdr.core.fence;

import java.time.Duration;

/**
 * This region must not acknowledge writes now: it is not the writer, its lease is lost or about to
 * expire, or its database is read-only. The service answers 503 with {@code Retry-After}.
 */
public class WriteRefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final transient Duration retryAfter;

  public WriteRefusedException(String reason, Duration retryAfter) {
    super(reason);
    this.retryAfter = retryAfter;
  }

  public Duration retryAfter() {
    return retryAfter;
  }
}

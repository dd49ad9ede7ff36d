package io.tradingdr.core.port;

/**
 * A conditional write lost: the state it was conditioned on had changed (another holder, another
 * epoch, another run). Nothing was written. The caller re-reads the state before deciding again.
 */
public class ConflictException extends RefusedException {

  private static final long serialVersionUID = 1L;

  public ConflictException(String message) {
    super(message);
  }

  public ConflictException(String message, Throwable cause) {
    super(message, cause);
  }
}

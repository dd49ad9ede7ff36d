package io.tradingdr.core.port;

/**
 * The target of a port call could not be reached or did not answer in time. The outcome of the call
 * is unknown: it may or may not have taken effect. Callers retry idempotent calls, or observe the
 * state before they act again.
 */
public class UnreachableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public UnreachableException(String message) {
    super(message);
  }

  public UnreachableException(String message, Throwable cause) {
    super(message, cause);
  }
}

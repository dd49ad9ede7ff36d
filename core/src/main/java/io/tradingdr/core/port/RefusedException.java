package io.tradingdr.core.port;

/**
 * The target answered and refused the call (access denied, invalid state, a precondition that does
 * not hold). The call had no effect. Retrying it unchanged fails the same way.
 */
public class RefusedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public RefusedException(String message) {
    super(message);
  }

  public RefusedException(String message, Throwable cause) {
    super(message, cause);
  }
}

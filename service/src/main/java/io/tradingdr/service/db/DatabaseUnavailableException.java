package io.tradingdr.service.db;

/**
 * The database did not answer, refused the connection, or timed out. The outcome of a write that
 * ends this way is unknown; a retry with the same clientOrderId is safe. Answered with 503.
 */
public class DatabaseUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public DatabaseUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

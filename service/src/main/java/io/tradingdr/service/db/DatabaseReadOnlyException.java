package io.tradingdr.service.db;

/**
 * The database refused a write because it is read-only (SQLState 25006): a standby, or a fenced old
 * primary. Nothing was written. Answered with 503 and Retry-After.
 */
public class DatabaseReadOnlyException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public DatabaseReadOnlyException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.tradingdr.cli;

/** A problem with what the operator typed or configured; drctl exits 2 with the message. */
final class UsageException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  UsageException(String message) {
    super(message);
  }

  UsageException(String message, Throwable cause) {
    super(message, cause);
  }
}

package io.tradingdr.procs;

/** A supervised process or tool did not start, did not become ready, or exited with an error. */
public class ProcessFailedException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ProcessFailedException(String message) {
    super(message);
  }

  public ProcessFailedException(String message, Throwable cause) {
    super(message, cause);
  }
}

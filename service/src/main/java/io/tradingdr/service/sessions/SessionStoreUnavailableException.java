package io.tradingdr.service.sessions;

/** The session store did not answer; the request is answered with 503 and Retry-After. */
public class SessionStoreUnavailableException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public SessionStoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}

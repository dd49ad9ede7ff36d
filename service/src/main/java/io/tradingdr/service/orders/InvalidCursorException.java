package io.tradingdr.service.orders;

/** A page cursor that the order store did not issue (answered 400, field cursor). */
public class InvalidCursorException extends IllegalArgumentException {

  private static final long serialVersionUID = 1L;

  public InvalidCursorException() {
    super("cursor is not one this service returned as nextCursor");
  }
}

package io.tradingdr.service.orders;

/** Buy or sell. */
public enum Side {
  BUY,
  SELL
}

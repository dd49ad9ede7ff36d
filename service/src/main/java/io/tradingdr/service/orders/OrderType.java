package io.tradingdr.service.orders;

/** LIMIT orders carry a limit price; MARKET orders must not. */
public enum OrderType {
  LIMIT,
  MARKET
}

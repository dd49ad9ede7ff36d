package io.tradingdr.service.orders;

import java.util.Arrays;

/** The life of an order in this service. Only the transitions listed in {@link Transition}. */
public enum OrderStatus {
  NEW,
  CANCELLED;

  /** Every legal status change; anything else is refused. */
  public enum Transition {
    NEW_TO_CANCELLED(NEW, CANCELLED);

    private final OrderStatus from;
    private final OrderStatus to;

    Transition(OrderStatus from, OrderStatus to) {
      this.from = from;
      this.to = to;
    }

    public OrderStatus from() {
      return from;
    }

    public OrderStatus to() {
      return to;
    }

    /**
     * The transition from {@code from} to {@code to}.
     *
     * @throws IllegalStateException when it is not legal
     */
    public static Transition of(OrderStatus from, OrderStatus to) {
      return Arrays.stream(values())
          .filter(t -> t.from == from && t.to == to)
          .findFirst()
          .orElseThrow(
              () ->
                  new IllegalStateException("order status cannot move from " + from + " to " + to));
    }
  }
}

package io.tradingdr.service.orders;

import java.util.List;
import java.util.Optional;

/** One page of an account's orders, newest first, and the cursor of the next page if any. */
public record OrderPage(List<Order> orders, Optional<String> nextCursor) {}
